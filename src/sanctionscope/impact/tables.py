"""Read trade tables in the layouts users have: CEPII BACI and UN Comtrade CSV.

Every row becomes a :class:`Flow` in US dollars and tonnes with ISO 3166-1 alpha-2
partners. Rows that cannot be used are counted by reason, never dropped silently.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pycountry

from sanctionscope.errors import InputError

Progress = Callable[[int, int], None]

#: BACI edition tags (file names, parameters) and Comtrade classification codes.
EDITIONS = {
    "HS92": "HS1992",
    "HS96": "HS1996",
    "HS02": "HS2002",
    "HS07": "HS2007",
    "HS12": "HS2012",
    "HS17": "HS2017",
    "HS22": "HS2022",
    "H0": "HS1992",
    "H1": "HS1996",
    "H2": "HS2002",
    "H3": "HS2007",
    "H4": "HS2012",
    "H5": "HS2017",
    "H6": "HS2022",
}
DEFAULT_EDITION = "HS2012"

#: Comtrade/BACI numeric codes that are not ISO 3166-1 numeric codes.
NUMERIC_EXTRA = {
    "58": "BE",  # Belgium-Luxembourg (before 1999)
    "251": "FR",  # France incl. Monaco
    "490": "TW",  # "Other Asia, nes" = Taiwan
    "579": "NO",  # Norway incl. Svalbard and Jan Mayen
    "699": "IN",  # India
    "711": "ZA",  # Southern African Customs Union (before 2000)
    "757": "CH",  # Switzerland incl. Liechtenstein
    "842": "US",  # USA incl. Puerto Rico and US Virgin Islands
}

#: Comtrade column names: new API names first, classic bulk-download names after.
COMTRADE_COLUMNS = {
    "year": ("refYear", "Year", "period", "Period"),
    "reporter": ("reporterISO", "Reporter ISO", "reporterCode", "Reporter Code"),
    "partner": ("partnerISO", "Partner ISO", "partnerCode", "Partner Code"),
    "code": ("cmdCode", "Commodity Code"),
    "value": ("primaryValue", "Trade Value (US$)", "TradeValue", "cifvalue"),
    "qty": ("netWgt", "Netweight (kg)", "NetWeight"),
    "flow": ("flowCode", "Trade Flow Code", "Trade Flow", "flowDesc"),
    "classification": ("classificationCode", "Classification"),
}
FIGURES_HEADER = {"product_label", "hs_code", "partner_iso2", "unit_note", "source_url"}
WORLD = {"W00", "WLD", "0", "000", "ALL"}
IMPORT_FLOWS = {"M", "1", "IMPORT", "IMPORTS"}


@dataclass(frozen=True)
class Flow:
    year: int
    exporter: str
    importer: str
    code: str
    value_usd: float
    qty_t: float | None


@dataclass
class Table:
    layout: str
    edition: str
    edition_source: str
    flows: list[Flow] = field(default_factory=list)
    #: reason -> number of rows not used
    skipped: Counter[str] = field(default_factory=Counter)
    #: partner codes that are not countries we know, with their row counts
    unresolved: Counter[str] = field(default_factory=Counter)


def detect_layout(header: list[str]) -> str:
    names = {h.strip() for h in header}
    if {"t", "i", "j", "k", "v"} <= names:
        return "baci"
    if names >= FIGURES_HEADER:
        return "figures"
    if any(c in names for c in COMTRADE_COLUMNS["code"]) and any(
        c in names for c in COMTRADE_COLUMNS["partner"]
    ):
        return "comtrade"
    raise InputError("trade", ",".join(header[:8]), "is not a BACI, UN Comtrade or figures header")


def read_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])


def edition_for(path: Path, layout: str, given: str | None) -> tuple[str, str]:
    """The HS edition of a table and how it was found."""
    if given:
        found = EDITIONS.get(given.upper().replace("HS20", "HS").replace("HS19", "HS"), given.upper())
        if found not in EDITIONS.values():
            raise InputError("edition", given, f"is not one of {sorted(set(EDITIONS.values()))}")
        return found, "parameter"
    match = re.search(r"HS(92|96|02|07|12|17|22)", path.name.upper())
    if match:
        return EDITIONS["HS" + match.group(1)], f"file name ({path.name})"
    if layout == "comtrade":
        return DEFAULT_EDITION, "Comtrade classification column (or default HS2012 if absent)"
    return DEFAULT_EDITION, "default (not given and not in the file name): assumed HS2012"


def pad_code(raw: str) -> str:
    """Digits of a product code, with a leading zero lost to a number format restored."""
    code = raw.strip().split(".")[0] if raw.strip().endswith(".0") else raw.strip()
    if code.isdigit() and len(code) % 2 == 1:
        code = "0" + code
    return code


@lru_cache(maxsize=1024)
def country(code: str) -> str | None:
    """ISO alpha-2 for an ISO numeric, alpha-3 or alpha-2 code (None if unknown)."""
    text = code.strip().upper()
    if text.isdigit():
        text = str(int(text))
        if text in NUMERIC_EXTRA:
            return NUMERIC_EXTRA[text]
        record = pycountry.countries.get(numeric=text.zfill(3))
    elif len(text) == 3:
        record = pycountry.countries.get(alpha_3=text)
    else:
        record = pycountry.countries.get(alpha_2=text)
    return None if record is None else str(record.alpha_2)


def _lines(path: Path, progress: Progress | None) -> Iterator[str]:
    """Decoded lines of a file, reporting bytes read to ``progress``."""
    total = path.stat().st_size
    done = 0
    step = max(total // 100, 1 << 20)
    mark = step
    with path.open("rb") as handle:
        for raw in handle:
            done += len(raw)
            if progress is not None and done >= mark:
                progress(done, total)
                mark += step
            yield raw.decode("utf-8-sig")
    if progress is not None:
        progress(total, total)


def _number(text: str) -> float | None:
    text = text.strip().replace(",", "")
    if not text or text.upper() in {"NA", "NAN", "N/A"}:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def read_table(
    path: Path,
    importer: str,
    years: set[int],
    layout: str | None = None,
    edition: str | None = None,
    progress: Progress | None = None,
) -> Table:
    """The flows of ``importer`` (alpha-2) in ``years`` from a BACI or Comtrade table."""
    header = read_header(path)
    found = layout or detect_layout(header)
    if found not in {"baci", "comtrade"}:
        raise InputError("layout", found, "is not 'baci' or 'comtrade' here")
    ed, source = edition_for(path, found, edition)
    table = Table(found, ed, source)
    rows = csv.DictReader(_lines(path, progress))
    if found == "baci":
        _read_baci(rows, table, importer, years)
    else:
        _read_comtrade(rows, header, table, importer, years, given=bool(edition) or "file" in source)
    return table


def _read_baci(rows: Iterator[dict[str, str]], table: Table, importer: str, years: set[int]) -> None:
    wanted: dict[str, bool] = {}
    for row in rows:
        raw_j = row["j"].strip()
        hit = wanted.get(raw_j)
        if hit is None:
            hit = wanted[raw_j] = country(raw_j) == importer
        if not hit:
            continue
        year = int(float(row["t"]))
        if year not in years:
            continue
        _add(
            table,
            year,
            row["i"],
            importer,
            row["k"],
            _number(row["v"]),
            _number(row.get("q") or ""),
            1000.0,
            1.0,
        )


def _column(header: list[str], key: str) -> str | None:
    names = {h.strip(): h for h in header}
    return next((names[c] for c in COMTRADE_COLUMNS[key] if c in names), None)


def _read_comtrade(
    rows: Iterator[dict[str, str]],
    header: list[str],
    table: Table,
    importer: str,
    years: set[int],
    given: bool,
) -> None:
    cols = {key: _column(header, key) for key in COMTRADE_COLUMNS}
    missing = [k for k in ("year", "reporter", "partner", "code", "value") if cols[k] is None]
    if missing:
        raise InputError("trade", ",".join(header[:8]), f"lacks Comtrade columns for {missing}")
    editions_seen: set[str] = set()
    for row in rows:

        def get(key: str, row: dict[str, str] = row) -> str:
            name = cols[key]
            return (row.get(name) or "").strip() if name else ""

        if country(get("reporter")) != importer:
            continue
        flow = get("flow").upper()
        if flow and flow not in IMPORT_FLOWS:
            table.skipped["not an import flow (only imports reported by the importer are used)"] += 1
            continue
        year = int(float(get("year")[:4]))
        if year not in years:
            continue
        cls = EDITIONS.get(get("classification").upper())
        if cls:
            editions_seen.add(cls)
        if get("partner").upper() in WORLD or get("partner").upper() == "WORLD":
            table.skipped["partner is World (aggregate)"] += 1
            continue
        _add(
            table,
            year,
            get("partner"),
            importer,
            get("code"),
            _number(get("value")),
            _number(get("qty")),
            1.0,
            0.001,
        )
    if len(editions_seen) > 1:
        raise InputError("trade", sorted(editions_seen), "mixes HS editions; split the file by edition")
    if editions_seen and not given:
        table.edition = editions_seen.pop()
        table.edition_source = "Comtrade classification column"
    elif not editions_seen and not given:
        table.edition_source = "default (no classification column, not given): assumed HS2012"


def _add(
    table: Table,
    year: int,
    raw_partner: str,
    importer: str,
    raw_code: str,
    value: float | None,
    qty: float | None,
    value_scale: float,
    qty_scale: float,
) -> None:
    code = pad_code(raw_code)
    if not (code.isdigit() and len(code) == 6):
        table.skipped["product code is not HS6 (aggregate or malformed)"] += 1
        return
    if value is None:
        table.skipped["no trade value"] += 1
        return
    partner = country(raw_partner)
    if partner is None:
        table.unresolved[raw_partner.strip()] += 1
        partner = "?" + raw_partner.strip()
    q = None if qty is None else qty * qty_scale
    table.flows.append(Flow(year, partner, importer, code, value * value_scale, q))
