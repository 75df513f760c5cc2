"""WordPress's own public exports (tests/fixtures/wordpress-real, see its README), which
the importer's tests import as they are."""

from pathlib import Path

REAL_EXPORTS = Path(__file__).resolve().parent / "fixtures" / "wordpress-real"
