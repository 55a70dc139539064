"""The Slack adapter: the Bolt app, its listeners and Block Kit builders."""
