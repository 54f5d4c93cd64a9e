"""Command line: a thin layer over the engine (typer + rich), one module per command
group. Commands import the heavy libraries they need (DuckDB, FastAPI, matplotlib, ...)
when they run, so a `check` starts fast.
"""

from __future__ import annotations

import os
import sys
from contextlib import suppress
from typing import NoReturn

from sanctionscope.cli import batch, data, query, research, serve  # noqa: F401  (registers commands)
from sanctionscope.cli.common import app

__all__ = ["app", "main", "script"]


def main() -> None:
    app()


def script() -> NoReturn:
    """The ``sanctionscope`` executable: :func:`main`, then the process ends at once.

    A command that answered from the compiled snapshot holds hundreds of thousands of
    objects; an interpreter's normal exit frees them one by one (a tenth of a ``check``'s
    run). Every command has finished its work when it returns (files closed, snapshot
    stored, threads joined), so only the standard streams are flushed before leaving.
    """
    try:
        main()
        status = 0
    except SystemExit as stop:
        status = _status(stop.code)
    for stream in (sys.stdout, sys.stderr):
        with suppress(BrokenPipeError, ValueError):  # a closed pipe (| head): nothing to say
            stream.flush()
    os._exit(status)


def _status(code: object) -> int:
    """The exit status ``sys.exit(code)`` gives (a message is printed and means 1)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1
