"""Coverage declarations: what the data set vouches for (design.md, Coverage).

An ``ALLOWED`` answer claims that every goods measure that could apply is held. That
claim is data too: a declaration says that, for one imposer and one direction (imports
into it, exports from it) over a half-open period ``[start, end)``, every goods measure
it had in force is in the data, for the product scope given, as of ``reviewed_on``.
These are the contract of ``data/coverage/*.yaml`` (documented in docs/data-format.md).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field, field_validator

from sanctionscope.codes import expand_range
from sanctionscope.model.acts import Source, Spec


class Direction(StrEnum):
    """The side of a shipment an imposer's law speaks to."""

    import_ = "import"  # goods entering the imposer's territory
    export = "export"  # goods leaving it


class ProductScope(Spec):
    """Code prefixes vouched for: all goods when ``include`` is empty, less ``exclude``."""

    include: list[str] = []
    exclude: list[str] = []

    @field_validator("include", "exclude")
    @classmethod
    def _codes(cls, value: list[str]) -> list[str]:
        return [code for v in value for code in expand_range(v, "product_scope")]


class DeclarationSpec(Spec):
    id: str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]*$")
    imposer: str
    direction: Direction
    start: date
    end: date | None = None
    #: partners vouched for (countries, blocs, lists); every partner when empty
    partners: list[str] = []
    #: ids of the goods measures held for this imposer and direction in the period
    regimes: list[str] = []
    product_scope: ProductScope = Field(default_factory=ProductScope)
    #: what the declaration leaves out on purpose (e.g. sanitary and phytosanitary bans)
    left_out: list[str] = []
    #: the day the sources were last checked for new acts
    reviewed_on: date
    sources: list[Source] = Field(min_length=1)
    note: str | None = None


class CoverageFileSpec(Spec):
    """One file of declarations (by convention, one file per imposer)."""

    declarations: list[DeclarationSpec] = Field(min_length=1)
