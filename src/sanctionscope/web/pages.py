"""The web app's pages (server-rendered; small local scripts add the map, network, picker).

Three doors: business (the shipment checker and batch upload), researchers (map,
network, tables), students (timelines and act pages, footnoted like an article). Every
result page is a permalink: the question is in the URL.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from sanctionscope.codes import format_code
from sanctionscope.engine import documents, serialise
from sanctionscope.engine.catalog import Catalog
from sanctionscope.errors import InputError
from sanctionscope.inputs import need_day, parse_day
from sanctionscope.web import api
from sanctionscope.web.poll import Outcome
from sanctionscope.web.problems import HTTPProblem
from sanctionscope.web.voting import issue_voter, poll_doc

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.filters["code"] = format_code
templates.env.filters["last_day"] = lambda end: (date.fromisoformat(end) - timedelta(days=1)).isoformat()

#: Questions of the day: the cases the project was started for.
QUESTIONS = [
    ("PL", "RU", "0808 10", "2014-08-10", "May Polish apples enter Russia on 10 August 2014?"),
    ("JP", "RU", "0303", "2014-08-10", "May Japanese frozen fish enter Russia on 10 August 2014?"),
    ("NO", "RU", "0302 14", "2014-08-10", "May fresh Norwegian salmon enter Russia on 10 August 2014?"),
    ("TR", "RU", "0702", "2016-03-01", "May Turkish tomatoes enter Russia on 1 March 2016?"),
    ("GB", "RU", "0406", "2020-06-01", "May British cheese enter Russia during the Brexit transition?"),
    ("IS", "RU", "0303", "2015-08-20", "May Icelandic frozen fish enter Russia on 20 August 2015?"),
    ("UA", "RU", "0808", "2016-03-01", "May Ukrainian apples enter Russia on 1 March 2016?"),
]


def _catalog(request: Request) -> Catalog:
    return api.catalog_of(request)


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("version", _catalog(request).version)
    context.setdefault("names", _catalog(request).dataset.jurisdictions)
    context["request"] = request
    context["permalink"] = str(request.url)
    return templates.TemplateResponse(request, name, context, status_code=status)


#: Why a vote sent from the home page was not counted, as the page says it.
NOT_COUNTED = {
    Outcome.ALREADY_VOTED: "This browser has voted already; one vote per browser is counted.",
    Outcome.ADDRESS_LIMIT: "Your vote was not counted: the poll counts a limited number of votes "
    "from one network address, and that number has been reached.",
    Outcome.POLL_FULL: "Your vote was not counted: the poll has closed, it holds no more votes.",
}


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, poll: str = "") -> HTMLResponse:
    origin, dest, hs, day, question = QUESTIONS[date.today().toordinal() % len(QUESTIONS)]
    catalog = _catalog(request)
    q = catalog.question(origin, dest, hs, date.fromisoformat(day))
    doc = serialise.answer(catalog.index(q.as_known_on), catalog.check(q))
    link = "/business?" + urlencode({"origin": origin, "destination": dest, "hs": hs, "date": day})
    note = next((text for outcome, text in NOT_COUNTED.items() if outcome.value == poll), None)
    counts = await poll_doc(request)
    response = page(
        request, "home.html", question=question, answer=doc, link=link, poll=counts, poll_note=note
    )
    issue_voter(request, response)
    return response


@router.get("/business", response_class=HTMLResponse)
async def business(
    request: Request,
    origin: str = "",
    destination: str = "RU",
    hs: str = "",
    date_: Annotated[str, Query(alias="date")] = "",
    attest: Annotated[list[str] | None, Query()] = None,
    as_known_on: str = "",
    restore_leading_zeros: bool = False,
) -> HTMLResponse:
    form = {"origin": origin, "destination": destination, "hs": hs, "date": date_, "as_known_on": as_known_on}
    form["restore_leading_zeros"] = "true" if restore_leading_zeros else ""
    doc, error = None, None
    if origin and hs and date_:
        catalog = _catalog(request)
        try:
            q = catalog.question(
                origin,
                destination,
                hs,
                need_day(date_, "date"),
                parse_day(as_known_on, "as_known_on"),
                tuple(attest or ()),
                restore_leading_zeros,
            )
            doc = serialise.answer(catalog.index(q.as_known_on), catalog.check(q))
        except InputError as e:
            error = _error(e)
    notes = footnotes(request, _cited(doc)) if doc else []
    status = 400 if error else 200
    return page(request, "business.html", status, form=form, answer=doc, error=error, notes=notes)


@router.get("/research", response_class=HTMLResponse)
async def research(request: Request, on: str = "2014-08-10", focus: str = "RU") -> HTMLResponse:
    index = _catalog(request).index(date.today())
    try:
        day, x = need_day(on, "on"), _catalog(request).resolve(focus, "focus")
    except InputError as e:
        day, x = date(2014, 8, 10), "RU"
        error: dict[str, str] | None = _error(e)
    else:
        error = None
    days = sorted({*slider_days(request), day.isoformat()})
    position = max(i for i, d in enumerate(days) if d <= day.isoformat()) if days[0] <= day.isoformat() else 0
    spared = documents.spared_doc(index, x, day)
    who = documents.who_doc(index, day)
    return page(
        request,
        "research.html",
        on=day.isoformat(),
        focus=x,
        days=days,
        position=position,
        spared=spared,
        who=who,
        error=error,
        names=index.dataset.jurisdictions,
        addressed_to_all=documents.addressed_to_all(index, x, day),
    )


@router.get("/research/{table}.csv")
async def research_csv(request: Request, table: str, on: str = "2014-08-10", focus: str = "RU") -> Response:
    index = _catalog(request).index(date.today())
    day = need_day(on, "on")
    x = _catalog(request).resolve(focus, "focus")
    if table == "who":
        return api.csv_response(documents.who_doc(index, day)["relations"], f"who-{day}.csv")
    if table == "spared":
        return api.csv_response(documents.spared_doc(index, x, day)["sanctioners"], f"spared-{x}-{day}.csv")
    if table == "map":
        return api.csv_response(documents.map_doc(index, x, day)["countries"], f"map-{x}-{day}.csv")
    raise HTTPProblem(404, f"table: {table!r} is not who, spared or map", "table", table)


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
    notes = footnotes(request, [e["id"] for e in doc["acts"]])
    told = trade_stories(catalog, {x, y})
    figures = [{"n": len(notes) + i + 1, "row": r} for i, r in enumerate(r for s in told for r in s.rows)]
    numbers = {f["row"].row: f["n"] for f in figures}
    names = catalog.dataset.jurisdictions
    return page(
        request,
        "students.html",
        a=x,
        b=y,
        timeline=doc,
        notes=notes,
        error=None,
        names=names,
        stories=told,
        figures=figures,
        numbers=numbers,
    )


@router.get("/acts/{act_id}", response_class=HTMLResponse)
async def act_page(request: Request, act_id: str) -> HTMLResponse:
    index = _catalog(request).index(date.max)
    doc = documents.act_doc(index, act_id.strip().upper())
    if doc is None:
        return page(request, "missing.html", 404, what=f"act {act_id}")
    cited = [doc["id"], *doc["legal_basis"], *doc["amends"], *doc["prolongs"], *doc["repeals"]]
    return page(request, "act.html", act=doc, notes=footnotes(request, cited))


@router.get("/coverage", response_class=HTMLResponse)
async def coverage_page(request: Request, imposer: str = "", direction: str = "") -> HTMLResponse:
    """What the data set vouches for: the coverage matrix and each declaration's grounds."""
    catalog = _catalog(request)
    try:
        who = catalog.resolve(imposer, "imposer") if imposer.strip() else None
        way = documents.direction_of(direction) if direction.strip() else None
    except InputError as e:
        doc = documents.coverage_doc(catalog.index(date.today()))
        return page(
            request, "coverage.html", 400, doc=doc, error=_error(e), imposer=imposer, direction=direction
        )
    doc = documents.coverage_doc(catalog.index(date.today()), who, way)
    return page(request, "coverage.html", doc=doc, error=None, imposer=who or "", direction=direction)


