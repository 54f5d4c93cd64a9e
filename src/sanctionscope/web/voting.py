"""The reader poll over HTTP: ``GET/POST /v1/poll`` and the home page's form (``POST /poll``).

A vote counts only when it carries a voter id this server issued (a signed cookie, set
when the poll is shown), comes from the app's own pages or from a client that is no
browser (never from another site's form or script), and stays within the per-address
rate limit. Database work runs in a worker thread, never on the event loop.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from sanctionscope.web.poll import OPTIONS, QUESTION, Outcome, Poll, PollUnavailable
from sanctionscope.web.problems import HTTPProblem, ProblemDetails
from sanctionscope.web.schemas import PollResults, VoteAnswer
from sanctionscope.web.security import RateLimiter, Signer, client_address, same_origin

VOTER_COOKIE = "sanctionscope_voter"
COOKIE_AGE = 400 * 86400  # the longest a browser keeps a cookie

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ProblemDetails, "description": "Invalid input (the field is named)"},
    503: {"model": ProblemDetails, "description": "The poll is unavailable; the rest of the API answers"},
}
VOTE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    403: {
        "model": ProblemDetails,
        "description": "Refused: sent from another site, or without a voter id this server issued",
    },
    429: {
        "model": ProblemDetails,
        "description": "Too many votes from this address; retry after the seconds in Retry-After",
        "headers": {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
    },
}
Choice = Annotated[str, Query(description="The option voted for.", json_schema_extra={"enum": list(OPTIONS)})]

router = APIRouter(prefix="/v1")
form_router = APIRouter(include_in_schema=False)


def voter_of(request: Request) -> str | None:
    """The voter id the request carries, when this server issued it."""
    found = request.cookies.get(VOTER_COOKIE)
    signer: Signer = request.app.state.voters
    return found if signer.valid(found) else None


def issue_voter(request: Request, response: Response) -> None:
    """Give the browser a voter id (a signed cookie) when it has none this server issued."""
    if voter_of(request) is None:
        voter = request.app.state.voters.issue()
        secure = request.url.scheme == "https"
        response.set_cookie(
            VOTER_COOKIE, voter, max_age=COOKIE_AGE, httponly=True, samesite="lax", secure=secure
        )


def _doc(request: Request, voter: str | None) -> dict[str, Any]:
    poll: Poll = request.app.state.poll
    rows = poll.results()
    mine = poll.choice_of(voter) if voter is not None else None
    return {
        "question": QUESTION,
        "options": [{"id": r.option, "label": r.label, "votes": r.votes, "percent": r.percent} for r in rows],
        "total": sum(r.votes for r in rows),
        "voted": mine is not None,
        # the option this browser voted for (the home page marks it); None before a vote
        "mine": mine,
        "dataset_version": request.app.state.dataset_version,
    }


async def poll_doc(request: Request) -> dict[str, Any] | None:
    """The poll as the home page shows it; None when the poll is unavailable."""
    try:
        return await run_in_threadpool(_doc, request, voter_of(request))
    except PollUnavailable:
        return None


async def cast(request: Request, choice: str) -> tuple[str, Outcome]:
    """Check a vote and record it: the voter id and what became of the vote, or a problem."""
    base_url = getattr(getattr(request.app.state, "limits", None), "base_url", None)
    if not same_origin(request, base_url):
        raise HTTPProblem(403, "the vote was sent from another site; vote on this site's home page")
    poll: Poll = request.app.state.poll
    if not poll.available:
        raise _unavailable()
    if choice not in OPTIONS:
        raise HTTPProblem(400, f"choice: {choice!r} is not one of {sorted(OPTIONS)}", "choice", choice)
    limiter: RateLimiter = request.app.state.vote_rate
    wait = limiter.retry_after(client_address(request))
    if wait:
        detail = f"too many votes from this address; retry in {wait} s"
        raise HTTPProblem(429, detail, headers={"Retry-After": str(wait)})
    voter = voter_of(request)
    if voter is None:
        detail = f"{VOTER_COOKIE}: no voter id issued by this server; load the poll first, with cookies on"
        raise HTTPProblem(403, detail, VOTER_COOKIE)
    client = request.app.state.voters.pseudonym(client_address(request))
    try:
        outcome = await run_in_threadpool(poll.vote, voter, choice, client)
    except PollUnavailable:
        raise _unavailable() from None
    return voter, outcome


def _unavailable() -> HTTPProblem:
    return HTTPProblem(503, "the poll is unavailable at the moment; everything else answers as usual")


@router.get(
    "/poll",
    summary="The reader poll: counts and percentages (adding up to 100); sets a voter id cookie",
    response_model=None,
    responses={200: {"model": PollResults, "description": "The counts"}, **ERRORS},
)
async def poll_results(request: Request) -> JSONResponse:
    voter = voter_of(request)
    try:
        doc = await run_in_threadpool(_doc, request, voter)
    except PollUnavailable:
        raise _unavailable() from None
    response = JSONResponse(doc)
    issue_voter(request, response)
    return response


@router.post(
    "/poll",
    summary="Vote once per voter id (the cookie GET /v1/poll sets); not from other sites",
    response_model=None,
    responses={200: {"model": VoteAnswer, "description": "The counts after the vote"}, **VOTE_ERRORS},
)
async def poll_vote(request: Request, choice: Choice) -> JSONResponse:
    voter, outcome = await cast(request, choice)
    try:
        doc = await run_in_threadpool(_doc, request, voter)
    except PollUnavailable:
        raise _unavailable() from None
    return JSONResponse({**doc, "counted": outcome is Outcome.COUNTED, "outcome": outcome.value})


@form_router.post("/poll")
async def vote_form(request: Request, choice: Annotated[str, Form()]) -> Response:
    """The home page's form: vote, then back to the results."""
    _, outcome = await cast(request, choice)
    suffix = "" if outcome is Outcome.COUNTED else f"?poll={outcome.value}"
    return RedirectResponse(f"/{suffix}#poll", status_code=303)
