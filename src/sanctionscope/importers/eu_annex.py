"""EU goods annexes at CN level: from transcriptions of the amending acts to act files.

Input (one folder per amending act, ``data/reference/transcriptions/EU/<ACT-ID>/``):

- ``a.tsv``: the CN lines the act's own text writes, header
  ``annex part op ex code wording from note``; ``op`` is ``add``, ``remove`` or
  ``replace`` (the complete new list of an annex/part, diffed against the state before);
  ``ex`` is 1 for an "ex" line; ``from`` a later application day the act sets for the row.
- ``act.yaml``: the act's metadata (``act:``, copied to the act file), the measures it
  creates (``measures:``, each fed by an ``annex``, optionally restricted to ``parts``)
  and other changes (``changes:``: wind-down exceptions, ends ...). In a change, the
  importer-only key ``parts: ["XXI/A"]`` expands to the ids of the lines of those
  annex parts in force after the act (``except_codes`` leaves some out).
  A measure spec's importer-only key ``line_flags: [EU-CHP]`` gives every line the measure
  holds those flags (Annex XL: Common High Priority items).
  ``relabel: {XVII: XVII/A}`` moves the lines of an annex (or part) into a part when an act
  splits the annex ("the existing list becomes Part A"): same lines, same ids.
- ``README.md``: where the text was read.

``build`` reads the folders in act order (in-force day, then id), keeps the state of each
annex/part and writes ``data/acts/EU/<ACT-ID>.yaml`` per act. ``state`` prints the lines
in force on a day; ``diff`` compares two TSV lists (for example the state on a day with a
list transcribed from a consolidated version).

Usage::

    python -m sanctionscope.importers.eu_annex build [--check]
    python -m sanctionscope.importers.eu_annex state --at 2023-04-27 > state.tsv
    python -m sanctionscope.importers.eu_annex diff state.tsv consolidated.tsv

This module holds the command line (``main``) and re-exports the names of the modules the
importer is split into (helpers too, for the scripts under ``data/reference/transcriptions/EU``):
``eu_annex_state`` (transcriptions, rows, lines, the annex state), ``eu_annex_acts``
(applying the acts, ``build``), ``eu_annex_write`` (the act files) and ``eu_annex_lists``
(TSV lists and their difference).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sanctionscope.codes import normalise_code, significant
from sanctionscope.importers.eu_annex_acts import (
    _IMPORTER_KEYS,
    _exception_id,
    _expand,
    _seed,
    _wording,
    apply_act,
    build,
    line_spec,
)
from sanctionscope.importers.eu_annex_lists import ListKey, diff_lists, read_list, rows_tsv
from sanctionscope.importers.eu_annex_state import (
    _HS,
    HEADER,
    OPS,
    ROOT,
    TRANSCRIPTIONS,
    Folder,
    ImportError_,
    Line,
    Row,
    State,
    _line_id,
    _norm,
    _sorted,
    _twin,
    folders,
    hs_codes,
    line_code,
    lines_on,
    read_folder,
    read_tsv,
)
from sanctionscope.importers.eu_annex_write import ACTS, dump, write

__all__ = [
    "ACTS",
    "HEADER",
    "OPS",
    "ROOT",
    "TRANSCRIPTIONS",
    "_HS",
    "_IMPORTER_KEYS",
    "Folder",
    "ImportError_",
    "Line",
    "ListKey",
    "Row",
    "State",
    "_exception_id",
    "_expand",
    "_line_id",
    "_norm",
    "_seed",
    "_sorted",
    "_twin",
    "_wording",
    "apply_act",
    "build",
    "diff_lists",
    "dump",
    "folders",
    "hs_codes",
    "line_code",
    "line_spec",
    "lines_on",
    "main",
    "normalise_code",
    "read_folder",
    "read_list",
    "read_tsv",
    "rows_tsv",
    "significant",
    "write",
]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sanctionscope.importers.eu_annex")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="write data/acts/EU/<ACT-ID>.yaml from the transcriptions")
    b.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    b.add_argument("--root", type=Path, default=TRANSCRIPTIONS)
    b.add_argument("--out", type=Path, default=ACTS)
    s = sub.add_parser("state", help="print the lines in force on a day (TSV)")
    s.add_argument("--at", required=True, type=date.fromisoformat)
    s.add_argument("--root", type=Path, default=TRANSCRIPTIONS)
    d = sub.add_parser("diff", help="lines to add/remove to turn list A into list B")
    d.add_argument("a", type=Path)
    d.add_argument("b", type=Path)
    d.add_argument("--ignore-part", action="store_true", help="compare annexes without their parts")
    d.add_argument(
        "--distinct", action="store_true", help="count a code once per annex/part/ex (merged ex lines)"
    )
    d.add_argument("--annex", action="append", default=[], help="only these annexes (repeatable)")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            _, acts = build(args.root)
            changed = write(acts, args.out, check=args.check)
            for path in changed:
                print(("would change " if args.check else "wrote ") + str(path))
            print(f"{len(acts)} acts, {len(changed)} changed")
            return 1 if args.check and changed else 0
        if args.command == "state":
            state, _ = build(args.root)
            sys.stdout.write(rows_tsv(lines_on(state, args.at)))
            return 0
        a_list = read_list(args.a, args.ignore_part, args.distinct)
        b_list = read_list(args.b, args.ignore_part, args.distinct)
        if args.annex:
            a_list = Counter({k: n for k, n in a_list.items() if k[0] in args.annex})
            b_list = Counter({k: n for k, n in b_list.items() if k[0] in args.annex})
        added, removed = diff_lists(a_list, b_list)
        for sign, keys in (("+", added), ("-", removed)):
            for annex, part, ex, code in keys:
                print(f"{sign}\t{annex}\t{part}\t{'ex' if ex else ''}\t{code}")
        print(f"# {len(added)} only in B, {len(removed)} only in A", file=sys.stderr)
        return 1 if added or removed else 0
    except ImportError_ as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
