"""Specs of the data files: one legal act, its measures, and the changes it makes.

These pydantic models are the contract of ``data/acts/**.yaml`` (documented in
``docs/data-format.md``). They are frozen and reject unknown keys, so a misspelt key in
a data file is an error instead of a silently ignored fact.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sanctionscope.codes import expand_range, normalise_code


class Spec(BaseModel):
    # defer_build: validators are built on the first validation (loading data files),
    # not at import, so commands answering from the compiled snapshot start fast.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled as (class, field values, names of the fields set): pydantic's own state
        # wraps every instance in two more dicts and a set, and the compiled snapshot
        # holds tens of thousands of specs, all unpickled by every command.
        return (_rebuild, (type(self), self.__dict__, _shared_names(self.__pydantic_fields_set__)))


_NAMES: dict[frozenset[str], frozenset[str]] = {}
_set_attribute = object.__setattr__


def _shared_names(names: set[str]) -> frozenset[str]:
    """One object per distinct set of field names, so a pickle stores each set once."""
    key = frozenset(names)
    return _NAMES.setdefault(key, key)


def _rebuild(cls: type[Spec], values: dict[str, object], names: frozenset[str]) -> Spec:
    spec = cls.__new__(cls)
    _set_attribute(spec, "__dict__", values)
    _set_attribute(spec, "__pydantic_fields_set__", set(names))
    _set_attribute(spec, "__pydantic_extra__", None)
    _set_attribute(spec, "__pydantic_private__", None)
    return spec


class ActKind(StrEnum):
    decree = "decree"
    resolution = "resolution"
    regulation = "regulation"
    decision = "decision"
    executive_order = "executive_order"
    directive = "directive"
    law = "law"
    ordinance = "ordinance"
    cabinet_decision = "cabinet_decision"
    statement = "statement"
    notice = "notice"
    programme = "programme"
    order = "order"


class MeasureType(StrEnum):
    """UNCTAD MAST-like categories, extended with the non-trade sanction types."""

    import_ban = "import_ban"
    export_ban = "export_ban"
    #: prior authorisation (licence) required, not a ban (MAST: licensing requirement)
    import_licensing = "import_licensing"
    export_licensing = "export_licensing"
    asset_freeze = "asset_freeze"
    travel_ban = "travel_ban"
    financial_restriction = "financial_restriction"
    securities_restriction = "securities_restriction"
    arms_embargo = "arms_embargo"
    services_ban = "services_ban"
    investment_ban = "investment_ban"
    entry_ban = "entry_ban"
    visa_restriction = "visa_restriction"
    cooperation_suspension = "cooperation_suspension"
    support_programme = "support_programme"
    #: a customs-duty measure (withdrawal of MFN rates, an additional duty): restricts
    #: goods (design.md: a tariff sanction creates goods risk) but never bans them
    tariff_measure = "tariff_measure"
    other = "other"


#: Measure types that prohibit a shipment, decided by product code.
TRADE_TYPES = frozenset({MeasureType.import_ban, MeasureType.export_ban})
#: Measure types that require an authorisation for a shipment, decided by product code.
LICENSING_TYPES = frozenset({MeasureType.import_licensing, MeasureType.export_licensing})
#: Measure types that ``check`` evaluates per shipment.
CODED_TYPES = TRADE_TYPES | LICENSING_TYPES
#: Measure types imposed by the destination on the origin (the others by the origin).
IMPORT_TYPES = frozenset({MeasureType.import_ban, MeasureType.import_licensing, MeasureType.tariff_measure})
#: Measure types that restrict goods (design.md, Coverage: goods_risk). An arms embargo
#: restricts goods both ways; its list (the military list) is not written by customs code.
#: A tariff measure (customs duties on imports) restricts goods but gives no verdict.
GOODS_TYPES = CODED_TYPES | {MeasureType.arms_embargo, MeasureType.tariff_measure}

#: The target of a measure addressed to every partner (erga omnes), less its exclusions.
ALL_PARTNERS = "ALL"


class TargetScope(StrEnum):
    origin = "origin"  # goods originating in the jurisdiction
    persons = "persons"
    entities = "entities"
    government = "government"
    territory = "territory"
    country = "country"


class Text(Spec):
    """A wording in the original language with its English translation."""

    original: str = Field(min_length=1)
    en: str = Field(min_length=1)
    lang: str | None = Field(default=None, pattern=r"^[a-z]{2}$")


class Source(Spec):
    url: str = Field(pattern=r"^https?://\S+$")
    note: str | None = None


class TargetSpec(Spec):
    jurisdiction: str
    scope: TargetScope = TargetScope.country
    start: date | None = None
    end: date | None = None
    #: with jurisdiction ALL: the partners the measure is not addressed to (blocs allowed)
    excluding: list[str] = []
    note: str | None = None
    uncertain: str | None = None

    @model_validator(mode="after")
    def _exclusions_need_all(self) -> TargetSpec:
        if self.excluding and self.jurisdiction != ALL_PARTNERS:
            raise ValueError(f"excluding is only for the target {ALL_PARTNERS} (every partner)")
        return self


def _code(value: str) -> str:
    return normalise_code(value, field="code")


class ExceptionSpec(Spec):
    """A carve-out from a line: by code (decided by the code) or by description."""

    id: str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]*$")
    code: str | None = None
    wording: Text
    condition: str | None = None
    applies_to: list[str] | None = None
    uncertain: str | None = None
    exceptions: list[ExceptionSpec] = []

    @field_validator("code")
    @classmethod
    def _normalise(cls, value: str | None) -> str | None:
        return None if value is None else _code(value)


class LineSpec(Spec):
    """One line of a product list: a code prefix with its wording and exceptions."""

    id: str = Field(min_length=1)
    code: str
    wording: Text
    uncertain: str | None = None
    exceptions: list[ExceptionSpec] = []
    #: the annex and part of the act's list the line is in (EU Reg. 833/2014 annexes)
    annex: str | None = None
    part: str | None = None
    #: labels shown in answers that never decide a verdict (e.g. EU-CHP: an item of
    #: the Common High Priority list, Annex XL)
    flags: list[str] = []

    @field_validator("code")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return _code(value)


class MeasureSpec(Spec):
    id: str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]*$")
    type: MeasureType
    title: str = Field(min_length=1)
    imposer: str
    targets: list[TargetSpec] = Field(min_length=1)
    start: date
    end: date | None = None
    in_response_to: list[str] = []
    description: str | None = None
    #: lines: its product list is held as lines; all: every good; none: it restricts no
    #: goods (asset freezes, travel bans); unlisted: it restricts goods but its product
    #: list is not held (its reach, as code prefixes, in ``goods_range``; all goods if empty)
    product_scope: Literal["lines", "all", "none", "unlisted"] = "none"
    goods_range: list[str] = []
    #: who issues the authorisation of a licensing measure (the act's authority if absent)
    licensing_authority: str | None = None
    lines: list[LineSpec] = []
    exceptions: list[ExceptionSpec] = []
    #: measure: a measure as an act wrote it; regime: a regime-level record (what a
    #: sanctions regime contains, by type, with no product list of its own)
    level: Literal["measure", "regime"] = "measure"
    #: for a regime-level record: the encoded measures that hold its product lists
    lists_in: list[str] = []
    uncertain: list[str] = []

    @field_validator("goods_range")
    @classmethod
    def _normalise_range(cls, value: list[str]) -> list[str]:
        return [code for v in value for code in expand_range(v, "goods_range")]

    @model_validator(mode="after")
    def _scope_matches_lines(self) -> MeasureSpec:
        if self.product_scope != "lines" and self.lines:
            raise ValueError("lines are given but product_scope is not 'lines'")
        if self.product_scope != "unlisted" and self.goods_range:
            raise ValueError("goods_range is only for product_scope 'unlisted'")
        if self.level == "regime" and self.product_scope not in ("unlisted", "none"):
            raise ValueError(
                "a regime-level record holds no product list: product_scope 'unlisted' or 'none'"
            )
        return self


class _ChangeBase(Spec):
    measure: str
    effective: date | None = None
    note: str | None = None
    uncertain: str | None = None


class Prolong(_ChangeBase):
    op: Literal["prolong"]
    end: date | None


class End(_ChangeBase):
    op: Literal["end"]


class AddTargets(_ChangeBase):
    op: Literal["add_targets"]
    targets: list[TargetSpec] = Field(min_length=1)


class RemoveTargets(_ChangeBase):
    op: Literal["remove_targets"]
    targets: list[str] = Field(min_length=1)


class AddLines(_ChangeBase):
    op: Literal["add_lines"]
    lines: list[LineSpec] = Field(min_length=1)


class RemoveLines(_ChangeBase):
    op: Literal["remove_lines"]
    lines: list[str] = Field(min_length=1)


class AddExceptions(_ChangeBase):
    op: Literal["add_exceptions"]
    lines: list[str] | None = None
    exceptions: list[ExceptionSpec] = Field(min_length=1)


class RemoveExceptions(_ChangeBase):
    op: Literal["remove_exceptions"]
    exceptions: list[str] = Field(min_length=1)


class Suspend(_ChangeBase):
    """Suspends a measure, or some of its lines, targets or exceptions, for ``[start, end)``.

    The suspended records apply again from ``end``; their own periods are not edited.
    ``start`` defaults to the change's effective day (or the act's in-force day).
    """

    op: Literal["suspend"]
    start: date | None = None
    end: date | None
    lines: list[str] = []
    targets: list[str] = []
    exceptions: list[str] = []


Change = Annotated[
    Prolong
    | End
    | AddTargets
    | RemoveTargets
    | AddLines
    | RemoveLines
    | AddExceptions
    | RemoveExceptions
    | Suspend,
    Field(discriminator="op"),
]


class ActSpec(Spec):
    """One legal act: its citation, the measures it creates, the changes it makes."""

    id: str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]*$")
    issuer: str
    authority: str = Field(min_length=1)
    kind: ActKind
    number: str | None = None
    title: Text
    signed: date
    published: date
    in_force: date
    sources: list[Source] = Field(min_length=1)
    nomenclature: str | None = None
    legal_basis: list[str] = []
    amends: list[str] = []
    prolongs: list[str] = []
    repeals: list[str] = []
    summary: str = Field(min_length=1)
    #: the sanctions regime the act founds or belongs to, as its imposer names it
    #: (English); set on the acts that carry regime-level records
    regime: str | None = None
    uncertain: list[str] = []
    measures: list[MeasureSpec] = []
    changes: list[Change] = []

    @field_validator("number", mode="before")
    @classmethod
    def _number_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value
