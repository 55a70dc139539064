"""The classification core: pure domain logic with no Slack, store or I/O."""
