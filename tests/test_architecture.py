"""The domain core (model, engine) imports no IO, web or CLI code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "sanctionscope"
FORBIDDEN = {
    "typer",
    "rich",
    "fastapi",
    "starlette",
    "jinja2",
    "httpx",
    "yaml",
    "duckdb",
    "sanctionscope.cli",
    "sanctionscope.load",
    "sanctionscope.render",
    "csv",
    "open",
}
CORE = sorted([*SRC.joinpath("model").glob("*.py"), *SRC.joinpath("engine").glob("*.py")])


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
            names.add("open")
    return names


@pytest.mark.parametrize("path", CORE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_core_module_imports_no_io(path: Path) -> None:
    bad = {n for n in _imports(path) if n in FORBIDDEN or n.split(".")[0] in FORBIDDEN}
    assert not bad, bad


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: p.name)
def test_modules_stay_small(path: Path) -> None:
    assert len(path.read_text().splitlines()) <= 400
