"""The HTTP API, version 1: the CLI's answers as JSON, every one with ``dataset_version``."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from sanctionscope.engine import documents, serialise
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.compile import Index
from sanctionscope.engine.coverage import DEFAULT_GRACE_DAYS, Side, side_of
from sanctionscope.errors import InputError
from sanctionscope.inputs import MAX_GRACE_DAYS, day_reason, grace_days, measure_type, need_day, parse_day
from sanctionscope.model.acts import MeasureType
from sanctionscope.web.problems import HTTPProblem, ProblemDetails
from sanctionscope.web.schemas import CheckAnswer, CoverageMatrix

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ProblemDetails, "description": "Invalid input (the field is named)"},
    404: {"model": ProblemDetails, "description": "Not found"},
}

router = APIRouter(prefix="/v1", responses=ERRORS)

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day_text(value: str | None) -> str | None:
    """A day exactly as the schema says it (``format: date``, YYYY-MM-DD), else a 400."""
    if value is not None:
        try:
            if not _DAY.fullmatch(value):
                raise ValueError(value)
            date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError("date", day_reason(value)) from None
    return value


DayText = AfterValidator(_day_text)
DATE = {"format": "date"}
Day = Annotated[
    str, Query(description="A day, YYYY-MM-DD.", examples=["2014-08-10"], json_schema_extra=DATE), DayText
]
Known = Annotated[
    str | None,
    Query(description="Answer from the acts published by this day (default: today).", json_schema_extra=DATE),
    DayText,
]
#: An HS / TN VED code: 2 to 10 digits (an even count, or 9), spaces and dots allowed.
HS_PATTERN = r"^[\s.]*(?:(?:[0-9][\s.]*){2}){1,5}$|^[\s.]*(?:[0-9][\s.]*){9}$"
MEASURE_TYPES = {"enum": [t.value for t in MeasureType]}
Country = Annotated[str, Query(description="ISO2, ISO3 or English name.", examples=["PL"])]
Restore = Annotated[
    bool,
    Query(
        description="Read codes of 3, 5 or 7 digits with the leading zero a spreadsheet dropped "
        "(80810 as 080810); answers say so (query.hs_as_written; screens: column hs_code_restored). "
        "Without it such codes are refused (check: a 400 naming the likely code; screens: rejects)."
    ),
]
Grace = Annotated[
    int,
    Query(
        alias="grace_days",
        ge=0,
        le=MAX_GRACE_DAYS,
        description="Days a coverage declaration keeps vouching after its last review; after that, a "
        "shipment that needs it is NOT_COVERED (reason not_reviewed_since).",
    ),
]

#: Whose law a question asks about (``--side``): the destination's import side, the
#: origin's export side, or both.
SideQuery = Annotated[
    str,
    Query(
        description="Whose law to ask about: `import` (the destination's import side), `export` (the "
        "origin's export side) or `both` (default). The answer states the side(s) assessed "
        "(`query.side`, `coverage.sides_assessed`).",
        json_schema_extra={"enum": [s.value for s in Side]},
    ),
]


def ok(doc: dict[str, Any]) -> JSONResponse:
    """JSON straight from the engine's documents (already plain)."""
    return JSONResponse(doc)


def catalog_of(request: Request) -> Catalog:
    found: Catalog = request.app.state.catalog
    return found


def index_for(request: Request, as_known_on: str | None) -> Index:
    known = parse_day(as_known_on, "as_known_on") or date.today()
    return catalog_of(request).index(known)


