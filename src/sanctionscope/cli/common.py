"""What every command shares: the Typer app, common options, the data catalog and
the translation of domain errors into one-line messages and exit codes.

Exit status: 0 answered, 1 invalid data files, 2 bad input (one line naming the field).
"""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import typer

from sanctionscope.engine.coverage import DEFAULT_GRACE_DAYS
from sanctionscope.errors import DataError, InputError
from sanctionscope.inputs import parse_day

if TYPE_CHECKING:
    from rich.console import Console

    from sanctionscope.engine.catalog import Catalog
    from sanctionscope.engine.compile import Index
    from sanctionscope.snapshot_parts import Shipment

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="International sanctions and countermeasures as computable, cited law.",
)


class _LazyConsole:
    """A Rich console made on first use: commands that print JSON never import Rich's
    console machinery."""

    def __init__(self, stderr: bool) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr, soft_wrap=True)
        return getattr(self._console, name)


out = cast("Console", _LazyConsole(stderr=False))
err = cast("Console", _LazyConsole(stderr=True))
T = TypeVar("T")
#: Catalogs opened by this process, by data directory (stored again on exit if they grew).
_opened: dict[Path, Catalog] = {}

DataOpt = typer.Option(None, "--data", help="Data directory (default: the embedded data).")
KnownOpt = typer.Option(None, "--as-known-on", help="Answer from the acts published by this day.")
JsonOpt = typer.Option(False, "--json", help="Print one JSON object.")
RestoreOpt = typer.Option(
    False,
    "--restore-leading-zeros",
    help="Read codes of 3, 5 or 7 digits with the leading zero a spreadsheet dropped (80810 as 080810);"
    " answers say so (screen: column hs_code_restored). Without it such codes are refused,"
    " naming the likely code.",
)
SideOpt = typer.Option(
    "both",
    "--side",
    help="Whose law to ask about: import (the destination's import side), export (the origin's"
    " export side) or both (default). The answer states the side(s) assessed.",
)
GraceOpt = typer.Option(
    DEFAULT_GRACE_DAYS,
    "--grace-days",
    help="Days a coverage declaration keeps vouching after its last review (0 or more); after that,"
    " a shipment that needs it is NOT_COVERED.",
)


def catalog_for(data: Path | None) -> Catalog:
    """The catalog of a data directory (default: the embedded data)."""
    from sanctionscope import snapshot
    from sanctionscope.paths import default_data_dir

    root = Path(data or default_data_dir()).resolve()
    found = _opened.get(root)
    if found is None:
        # the catalog lives as long as the command: frozen before the collector resumes,
        # its objects are skipped by every later pass (each would walk all of them)
        enabled = gc.isenabled()
        gc.disable()
        try:
            found = _opened[root] = snapshot.catalog(root)
            gc.freeze()
        finally:
            if enabled:
                gc.enable()
    return found


def shipment_catalog_for(data: Path | None, shipment: Shipment, known_on: date) -> Catalog:
    """A catalog that answers ``shipment``: the parts of the snapshot that can answer it
    when it has them, else the whole catalog."""
    from sanctionscope import snapshot
    from sanctionscope.paths import default_data_dir

    root = Path(data or default_data_dir()).resolve()
    if root not in _opened:
        found = snapshot.shipment_catalog(root, shipment, known_on)
        if found is not None:
            return found
    return catalog_for(data)


def index_for(catalog: Catalog, as_known_on: str | None) -> Index:
    """The compiled index for --as-known-on (default: today, as design.md fixes)."""
    return catalog.index(parse_day(as_known_on, "as_known_on") or date.today())


def run(body: Callable[[], T]) -> T:
    """Translate domain errors into one-line messages and exit codes, never tracebacks."""
    try:
        found = body()
        _remember()
        return found
    except ModuleNotFoundError as e:
        extra = _EXTRA_OF.get((e.name or "").split(".")[0])
        if extra is None:
            raise
        err.print(
            f"error: this command needs the {extra} extra: pip install 'sanctionscope[{extra}]'",
            markup=False,
            highlight=False,
        )
        raise typer.Exit(2) from None
    except InputError as e:
        err.print(f"error: {e.field}: {e.value!r} {e.reason}", markup=False, highlight=False)
        raise typer.Exit(2) from None
    except DataError as e:
        for problem in e.problems:
            err.print(str(problem), markup=False, highlight=False)
        err.print(f"{len(e.problems)} problem(s) in the data files", markup=False)
        raise typer.Exit(1) from None


#: Optional libraries and the extra that installs them (pyproject.toml).
_EXTRA_OF = {
    "fastapi": "web",
    "uvicorn": "web",
    "jinja2": "web",
    "multipart": "web",
    "networkx": "research",
    "matplotlib": "research",
    "followthemoney": "research",
    "weasyprint": "research",
    "pyspark": "spark",
    "pandas": "spark",
}


def _remember() -> None:
    """Store what this command compiled so the next one starts from it."""
    from sanctionscope import snapshot

    for root, catalog in _opened.items():
        snapshot.remember(root, catalog)


def emit(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")
