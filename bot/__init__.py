"""Relationship Bot: is this deal a partnership or a collaboration, and what follows."""

__version__ = "0.1.0"
