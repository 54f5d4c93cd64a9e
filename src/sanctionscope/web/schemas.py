"""OpenAPI documentation of the main response bodies (the routes return the engine's plain
documents; these models only describe them, so clients can generate types and switch on
``verdict`` knowing every value it may take)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from sanctionscope.engine.answer import Verdict
from sanctionscope.engine.documents import VERDICTS
from sanctionscope.web.poll import Outcome

#: The verdict values and their meaning, as the schema's description says them.
VERDICT_HELP = "The verdict, in order of precedence:\n" + "\n".join(
    f"- `{value}`: {meaning}" for value, meaning in VERDICTS.items()
)

#: A verdict value: an enum of all five, each with its meaning (``x-enum-descriptions``).
VerdictValue = Annotated[
    Verdict,
    WithJsonSchema(
        {
            "type": "string",
            "title": "Verdict",
            "enum": [v.value for v in Verdict],
            "description": VERDICT_HELP,
            "x-enum-descriptions": VERDICTS,
        }
    ),
]


class Open(BaseModel):
    """Documented fields; the body may carry more."""

    model_config = ConfigDict(extra="allow")


class Period(Open):
    start: str | None = Field(description="First day, YYYY-MM-DD.")
    end: str | None = Field(description="First day no longer included (half-open period); null: open-ended.")


class Source(Open):
    url: str
    note: str | None = None


class Declaration(Open):
    """A coverage declaration: the goods measures of one imposer and direction the data set
    vouches for holding, over a period, for some partners and products."""

    id: str
    imposer: str
    direction: str = Field(description="`import` (goods entering the imposer) or `export` (leaving it).")
    period: Period
    partners: list[str] = Field(description="Partners vouched for; empty: every partner.")
    regimes: list[str] = Field(description="Ids of the goods measures held for this imposer and direction.")
    product_scope: dict[str, list[str]] = Field(
        description="Code prefixes in (`include`, all if empty) and out."
    )
    left_out: list[str] = Field(description="What the declaration leaves out on purpose.")
    reviewed_on: str = Field(description="The day its sources were last checked for new acts.")
    sources: list[Source]


class NotCovered(Open):
    """A side of the shipment the data set cannot vouch for."""

    imposer: str
    direction: str = Field(description="`import` (the destination's side) or `export` (the origin's side).")
    side: str = Field(description="The country whose side this is.")
    partner: str
    day: str
    reason: str = Field(
        description="`no_declaration`, `outside_declared_scope`, `not_reviewed_since`, `regime_not_held` "
        "(a regime restricts goods and its product lists are not held: see `regimes`) or `not_surveyed` "
        "(the side's country is not a surveyed imposer on the day)."
    )
    measures: list[str] = Field(
        description="The imposer's goods measures against the partner in force that day."
    )
    declaration: str | None = Field(description="The declaration that failed to vouch, if any.")
    reviewed_on: str | None = Field(None, description="That declaration's last review.")
    regimes: list[dict[str, Any]] = Field(
        [], description="regime_not_held: the regime-level records (measure, act, regime, title)."
    )
    survey: str | None = Field(None, description="not_surveyed: the survey that does not vouch for the day.")


class Coverage(Open):
    relied_on: list[Declaration] = Field(description="The declarations the answer relied on.")
    not_covered: list[NotCovered] = Field(
        description="The sides not vouched for (NOT_COVERED when not empty)."
    )
    grace_days: int | None = Field(description="Days a declaration keeps vouching after its review.")
    sides_assessed: list[str] = Field(
        [], description="The directions assessed: `import`, `export` or both (the `side` asked)."
    )


class LicenceRequirement(Open):
    id: str = Field(description="The licensing measure; attest it when the shipment holds the licence.")
    title: str
    licensing_authority: str = Field(description="Who issues the licence.")


class CheckAnswer(Open):
    """The answer to a shipment question (more fields: measures, exceptions, the legal chain)."""

    verdict: VerdictValue
    reason: str = Field(description="Why, as a stable code (e.g. `listed`, `no_declaration`).")
    explanation: str
    query: dict[str, Any]
    measures: list[dict[str, Any]]
    licence_requirements: list[LicenceRequirement]
    coverage: Coverage
    not_assessed: str = Field(
        description="What no verdict assesses (parties, end use, transit, origin rules)."
    )
    dataset_version: str
    as_known_on: str


class CoverageRow(Open):
    imposer: str
    imposer_name: str
    direction: str
    declarations: list[Declaration] = Field(description="By period; none: the side is never vouched for.")
    goods_measures: list[dict[str, Any]] = Field(description="The imposer's goods measures in the data.")


class CoverageMatrix(Open):
    """What the data set vouches for: imposer x direction x period."""

    matrix: list[CoverageRow]
    grace_days: int
    verdicts: dict[VerdictValue, str] = Field(description="Each verdict value and its meaning.")
    dataset_version: str
    as_known_on: str


class ScreenSummary(Open):
    rows_read: int
    answered: int
    rejected: int
    verdicts: dict[VerdictValue, int] = Field(
        description="Answered rows by verdict, every verdict listed; NOT_COVERED and LICENCE_REQUIRED "
        "are counted apart, never with ALLOWED."
    )
    download: str
    rejects: str
    dataset_version: str
    leading_zeros_restored: int | None = Field(
        default=None,
        description="With restore_leading_zeros: answered rows whose code lost a leading zero and "
        "was read with it restored (column hs_code_restored).",
    )
    side: str = Field(
        default="both",
        description="The side(s) whose law the rows were screened against: import, export, both.",
    )


class PollOption(BaseModel):
    id: str = Field(description="The option's id, the value of `choice` that votes for it.")
    label: str
    votes: int = Field(ge=0)
    percent: int = Field(ge=0, le=100, description="Share of the votes, rounded so all add up to 100.")


class PollResults(BaseModel):
    """The reader poll's counts: votes counted, one per voter id the server issued."""

    question: str
    options: list[PollOption]
    total: int = Field(ge=0)
    voted: bool = Field(description="Whether the voter id this request carries has voted.")
    dataset_version: str


class VoteAnswer(PollResults):
    counted: bool = Field(description="Whether this vote was counted.")
    outcome: Outcome = Field(
        description="`counted`; `already_voted` (one vote per voter id); `address_limit` (the most "
        "votes counted from one network address); `poll_full` (the poll holds no more votes)."
    )
