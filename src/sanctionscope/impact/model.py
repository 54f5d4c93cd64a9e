"""The figures an impact run produces (plain dataclasses, written out by ``output``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sanctionscope.impact.concordance import Unmapped

COVERED = "covered"
PARTLY = "partly covered"
NOT_COVERED = "not covered"


@dataclass(frozen=True)
class CodeCover:
    """How the act's lines in force on the day cover one HS6 code of the trade table."""

    code: str
    status: str
    #: act-edition HS6 codes the trade code maps to
    targets: tuple[str, ...]
    #: line ids that cover the code wholly or in part
    lines: tuple[str, ...]
    relationship: str
    reason: str

    @property
    def line(self) -> str:
        return self.lines[0] if self.lines else ""


@dataclass(frozen=True)
class OriginCover:
    origin: str
    name: str
    #: "yes" / "no" / "unclear" / "unknown" (partner code not resolved)
    targeted: str
    covered_usd: float
    partly_usd: float
    covered_t: float | None
    codes: int


@dataclass(frozen=True)
class ShareRow:
    #: "all" (every covered code together), "line" or "hs6"
    level: str
    product: str
    ban_scope: str
    supplier: str
    supplier_name: str
    targeted: str
    base_usd: float
    compare_usd: float
    base_share: float
    compare_share: float

    @property
    def change_pp(self) -> float:
        return 100.0 * (self.compare_share - self.base_share)

    @property
    def role(self) -> str:
        if self.compare_share > self.base_share + 1e-12:
            return "gained"
        if self.compare_share < self.base_share - 1e-12:
            return "lost"
        return "unchanged"


@dataclass
class ImpactReport:
    act_id: str
    measures: list[str]
    in_force: date
    importer: str
    base_year: int
    compare_year: int
    layout: str
    trade_edition: str
    edition_source: str
    act_edition: str
    dataset_version: str
    output: Path
    #: origins targeted on the in-force day (blocs expanded)
    targeted_origins: list[str] = field(default_factory=list)
    by_origin: list[OriginCover] = field(default_factory=list)
    shares: list[ShareRow] = field(default_factory=list)
    covers: dict[str, CodeCover] = field(default_factory=dict)
    unmapped: list[Unmapped] = field(default_factory=list)
    totals: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)
    #: figures layout only: like-for-like comparisons and the ones skipped
    comparisons: list[Any] = field(default_factory=list)
    skipped: list[Any] = field(default_factory=list)

    @property
    def covered_targeted_usd(self) -> float:
        return self.totals.get("covered_targeted_usd", 0.0)

    @property
    def partly_codes(self) -> list[str]:
        return sorted(c for c, v in self.covers.items() if v.status == PARTLY)

    def gainers(self, level: str = "all", product: str = "*") -> list[ShareRow]:
        rows = [r for r in self.shares if r.level == level and r.product == product and r.role == "gained"]
        return sorted(rows, key=lambda r: -r.change_pp)

    def losers(self, level: str = "all", product: str = "*") -> list[ShareRow]:
        rows = [r for r in self.shares if r.level == level and r.product == product and r.role == "lost"]
        return sorted(rows, key=lambda r: r.change_pp)
