"""The web app's pages (server-rendered; small local scripts add the map, network, picker).

Three doors: business (the shipment checker and batch upload), researchers (map,
network, tables), students (timelines and act pages, footnoted like an article). Every
result page is a permalink: the question is in the URL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from sanctionscope.codes import format_code
from sanctionscope.engine import serialise
from sanctionscope.engine.catalog import Catalog
from sanctionscope.errors import InputError
from sanctionscope.inputs import need_day, parse_day
from sanctionscope.web import api
from sanctionscope.web.poll import Outcome
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
    context.setdefault("permalink", str(request.url))
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
    doc, errors = None, {}
    if origin or hs or date_:
        catalog = _catalog(request)
        errors = _form_errors(catalog, form, restore_leading_zeros)
        if not errors:
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
                errors[e.field] = _error(e)
    notes = footnotes(request, _cited(doc)) if doc else []
    status = 400 if errors else 200
    # ``error``: the first error (for a field the form does not show, e.g. attest)
    error = next(iter(errors.values()), None)
    return page(
        request, "business.html", status, form=form, answer=doc, errors=errors, error=error, notes=notes
    )


#: What each field of the shipment form needs, said when it is left empty.
EMPTY = {
    "origin": "is empty; give the country of origin (ISO2, ISO3 or name)",
    "destination": "is empty; give the country of destination (ISO2, ISO3 or name)",
    "hs": "is empty; give an HS / TN VED code of 2 to 10 digits, or search by words",
    "date": "is empty; give the day of the shipment (YYYY-MM-DD)",
}


def _form_errors(catalog: Catalog, form: dict[str, str], restore: bool) -> dict[str, dict[str, str]]:
    """Every field error of the shipment form at once (not the first only), by field."""
    checks: dict[str, Callable[[], object]] = {
        "origin": lambda: catalog.resolve(form["origin"], "origin"),
        "destination": lambda: catalog.resolve(form["destination"], "destination"),
        "hs": lambda: catalog.code(form["hs"], "hs", restore),
        "date": lambda: need_day(form["date"], "date"),
        "as_known_on": lambda: parse_day(form["as_known_on"], "as_known_on"),
    }
    errors: dict[str, dict[str, str]] = {}
    for field, check in checks.items():
        if field in EMPTY and not form[field].strip():
            errors[field] = _error(InputError(field, form[field], EMPTY[field]))
            continue
        try:
            check()
        except InputError as e:
            errors[field] = _error(e)
    return errors


# /research, /research/sections, /research/country, /research/*.csv and /students:
# web/research_pages.py


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
    # in the order business.html first shows them, so the notes are numbered [1], [2], ...
    ids = [m["act"] for m in doc["licence_requirements"]]
    for m in doc["measures"]:
        ids += [m["act"], *(link["act"] for link in m["chain"])]
    ids += [e["act"] for e in doc["exceptions"] + doc["attested"]]
    return ids
