"""A thing that is started and stopped, usable as a context manager."""

from __future__ import annotations

from types import TracebackType
from typing import Self


class Running:
    """Mixin: `with thing:` starts it and always stops it; subclasses define start and stop."""

    def start(self) -> Self:
        """Start serving; return self."""
        raise NotImplementedError

    def stop(self) -> None:
        """Stop and release everything; safe to call twice."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
