"""Command line: a thin layer over the engine (typer + rich), one module per command
group. Commands import the heavy libraries they need (DuckDB, FastAPI, matplotlib, ...)
when they run, so a `check` starts fast.
"""

from __future__ import annotations

from sanctionscope.cli import batch, data, query, research, serve  # noqa: F401  (registers commands)
from sanctionscope.cli.common import app

__all__ = ["app", "main"]


def main() -> None:
    app()
