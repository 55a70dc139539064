"""A local stand-in for Slack: the Web API subset the bot calls, and signed delivery to it."""
