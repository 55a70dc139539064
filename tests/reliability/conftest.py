"""The e2e `deal` fixture (the real app over signed HTTP against the stand-in), re-exported."""

from tests.e2e.conftest import deal

__all__ = ["deal"]
