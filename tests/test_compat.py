"""Private scikit-learn names are imported only through ``sklearn_seq/_compat.py``."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sklearn_seq"


def _private_sklearn_imports(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sklearn"):
            module_private = any(part.startswith("_") for part in node.module.split("."))
            for alias in node.names:
                if module_private or alias.name.startswith("_"):
                    yield f"{node.module}.{alias.name}"


@pytest.mark.parametrize("path", sorted(p for p in PACKAGE.rglob("*.py") if p.name != "_compat.py"),
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_private_sklearn_names_come_from_compat(path):
    assert list(_private_sklearn_imports(path)) == []
