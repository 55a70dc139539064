"""The store's tables as the code sees them at the newest migration."""
