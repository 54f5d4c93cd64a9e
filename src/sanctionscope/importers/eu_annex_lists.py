"""EU annex importer, part 4: lists of CN lines as TSV, and their difference.

Holds ``rows_tsv`` (rows as a transcription TSV, the output of ``state``), ``read_list``
(a transcription or consolidated list read as counted keys) and ``diff_lists`` (the lines
to add and remove to turn one list into another, the ``diff`` command).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from sanctionscope.codes import normalise_code, significant
from sanctionscope.importers.eu_annex_state import HEADER, Row

ListKey = tuple[str, str, bool, str]


def read_list(path: Path, ignore_part: bool = False, distinct: bool = False) -> Counter[ListKey]:
    """A list of CN lines as TSV: either the transcription header (annex part op ex code ...)
    or a consolidated list's (annex part ex cn_code ...). Keys: annex, part, ex, digits."""
    out: Counter[ListKey] = Counter()
    with path.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        for rec in reader:
            code = rec.get("code") or rec.get("cn_code") or ""
            if not code.strip():
                continue
            ex = (rec.get("ex") or "").strip() in ("1", "ex")
            part = "" if ignore_part else (rec.get("part") or "").strip()
            key = (rec["annex"].strip(), part, ex, significant(normalise_code(code, "code")))
            out[key] = 1 if distinct else out[key] + 1
    return out


def diff_lists(before: Counter[ListKey], after: Counter[ListKey]) -> tuple[list[ListKey], list[ListKey]]:
    """(lines to add, lines to remove) to turn ``before`` into ``after``."""
    added = sorted((after - before).elements())
    removed = sorted((before - after).elements())
    return added, removed


def rows_tsv(rows: Sequence[Row]) -> str:
    buf = io.StringIO()
    buf.write("\t".join(HEADER) + "\n")
    for r in rows:
        cells = [r.annex, r.part, "add", "1" if r.ex else "", r.code, r.wording, "", r.note]
        buf.write("\t".join(cells) + "\n")
    return buf.getvalue()
