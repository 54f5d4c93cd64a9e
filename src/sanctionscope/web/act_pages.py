"""Act pages, the act index and the coverage page (server-rendered, no script needed).

``/acts`` filters the acts by issuer, type of measure, year and target and searches
their wording in both languages; every filter is a GET parameter, so a result is a
permalink. ``/acts/{id}`` shows the act's substance (``engine.act_view``) and, with
``?on=YYYY-MM-DD``, the list of each measure it creates or changes as in force that day.
"""

from __future__ import annotations

import difflib
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from sanctionscope.engine import act_view, documents
from sanctionscope.errors import InputError
from sanctionscope.inputs import measure_type, parse_day
from sanctionscope.web.pages import _catalog, _error, footnotes, page, templates

router = APIRouter(include_in_schema=False)


def _year(value: str) -> int | None:
    text = value.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise InputError("year", value, "is not a year; write four digits, e.g. 2014")
    return int(text)


@router.get("/acts", response_class=HTMLResponse)
async def acts_index(
    request: Request,
    issuer: str = "",
    type_: Annotated[str, Query(alias="type")] = "",
    year: str = "",
    target: str = "",
    q: str = "",
) -> HTMLResponse:
    """Every act, filtered and searched; the filters are the URL."""
    catalog = _catalog(request)
    index = catalog.index(date.max)
    form = {"issuer": issuer, "type": type_, "year": year, "target": target, "q": q}
    errors: list[dict[str, str]] = []
    wanted: dict[str, Any] = {"issuer": None, "kind": None, "year": None, "target": None}
    checks = (
        ("issuer", lambda: catalog.resolve(issuer, "issuer") if issuer.strip() else None),
        ("kind", lambda: measure_type(type_.strip()).value if type_.strip() else None),
        ("year", lambda: _year(year)),
        ("target", lambda: catalog.resolve(target, "target") if target.strip() else None),
    )
    for key, parse in checks:
        try:
            wanted[key] = parse()
        except InputError as e:
            errors.append(_error(e))
    doc = act_view.acts_index_doc(index, q=q.strip()[:200], **wanted)
    status = 400 if errors else 200
    return page(request, "acts.html", status, doc=doc, form=form, errors=errors)


@router.get("/acts/{act_id}", response_class=HTMLResponse)
async def act_page(request: Request, act_id: str, on: str = "") -> HTMLResponse:
    catalog = _catalog(request)
    index = catalog.index(date.max)
    wanted = act_id.strip().upper()
    error = None
    try:
        day = parse_day(on, "on")
    except InputError as e:
        day, error = None, _error(e)
    doc = act_view.act_page_doc(index, wanted, day)
    if doc is None:
        near = difflib.get_close_matches(wanted, list(catalog.dataset.acts), n=5, cutoff=0.6)
        return page(request, "missing.html", 404, what=f"act {act_id}", act_id=act_id, near=near)
    cited = [doc["id"], *(r["id"] for r in doc["related"])]
    status = 400 if error else 200
    return page(request, "act.html", status, act=doc, notes=footnotes(request, cited), on=on, error=error)


@router.get("/coverage", response_class=HTMLResponse)
async def coverage_page(request: Request, imposer: str = "", direction: str = "") -> HTMLResponse:
    """What the data set vouches for: the imposer x direction x period matrix, each
    declaration's grounds, and the sides with goods measures that nothing vouches for."""
    catalog = _catalog(request)
    index = catalog.index(date.today())
    error = None
    try:
        who = catalog.resolve(imposer, "imposer") if imposer.strip() else None
        way = documents.direction_of(direction) if direction.strip() else None
    except InputError as e:
        who, way, error = None, None, _error(e)
    doc = documents.coverage_doc(index, who, way)
    grid = coverage_grid(doc["matrix"])
    status = 400 if error else 200
    form = {"imposer": imposer if error else (who or ""), "direction": direction}
    return page(request, "coverage.html", status, doc=doc, grid=grid, error=error, form=form)


#: The years the coverage timelines span (the data's periods lie within them).
FIRST_YEAR, LAST_YEAR = 2006, 2027


def _x(day: str | None, end: bool = False) -> float:
    """Where a day sits on a timeline from FIRST_YEAR to the end of LAST_YEAR (0-100)."""
    if day is None:
        return 100.0 if end else 0.0
    d = date.fromisoformat(day)
    first, last = date(FIRST_YEAR, 1, 1), date(LAST_YEAR + 1, 1, 1)
    d = min(max(d, first), last)
    return round(100 * (d - first).days / (last - first).days, 2)


def _bar(period: dict[str, Any]) -> dict[str, float]:
    start, end = _x(period["start"]), _x(period.get("end"), end=True)
    return {"x": start, "width": max(end - start, 0.4)}


def coverage_grid(matrix: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The matrix as the page draws it: one row per imposer, a cell per direction, each
    with its declarations and goods measures placed on a timeline."""
    imposers: dict[str, dict[str, Any]] = {}
    for row in matrix:
        entry = imposers.setdefault(row["imposer"], {"imposer": row["imposer"], "name": row["imposer_name"]})
        declarations = [{**d, "bar": _bar(d["period"])} for d in row["declarations"]]
        measures = [{**m, "bar": _bar(m["period"])} for m in row["goods_measures"]]
        entry[row["direction"]] = {**row, "declarations": declarations, "goods_measures": measures}
    ticks = [{"year": y, "x": _x(f"{y}-01-01")} for y in range(FIRST_YEAR, LAST_YEAR + 1, 3)]
    return [{**v, "ticks": ticks} for _k, v in sorted(imposers.items(), key=lambda kv: kv[1]["name"])]


def _capitalize_first(text: str) -> str:
    """Upper-case the first letter only (Jinja's ``capitalize`` lowers the rest: ids)."""
    return text[:1].upper() + text[1:]


templates.env.filters["capitalize_first"] = _capitalize_first