@router.get("/problems/{slug}", response_class=HTMLResponse)
async def problem_page(request: Request, slug: str) -> HTMLResponse:
    return page(request, "problem.html", slug=slug)


def _error(e: InputError) -> dict[str, str]:
    """An input error as the templates show it, next to the field it names (with the
    machine reason and the suggestion, e.g. a code's lost leading zero, when known)."""
    found = {"field": e.field, "value": str(e.value), "reason": e.reason, "code": e.code or ""}
    return {**found, "suggestion": str(getattr(e, "suggestion", None) or "")}


def footnotes(request: Request, act_ids: list[str]) -> list[dict[str, Any]]:
    """Numbered citations, in order of first mention: original title, translation, dates, URL."""
    acts = _catalog(request).dataset.acts
    out: list[dict[str, Any]] = []
    for act_id in dict.fromkeys(act_ids):
        if act_id in acts:
            out.append(
                {"n": len(out) + 1, **serialise.act_ref(acts[act_id]), "summary": acts[act_id].summary}
            )
    return out


def _cited(doc: dict[str, Any] | None) -> list[str]:
    if not doc:
        return []
    ids = []
    for m in doc["measures"] + doc["licence_requirements"]:
        ids += [m["act"], *(link["act"] for link in m["chain"])]
    ids += [e["act"] for e in doc["exceptions"] + doc["attested"]]
    return ids


def slider_days(request: Request) -> list[str]:
    """Days the map's slider stops at: every act's entry into force and each month's first."""
    acts = _catalog(request).dataset.acts.values()
    months = {date(y, m, 1) for y in range(2013, 2028) for m in range(1, 13)}
    days = months | {a.in_force for a in acts if date(2013, 1, 1) <= a.in_force <= date(2027, 12, 31)}
    days |= {a.in_force - timedelta(days=1) for a in acts if a.in_force.year >= 2014}
    return sorted(d.isoformat() for d in days)
