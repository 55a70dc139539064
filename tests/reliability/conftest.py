"""The e2e fixtures, re-exported: `deal` (one workspace) and `fleet` (two, through OAuth)."""

from tests.e2e.conftest import deal
from tests.e2e.test_install import fleet

__all__ = ["deal", "fleet"]
