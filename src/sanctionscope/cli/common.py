"""What every command shares: the Typer app, common options, the data catalog and
the translation of domain errors into one-line messages and exit codes.

Exit status: 0 answered, 1 invalid data files, 2 bad input (one line naming the field).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from rich.console import Console

from sanctionscope.engine.coverage import DEFAULT_GRACE_DAYS
from sanctionscope.errors import DataError, InputError
from sanctionscope.inputs import parse_day

if TYPE_CHECKING:
    from sanctionscope.engine.catalog import Catalog
    from sanctionscope.engine.compile import Index

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="International sanctions and countermeasures as computable, cited law.",
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
T = TypeVar("T")

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
GraceOpt = typer.Option(
    DEFAULT_GRACE_DAYS,
    "--grace-days",
    help="Days a coverage declaration keeps vouching after its last review (0 or more); after that,"
    " a shipment that needs it is NOT_COVERED.",
)


def catalog_for(data: Path | None) -> Catalog:
    """The catalog of a data directory (default: the embedded data)."""
    from sanctionscope.engine.catalog import Catalog
    from sanctionscope.load import cached_dataset, default_data_dir

    return Catalog(cached_dataset(str(Path(data or default_data_dir()).resolve())))


def index_for(catalog: Catalog, as_known_on: str | None) -> Index:
    """The compiled index for --as-known-on (default: today, as design.md fixes)."""
    return catalog.index(parse_day(as_known_on, "as_known_on") or date.today())


def run(body: Callable[[], T]) -> T:
    """Translate domain errors into one-line messages and exit codes, never tracebacks."""
    try:
        return body()
    except InputError as e:
        err.print(f"error: {e.field}: {e.value!r} {e.reason}", markup=False, highlight=False)
        raise typer.Exit(2) from None
    except DataError as e:
        for problem in e.problems:
            err.print(str(problem), markup=False, highlight=False)
        err.print(f"{len(e.problems)} problem(s) in the data files", markup=False)
        raise typer.Exit(1) from None


def emit(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")