@router.get(
    "/check",
    summary="May this shipment cross? The verdict with the legal chain and the coverage relied on",
    description="The verdict is one of BANNED, LICENCE_REQUIRED, UNDETERMINED, NOT_COVERED or ALLOWED "
    "(see the `verdict` field of the response); a client that switches on it must handle all five.",
    responses={200: {"model": CheckAnswer, "description": "The answer"}},
)
async def check(
    request: Request,
    origin: Country,
    destination: Annotated[str, Query(description="ISO2, ISO3 or name.", examples=["RU"])],
    hs: Annotated[
        str,
        Query(
            description="HS / TN VED code, 2-10 digits (spaces and dots allowed); codes of 3, 5 or 7 digits "
            "only with restore_leading_zeros.",
            examples=["0808 10"],
            json_schema_extra={"pattern": HS_PATTERN},
        ),
    ],
    date_: Annotated[
        str,
        Query(
            alias="date", description="Day of the shipment.", examples=["2014-08-10"], json_schema_extra=DATE
        ),
        DayText,
    ],
    attest: Annotated[list[str] | None, Query(description="Exception ids the goods meet.")] = None,
    as_known_on: Known = None,
    restore_leading_zeros: Restore = False,
    grace: Grace = DEFAULT_GRACE_DAYS,
    side: SideQuery = "both",
) -> JSONResponse:
    catalog = catalog_of(request)
    asked = side_of(side)
    q = catalog.question(
        origin,
        destination,
        hs,
        need_day(date_, "date"),
        parse_day(as_known_on, "as_known_on"),
        tuple(attest or ()),
        restore_leading_zeros,
        grace_days(grace),
    )
    q.side = asked
    return ok(serialise.answer(catalog.index(q.as_known_on), catalog.check(q)))


@router.get(
    "/coverage",
    summary="What the data set vouches for: coverage declarations, imposer x direction x period",
    responses={200: {"model": CoverageMatrix, "description": "The coverage matrix"}},
)
async def coverage(
    request: Request,
    imposer: Annotated[str | None, Query(description="Only this imposer (e.g. EU).")] = None,
    direction: Annotated[
        str | None,
        Query(description="Only `import` or `export`.", json_schema_extra={"enum": ["import", "export"]}),
    ] = None,
    as_known_on: Known = None,
) -> JSONResponse:
    who = catalog_of(request).resolve(imposer, "imposer") if imposer is not None else None
    way = documents.direction_of(direction) if direction is not None else None
    return ok(documents.coverage_doc(index_for(request, as_known_on), who, way))


@router.get(
    "/regimes",
    summary="Sanctions regimes: the regime acts and their regime-level records, filtered",
    description="Each regime act with its regime-level records: imposer, targets, types, period, whether "
    "it restricts goods (and whether its lists are held, `lists_in`) or aims at persons only.",
)
async def regimes(
    request: Request,
    imposer: Annotated[str | None, Query(description="Only this imposer (e.g. EU, US, UN).")] = None,
    target: Annotated[str | None, Query(description="Only regimes targeting this jurisdiction.")] = None,
    on: Annotated[
        str | None, Query(description="Only regimes in force on this day.", json_schema_extra=DATE), DayText
    ] = None,
    as_known_on: Known = None,
) -> JSONResponse:
    from sanctionscope.engine import regimes as regime_docs

    catalog = catalog_of(request)
    doc = regime_docs.regimes_doc(
        index_for(request, as_known_on),
        catalog.resolve(imposer, "imposer") if imposer is not None else None,
        catalog.resolve(target, "target") if target is not None else None,
        parse_day(on, "on"),
    )
    return ok(doc)


@router.get("/who", summary="Who imposes measures on whom on a day")
async def who(request: Request, on: Day, as_known_on: Known = None) -> JSONResponse:
    return ok(documents.who_doc(index_for(request, as_known_on), need_day(on, "on")))


@router.get("/spared/{country}", summary="Who sanctions COUNTRY but is left out of its countermeasures")
async def spared(
    request: Request,
    country: str,
    on: Day,
    type_: Annotated[
        list[str] | None,
        Query(
            alias="type",
            description="Only countermeasures of these types.",
            json_schema_extra={"items": {"type": "string", **MEASURE_TYPES}},
        ),
    ] = None,
    as_known_on: Known = None,
) -> JSONResponse:
    x = catalog_of(request).resolve(country, "country")
    wanted = {measure_type(t) for t in type_ or ()} or None
    return ok(documents.spared_doc(index_for(request, as_known_on), x, need_day(on, "on"), wanted))


@router.get("/timeline/{a}/{b}", summary="Every act between two jurisdictions, by date")
async def timeline(request: Request, a: str, b: str, as_known_on: Known = None) -> JSONResponse:
    catalog = catalog_of(request)
    x, y = catalog.resolve(a, "a"), catalog.resolve(b, "b")
    return ok(documents.timeline_doc(index_for(request, as_known_on), x, y))


