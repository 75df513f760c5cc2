"""The shape of the code, kept by the build: one-way layers, no import cycles, small files.

The import contract itself is in pyproject.toml ([tool.importlinter]) and `make test`
runs `lint-imports`; these tests show it holds, and that it fails on a planted
bad import, so a contract that checks nothing cannot pass unnoticed.
"""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [
    "core",
    "photos",
    "embeds",
    "articles",
    "comments",
    "search",
    "live",
    "pages",
    "newsdesk",
    "wordpress",
    "demo",
]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
LONGEST_FILE = 400
LONGEST_ADMIN_CLASS = 200


def first_party_files():
    for package in [*PACKAGES, "newsroom"]:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def lint_imports(tree):
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(tree / "pyproject.toml")],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


@pytest.fixture
def tree_copy(tmp_path):
    """The project's packages and import contract, copied for planting imports in."""
    for package in [*PACKAGES, "newsroom"]:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def plant(path, line):
    path.write_text(f"{path.read_text()}\n\ndef _planted():\n    {line}  # noqa\n")


def test_the_import_contract_holds():
    code, output = lint_imports(ROOT)
    assert code == 0, output
    assert "2 kept, 0 broken" in output


def test_the_infrastructure_may_not_import_an_app(tree_copy):
    plant(tree_copy / "core" / "cache.py", "from articles.models import Article")
    code, output = lint_imports(tree_copy)
    assert code != 0
    assert "core is not allowed to import articles" in output
    assert "core.cache -> articles.models" in output


def test_an_app_may_not_import_one_that_imports_it(tree_copy):
    plant(tree_copy / "articles" / "views.py", "from comments.discussion import Discussion")
    code, output = lint_imports(tree_copy)
    assert code != 0
    assert "articles is not allowed to import comments" in output


def test_a_cycle_inside_a_package_breaks_the_contract_even_inside_a_function(tree_copy):
    plant(tree_copy / "comments" / "models.py", "from comments.discussion import Discussion")
    code, output = lint_imports(tree_copy)
    assert code != 0
    assert "No cycles are allowed in comments" in output


def test_no_first_party_file_is_longer_than_a_sitting():
    long = {
        str(path.relative_to(ROOT)): length
        for path in first_party_files()
        if (length := len(path.read_text().splitlines())) >= LONGEST_FILE
    }
    assert long == {}


def test_no_admin_class_is_longer_than_200_lines():
    long = {}
    for path in first_party_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and node.name.endswith(("Admin", "Mixin")):
                length = node.end_lineno - node.lineno + 1
                if length > LONGEST_ADMIN_CLASS:
                    long[f"{path.relative_to(ROOT)}:{node.name}"] = length
    assert long == {}
