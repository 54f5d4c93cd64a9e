"""Map HS6 codes between editions with the UNSD correlation and conversion tables.

The tables in ``data/reference`` go from a newer edition to an older one (HS2012->HS2007,
HS2012->HS1992, HS2017->HS2012, HS2022->HS2017, HS2022->HS2012); they are used in both
directions and chained through a third edition when no direct pair exists. The
relationship of each mapping is computed from the composed mapping itself, from the
trade code's side: ``1:1``, ``1:n`` (the code was split), ``n:1`` (merged with others),
``n:n``. The *primary* target follows UNSD's one-to-one conversion where it exists.
"""

from __future__ import annotations

import csv
import itertools
from collections import defaultdict, deque
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

Pair = tuple[str, str]


@dataclass(frozen=True)
class Mapping:
    code: str
    targets: tuple[str, ...]
    primary: str
    relationship: str
    via: str


@dataclass(frozen=True)
class Unmapped:
    code: str
    edition: str
    reason: str


@dataclass(eq=False)  # hashed by identity, so the lru_cache below can key on it
class Concordance:
    #: (from, to) edition -> from code -> to codes (correlation, as published)
    correlation: dict[Pair, dict[str, set[str]]]
    #: (from, to) edition -> from code -> the one-to-one conversion target
    conversion: dict[Pair, dict[str, str]]

    def steps(self, source: str, target: str) -> list[Pair] | None:
        """The chain of edition pairs from ``source`` to ``target`` (shortest), or None."""
        graph: dict[str, set[str]] = defaultdict(set)
        for a, b in self.correlation:
            graph[a].add(b)
            graph[b].add(a)
        seen = {source: [source]}
        queue = deque([source])
        while queue:
            here = queue.popleft()
            if here == target:
                path = seen[here]
                return list(itertools.pairwise(path))
            for nxt in sorted(graph[here]):
                if nxt not in seen:
                    seen[nxt] = [*seen[here], nxt]
                    queue.append(nxt)
        return None

    def _edge(self, a: str, b: str) -> tuple[dict[str, set[str]], dict[str, str]]:
        """Correlation and primary conversion for one step a -> b (either direction)."""
        if (a, b) in self.correlation:
            return self.correlation[(a, b)], self.conversion.get((a, b), {})
        forward = self.correlation[(b, a)]
        corr: dict[str, set[str]] = defaultdict(set)
        for src, dsts in forward.items():
            for dst in dsts:
                corr[dst].add(src)
        back: dict[str, list[str]] = defaultdict(list)
        for src, dst in self.conversion.get((b, a), {}).items():
            back[dst].append(src)
        conv = {dst: srcs[0] for dst, srcs in back.items() if len(srcs) == 1}
        return dict(corr), conv

    def map_codes(
        self, codes: set[str], source: str, target: str, known: set[str] | None = None
    ) -> tuple[dict[str, Mapping], list[Unmapped]]:
        """Map ``codes`` of edition ``source`` to ``target``; the rest is listed with why."""
        if source == target:
            same = {
                c: Mapping(c, (c,), c, "1:1", "same edition") for c in codes if known is None or c in known
            }
            rest = [Unmapped(c, source, f"not an HS6 code of {source}") for c in sorted(codes - set(same))]
            return same, rest
        chain = self.steps(source, target)
        if chain is None:
            why = f"no UN concordance links {source} to {target} in data/reference"
            return {}, [Unmapped(c, source, why) for c in sorted(codes)]
        current: dict[str, set[str]] = {c: {c} for c in codes}
        primary: dict[str, str | None] = {c: c for c in codes}
        for a, b in chain:
            corr, conv = self._edge(a, b)
            for code in codes:
                current[code] = {t for c in current[code] for t in corr.get(c, set())}
                p = primary[code]
                primary[code] = conv.get(p) if p is not None else None
        via = " -> ".join([chain[0][0], *(b for _, b in chain)])
        reach: dict[str, int] = defaultdict(int)
        full = self._domain_reach(chain)
        for dsts in full.values():
            for d in dsts:
                reach[d] += 1
        ok: dict[str, Mapping] = {}
        bad: list[Unmapped] = []
        for code in sorted(codes):
            targets = tuple(sorted(current[code]))
            if not targets:
                bad.append(Unmapped(code, source, f"not in the UN {via} concordance"))
                continue
            merged = any(reach[t] > 1 for t in targets)
            rel = f"{'n' if merged else '1'}:{'n' if len(targets) > 1 else '1'}"
            first = primary[code] if primary[code] in targets else targets[0]
            ok[code] = Mapping(code, targets, first or targets[0], rel, via)
        return ok, bad

    def _domain_reach(self, chain: list[Pair]) -> dict[str, set[str]]:
        return _reach(self, tuple(chain))


@lru_cache(maxsize=16)
def _reach(conc: Concordance, chain: tuple[Pair, ...]) -> dict[str, set[str]]:
    """Every source code of the chain mapped to its final targets (for n:1 detection)."""
    first, _ = conc._edge(*chain[0])
    current = {c: set(d) for c, d in first.items()}
    for a, b in chain[1:]:
        corr, _ = conc._edge(a, b)
        current = {c: {t for d in ds for t in corr.get(d, set())} for c, ds in current.items()}
    return current


def load_concordance(reference: Path) -> Concordance:
    return _load(reference.resolve())


@lru_cache(maxsize=2)
def _load(reference: Path) -> Concordance:
    corr: dict[Pair, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    conv: dict[Pair, dict[str, str]] = defaultdict(dict)
    with (reference / "hs_correlation_un.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            corr[(row["from_edition"], row["to_edition"])][row["from_code"]].add(row["to_code"])
    with (reference / "hs_conversion_un.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            conv[(row["from_edition"], row["to_edition"])][row["from_code"]] = row["to_code"]
    return Concordance({k: dict(v) for k, v in corr.items()}, dict(conv))