@router.get("/acts", summary="The acts, with their citations and sources")
async def acts(
    request: Request, issuer: Annotated[str | None, Query(description="Only this issuer.")] = None
) -> JSONResponse:
    wanted = catalog_of(request).resolve(issuer, "issuer") if issuer is not None else None
    return ok(documents.acts_doc(catalog_of(request).index(date.max), wanted))


@router.get("/acts/{act_id}", summary="One act: citation, sources, measures, changes")
async def act(request: Request, act_id: str) -> JSONResponse:
    doc = documents.act_doc(catalog_of(request).index(date.max), act_id.strip().upper())
    if doc is None:
        raise HTTPProblem(404, f"act_id: {act_id!r} is not an act id (see /v1/acts)", "act_id", act_id)
    return ok(doc)


@router.get("/measures", summary="Measures as compiled, filtered")
async def measures(
    request: Request,
    imposer: Annotated[str | None, Query(description="Imposing jurisdiction.")] = None,
    target: Annotated[str | None, Query(description="Targeted jurisdiction (blocs expand).")] = None,
    type_: Annotated[
        str | None,
        Query(alias="type", description="Measure type, e.g. import_ban.", json_schema_extra=MEASURE_TYPES),
    ] = None,
    on: Annotated[
        str | None, Query(description="Only measures in force on this day.", json_schema_extra=DATE), DayText
    ] = None,
    as_known_on: Known = None,
) -> JSONResponse:
    catalog = catalog_of(request)
    doc = documents.measures_doc(
        index_for(request, as_known_on),
        catalog.resolve(imposer, "imposer") if imposer is not None else None,
        catalog.resolve(target, "target") if target is not None else None,
        measure_type(type_) if type_ is not None else None,
        parse_day(on, "on"),
    )
    return ok(doc)


@router.get("/map", summary="Every country's status towards a focus country on a day")
async def world_map(
    request: Request,
    on: Day,
    focus: Annotated[str, Query(description="The country in focus.")] = "RU",
    as_known_on: Known = None,
) -> JSONResponse:
    x = catalog_of(request).resolve(focus, "focus")
    return ok(documents.map_doc(index_for(request, as_known_on), x, need_day(on, "on")))


@router.get("/network", summary="The sanctions network on a day (imposer -> target)")
async def network(request: Request, on: Day, as_known_on: Known = None) -> JSONResponse:
    return ok(documents.network_doc(index_for(request, as_known_on), need_day(on, "on")))


@router.get("/nomenclature", summary="Search the HS nomenclature (code prefix or words)")
async def nomenclature(
    request: Request,
    q: Annotated[str, Query(description="Code prefix or words.", examples=["apples"])],
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    edition: Annotated[str, Query(description="HS edition.")] = "HS2012",
) -> JSONResponse:
    table = catalog_of(request).dataset.nomenclature.codes.get(edition)
    if table is None:
        raise InputError("edition", edition, "is not an HS edition in the data")
    text = q.strip().lower()
    digits = text.replace(" ", "").replace(".", "")
    if digits.isdigit():
        found = sorted((c, d) for c, d in table.items() if c.startswith(digits))
    else:
        words = text.split()
        found = [(c, d) for c, d in table.items() if all(w in d.lower() for w in words)]
        found.sort(key=lambda cd: (word_rank(cd[1], words), len(cd[0]), cd[0]))
    items = [{"code": c, "description": d} for c, d in found[:limit]]
    return ok({"q": q, "items": items, "dataset_version": catalog_of(request).version})


def word_rank(description: str, words: list[str]) -> int:
    """How well a description matches the words searched, best first: the words at its
    start ("Apples, pears" for apples), then as whole words (a plural allowed), then inside
    other words ("pineapples"). The route then puts headings before their subheadings."""
    low = description.lower()
    whole = [re.search(rf"\b{re.escape(w)}(?:e?s)?\b", low) for w in words]
    if all(m is not None and m.start() == 0 for m in whole[:1]) and all(whole):
        rank = 0
    elif all(whole):
        rank = 1
    else:
        rank = 2
    return rank


def csv_response(rows: list[dict[str, Any]], name: str) -> Response:
    """Rows as CSV (for the web app's download links)."""
    import csv
    import io

    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({k: _cell(v) for k, v in r.items()} for r in rows)
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


def _cell(value: Any) -> Any:
    return (
        ";".join(map(str, value))
        if isinstance(value, list)
        else json.dumps(value)
        if isinstance(value, dict)
        else value
    )
