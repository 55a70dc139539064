"""Persistence: verdicts, revisions, events and installations behind one SQLAlchemy code path."""
