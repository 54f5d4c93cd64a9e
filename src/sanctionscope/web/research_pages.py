"""The researchers' and students' pages: one date and one focus drive the research page.

The research page's state is its URL (``/research?on=D&focus=X[&country=C]``): a plain GET
renders every section for that state, and the page's script asks for the same sections
again (``/research/sections``: an HTML fragment rendered by the same template) when the
slider or the focus changes, then writes the state back into the URL. No section keeps an
old date. The CSV downloads are flat (one value per cell; lists are ``;``-joined ids) and
documented in ``docs/exports.md``; their columns and rows are in ``web.research_csv``.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sanctionscope.engine import documents
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.compile import Index
from sanctionscope.errors import InputError
from sanctionscope.inputs import need_day
from sanctionscope.model.acts import ALL_PARTNERS, MeasureType
from sanctionscope.model.jurisdictions import Inclusion
from sanctionscope.research.network import focus_view
from sanctionscope.web import api
from sanctionscope.web.pages import _error, footnotes, page, templates
from sanctionscope.web.problems import HTTPProblem
from sanctionscope.web.research_csv import CSV_COLUMNS, csv_rows

__all__ = [
    "CSV_COLUMNS",
    "DEFAULT_DAY",
    "DEFAULT_FOCUS",
    "SMALL_STATES",
    "change_days",
    "csv_rows",
    "router",
    "sections",
    "slider_days",
]

router = APIRouter(include_in_schema=False)

DEFAULT_DAY = "2014-08-10"
DEFAULT_FOCUS = "RU"
#: States the 1:110m world geometry does not draw: map.js puts a circle on each, and the page
#: lists them, so that every one is reachable (by mouse, keyboard or search in the page).
SMALL_STATES = (
    "AD", "LI", "MC", "SM", "VA", "MT", "GI", "FO", "BH", "SG", "HK", "MO", "MV", "MU", "SC", "KM",
    "CV", "ST", "AG", "BB", "DM", "GD", "KN", "LC", "VC", "FM", "KI", "MH", "NR", "PW", "TO", "TV", "WS",
)  # fmt: skip


def _catalog(request: Request) -> Catalog:
    return api.catalog_of(request)


def change_days(index: Index) -> list[str]:
    """Days on which something changed in the data: an act entered into force, a measure
    started or ended (the slider's ticks)."""
    days = {a.in_force for a in index.dataset.acts.values()}
    for m in index.measures.values():
        days.add(m.start)
        if m.end:
            days.add(m.end)
    return sorted(d.isoformat() for d in days if date(2013, 1, 1) <= d <= date(2027, 12, 31))


def slider_days(index: Index) -> list[str]:
    """Days the slider stops at: each month's first, every change day and the day before it."""
    months = {date(y, m, 1).isoformat() for y in range(2013, 2028) for m in range(1, 13)}
    changes = change_days(index)
    before = {(date.fromisoformat(d) - timedelta(days=1)).isoformat() for d in changes if d >= "2014"}
    return sorted(months | set(changes) | before)


def _link(request: Request, **query: str) -> str:
    """An absolute link to the research page in the state ``query`` (empty values left out)."""
    kept = {k: v for k, v in query.items() if v}
    return str(request.url.replace(path="/research", query=urlencode(kept), fragment=""))


def _state(request: Request, on: str, focus: str) -> tuple[date, str, dict[str, str] | None]:
    """The day and focus asked for, or the defaults with the input error to show."""
    catalog = _catalog(request)
    try:
        return need_day(on, "on"), catalog.resolve(focus, "focus"), None
    except InputError as e:
        found = _error(e)
    try:
        day = need_day(on, "on")
    except InputError:
        day = date.fromisoformat(DEFAULT_DAY)
    try:
        x = catalog.resolve(focus, "focus")
    except InputError:
        x = DEFAULT_FOCUS
    return day, x, found


def sections(request: Request, day: date, x: str) -> dict[str, Any]:
    """Everything below the controls, for one day and focus (the fragment's context)."""
    index = _catalog(request).index(date.today())
    on = day.isoformat()
    spared = documents.spared_doc(index, x, day)
    for row in spared["sanctioners"]:
        row["on_state"] = any(
            documents.on_the_state(index, index.measures[s["id"]], x, day) for s in row["sanctions"]
        )
    every = documents.map_doc(index, x, day)["countries"]
    countries = [c for c in every if c["status"] != "none"]
    small = sorted((c for c in every if c["id"] in SMALL_STATES), key=lambda c: str(c["name"]))
    return {
        "on": on,
        "focus": x,
        "names": index.dataset.jurisdictions,
        "spared": spared,
        "who": documents.who_doc(index, day),
        "countries": countries,
        "small": small,
        "legend": documents.MAP_LEGEND,
        "addressed_to_all": documents.addressed_to_all(index, x, day),
        "network": focus_view(index, x, day),
        "query": urlencode({"on": on, "focus": x}),
        "permalink": _link(request, on=on, focus=x),
    }


@router.get("/research", response_class=HTMLResponse)
async def research(
    request: Request, on: str = DEFAULT_DAY, focus: str = DEFAULT_FOCUS, country: str = ""
) -> HTMLResponse:
    index = _catalog(request).index(date.today())
    day, x, error = _state(request, on, focus)
    days = sorted({*slider_days(index), day.isoformat()})
    position = max((i for i, d in enumerate(days) if d <= day.isoformat()), default=0)
    changes = set(change_days(index))
    ticks = [i for i, d in enumerate(days) if d in changes]
    context = sections(request, day, x)
    panel = _country(request, country, day, x) if country.strip() else None
    if panel is not None:
        context["permalink"] = _link(request, on=day.isoformat(), focus=x, country=panel["id"])
    return page(
        request,
        "research.html",
        400 if error else 200,
        days=days,
        position=position,
        ticks=ticks,
        error=error,
        typed_focus=focus if error else x,
        panel=panel,
        **context,
    )


@router.get("/research/sections", response_class=HTMLResponse)
async def research_sections(
    request: Request, on: str = DEFAULT_DAY, focus: str = DEFAULT_FOCUS
) -> HTMLResponse:
    """The research page's sections for a day and focus, as an HTML fragment (the page's
    script swaps them in); an input error is a 400 with the message as a fragment."""
    catalog = _catalog(request)
    try:
        day, x = need_day(on, "on"), catalog.resolve(focus, "focus")
    except InputError as e:
        context = {"request": request, "error": _error(e)}
        return templates.TemplateResponse(request, "research_error.html", context, status_code=400)
    context = {"request": request, **sections(request, day, x)}
    return templates.TemplateResponse(request, "research_sections.html", context)


def _country(request: Request, country: str, day: date, focus: str) -> dict[str, Any] | None:
    """A country's measures in force on ``day``, both ways: those it imposes (itself or
    through a union it belongs to) and those on it (on the state, a territory, persons or
    entities of it, through a bloc or list it is in, or addressed to all partners)."""
    catalog = _catalog(request)
    index = catalog.index(date.today())
    jur = index.dataset.jurisdictions
    try:
        c = catalog.resolve(country, "country")
    except InputError:
        return None
    own: list[dict[str, Any]] = []  # imposed by the country itself (or a subdivision)
    unions: dict[str, list[dict[str, Any]]] = {}  # imposed by a union it is bound by
    on_state: list[dict[str, Any]] = []  # on the state, its territory, goods from it
    on_persons: list[dict[str, Any]] = []  # only on persons or entities of it
    to_all: list[dict[str, Any]] = []  # addressed to all partners, not excluding it
    between: list[dict[str, Any]] = []  # between the country and the focus, both ways
    support: list[dict[str, Any]] = []
    for m in sorted(index.measures.values(), key=lambda m: (m.spec.imposer, m.type.value, m.id)):
        if not m.active(day):
            continue
        imposer = m.spec.imposer
        row: dict[str, Any] = {
            "id": m.id,
            "type": m.type.value.replace("_", " "),
            "title": m.spec.title,
            "act": m.act.id,
            "imposer": imposer,
            "imposer_name": jur.name(imposer),
        }
        targets = m.targets_on(day)
        itself = imposer == c or jur.parent(imposer) == c
        by = itself or jur.bound_by(imposer, c, day)
        if m.type == MeasureType.support_programme:
            if by:
                support.append(row)
            continue
        if by:
            named = sorted({t.jurisdiction for t in targets})
            entry = {**row, "targets": ", ".join(jur.name(t) for t in named)}
            (own if itself else unions.setdefault(jur.name(imposer), [])).append(entry)
            if c != focus and any(jur.includes(t.jurisdiction, focus, day) == Inclusion.yes for t in targets):
                between.append({**entry, "way": f"{jur.name(c)} → {jur.name(focus)}"})
        if imposer == c:
            continue
        scopes = {t.scope.value for t in targets if jur.includes(t.jurisdiction, c, day) == Inclusion.yes}
        if scopes:
            persons = scopes <= {"persons", "entities"}
            entry = {**row, "scopes": ", ".join(sorted(scopes)), "persons": persons}
            (on_persons if persons else on_state).append(entry)
            if imposer == focus:
                between.append({**entry, "way": f"{jur.name(focus)} → {jur.name(c)}"})
        elif any(
            t.jurisdiction == ALL_PARTNERS
            and not any(jur.includes(e, c, day) == Inclusion.yes for e in t.excluding)
            for t in targets
        ):
            to_all.append(row)
    status = next(
        (r["status"] for r in documents.map_doc(index, focus, day)["countries"] if r["id"] == c), "none"
    )
    return {
        "id": c,
        "name": jur.name(c),
        "on": day.isoformat(),
        "focus": focus,
        "status": status,
        "between": between,
        "own": own,
        "unions": sorted(unions.items()),
        "imposed": own + [r for rows in unions.values() for r in rows],
        "on_state": on_state,
        "on_persons": on_persons,
        "to_all": to_all,
        "received": on_state + on_persons,
        "support": support,
    }


@router.get("/research/country", response_class=HTMLResponse)
async def country_panel(
    request: Request, country: str, on: str = DEFAULT_DAY, focus: str = DEFAULT_FOCUS
) -> HTMLResponse:
    """The map's country panel as an HTML fragment (the page renders the same one for
    ``/research?...&country=C``)."""
    catalog = _catalog(request)
    try:
        day, x = need_day(on, "on"), catalog.resolve(focus, "focus")
        catalog.resolve(country, "country")
    except InputError as e:
        found: dict[str, Any] = {"request": request, "error": _error(e)}
        return templates.TemplateResponse(request, "research_error.html", found, status_code=400)
    panel = _country(request, country, day, x)
    context: dict[str, Any] = {
        "request": request,
        "panel": panel,
        "names": catalog.dataset.jurisdictions,
        "legend": documents.MAP_LEGEND,
    }
    return templates.TemplateResponse(request, "research_country.html", context)


# -- CSV downloads: flat, typed, documented in docs/exports.md -----------------------------


@router.get("/research/{table}.csv")
async def research_csv(
    request: Request, table: str, on: str = DEFAULT_DAY, focus: str = DEFAULT_FOCUS
) -> Response:
    index = _catalog(request).index(date.today())
    if table not in CSV_COLUMNS:
        raise HTTPProblem(404, f"table: {table!r} is not who, spared or map", "table", table)
    day = need_day(on, "on")
    x = _catalog(request).resolve(focus, "focus")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS[table], lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(csv_rows(index, table, x, day))
    name = f"{table}-{day}.csv" if table == "who" else f"{table}-{x}-{day}.csv"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


# -- students ------------------------------------------------------------------------------


@router.get("/students", response_class=HTMLResponse)
async def students(request: Request, a: str = "RU", b: str = "JP") -> HTMLResponse:
    catalog = _catalog(request)
    try:
        x, y = catalog.resolve(a, "a"), catalog.resolve(b, "b")
    except InputError as e:
        error = _error(e)
        return page(request, "students.html", 400, a=a, b=b, timeline=None, notes=[], error=error)
    from sanctionscope.research.brief import trade_stories

    doc = documents.timeline_doc(catalog.index(date.today()), x, y)
    sanctions = [e for e in doc["acts"] if e["kind"] != "support"]
    support = [e for e in doc["acts"] if e["kind"] == "support"]
    notes = footnotes(request, [e["id"] for e in sanctions + support])  # numbered as read
    told = trade_stories(catalog, {x, y})
    figures = [{"n": len(notes) + i + 1, "row": r} for i, r in enumerate(r for s in told for r in s.rows)]
    numbers = {f["row"].row: f["n"] for f in figures}
    return page(
        request,
        "students.html",
        a=x,
        b=y,
        timeline=doc,
        sanctions=sanctions,
        support=support,
        notes=notes,
        error=None,
        names=catalog.dataset.jurisdictions,
        stories=told,
        figures=figures,
        numbers=numbers,
    )
