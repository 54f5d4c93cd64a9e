"""A synthetic data directory of a chosen size that keeps the shape of the real data.

    python bench/synthetic.py 10000 /tmp/syn-10k [--validate]

Used by ``bench/scale.py`` and ``bench/cold.py`` (importable; the command line above
only writes a directory and prints what it holds). Size is counted in *lines*: product
lines written by acts, in measures and in ``add_lines`` changes (exceptions, removals and
prolongations are extra and not counted). The real data holds a few hundred.

What a directory of N lines holds:

* ``jurisdictions.yaml`` and ``reference/`` copied from the real data (same blocs,
  members over time, HS nomenclature);
* N >= the real line count: every real act and coverage declaration, unchanged, plus
  synthetic acts for the remaining lines;
* N < the real line count: a subset of the real acts, closed under references (legal
  basis, amended acts, measures answered, changed measures, exceptions and lines named)
  and holding at most N/2 lines, with the coverage declarations whose ``regimes`` are
  cut to the measures kept; synthetic acts write the rest. So every size mixes real and
  synthetic acts (the real ones without lines: freezes, travel bans, arms embargoes,
  stay at every size).

A subset keeps the memberships of lists made by acts only where the act they cite is
kept. A synthetic act creates one ``import_ban`` (60 %) or ``export_ban`` (40 %) with lines
(product_scope: lines). Its imposer is a real country that no coverage declaration
names (declarations demand that each held goods measure of their imposer be among
their ``regimes``; see data/coverage/) and none of whose kept real measures is a
regime-level record (the two would duplicate each other), so synthetic measures make
answers of those imposers NOT_COVERED as a real undeclared regime would, and never
touch a declaration.
Targets are one to four real countries, territories or blocs (Russia weighted as in the
real data), a few with a narrower target period, a few erga omnes (``ALL`` less a
bloc). Lines per measure follow a log-normal law (median ~20, long tail capped at
2,000) of real HS 2012 codes: 25 % headings (4 digits), 60 % subheadings (6 digits),
15 % national subdivisions (8 or 10 digits under a real subheading); ~5 % of lines carry
a code exception (carve-out) under them, ~10 % of measures a description exception
shared by some lines. About 30 % of measures are amended by one or two later acts
(``add_lines``, ``remove_lines``, ``add_exceptions``, ``prolong``). Acts come into force
on days spread uniformly over 2014-01-01 .. 2026-06-30; half of the measures are
open-ended, the others end one to three years later. The generator is deterministic for
a (size, seed) pair.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from sanctionscope.load import safe_load
from sanctionscope.paths import DEFAULT_DATA

#: Real countries that impose the synthetic measures: none has a coverage declaration and
#: none belongs to a bloc the synthetic measures target (GB left the EU, so it never
#: targets EU or EEA).
IMPOSERS = [
    "AU", "PH", "CH", "GB", "NZ", "NG", "SG", "US", "KE", "PK", "IN", "BR", "MX", "ZA",
    "AR", "BD", "MY", "LK", "ID", "CO",
]  # fmt: skip
#: Targets (countries, territories, blocs) with weights: Russia first, as in the real data.
TARGETS = {
    "RU": 30, "BY": 8, "IR": 6, "KP": 5, "SY": 4, "VE": 3, "CN": 6, "US": 3, "TR": 3,
    "EU": 6, "EAEU": 4, "CRIMEA": 3, "MM": 2, "CU": 2, "AF": 2, "JP": 2, "GB": 2,
}  # fmt: skip
#: Blocs an imposer must not target (it is or was a member).
_SELF_BLOCS = {"GB": {"EU", "EEA"}}
FIRST_DAY, LAST_DAY = date(2014, 1, 1), date(2026, 6, 30)
#: Lines per base measure: log-normal (median e**MU), capped.
MU, SIGMA, MAX_LINES = 3.0, 1.2, 2000


@dataclass
class Summary:
    """What a synthetic directory holds."""

    lines: int
    real_lines: int
    real_acts: int
    synthetic_acts: int = 0
    synthetic_measures: int = 0
    amendment_acts: int = 0
    code_exceptions: int = 0
    description_exceptions: int = 0
    dropped_real_acts: list[str] = field(default_factory=list)

    def describe(self) -> str:
        kept = "all real acts" if not self.dropped_real_acts else f"{self.real_acts} real acts (subset)"
        return (
            f"{self.lines:,} lines = {self.real_lines:,} real ({kept}) + "
            f"{self.lines - self.real_lines:,} synthetic in {self.synthetic_measures:,} measures "
            f"({self.synthetic_acts:,} acts, {self.amendment_acts:,} of them amendments; "
            f"{self.code_exceptions:,} code and {self.description_exceptions:,} description exceptions)"
        )


# -- the real data ---------------------------------------------------------------------
def _walk(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)
    else:
        yield value


def _exceptions(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for x in items or []:
        yield x
        yield from _exceptions(x.get("exceptions", []))


@dataclass
class _RealAct:
    path: Path
    raw: dict[str, Any]
    lines: int
    defines: set[str]
    #: (measure, line id) pairs this act adds with add_lines
    adds: set[tuple[str, str]]


def _real_acts(data: Path) -> dict[str, _RealAct]:
    out = {}
    for path in sorted((data / "acts").rglob("*.yaml")):
        raw = safe_load(path.read_text("utf-8"))
        defines, adds, lines = {raw["id"]}, set(), 0
        for m in raw.get("measures", []):
            defines.add(m["id"])
            lines += len(m.get("lines", []))
            defines |= {x["id"] for line in m.get("lines", []) for x in _exceptions(line.get("exceptions"))}
            defines |= {x["id"] for x in _exceptions(m.get("exceptions"))}
        for c in raw.get("changes", []):
            if c["op"] == "add_lines":
                lines += len(c["lines"])
                adds |= {(c["measure"], line["id"]) for line in c["lines"]}
                defines |= {x["id"] for line in c["lines"] for x in _exceptions(line.get("exceptions"))}
            if c["op"] == "add_exceptions":
                defines |= {x["id"] for x in _exceptions(c["exceptions"])}
        out[raw["id"]] = _RealAct(path, raw, lines, defines, adds)
    return out


def real_line_count(data: Path = DEFAULT_DATA) -> int:
    """Lines written by the real acts (measures and add_lines)."""
    return sum(a.lines for a in _real_acts(data).values())


def _closure(acts: dict[str, _RealAct]) -> dict[str, set[str]]:
    """Per act, every act it needs (itself included) for the data to validate: those it
    names, and those that change its measures."""
    owner = {i: a for a, act in acts.items() for i in act.defines}
    adders: dict[tuple[str, str], set[str]] = {}
    for a, act in acts.items():
        for key in act.adds:
            adders.setdefault(key, set()).add(a)
    direct: dict[str, set[str]] = {}
    for a, act in acts.items():
        need = {owner[s] for s in _walk(act.raw) if isinstance(s, str) and s in owner}
        for c in act.raw.get("changes", []):  # lines named by changes may come from add_lines
            for line in c.get("lines") or []:
                if isinstance(line, str):
                    need |= adders.get((c["measure"], line), set())
        direct[a] = need | {a}
    for a, act in acts.items():  # a measure comes with every act that changes it (an
        for c in act.raw.get("changes", []):  # ended measure must not outlive its end)
            direct[owner[c["measure"]]].add(a)
    out = {}
    for a in acts:
        seen, todo = set(), [a]
        while todo:
            b = todo.pop()
            if b not in seen:
                seen.add(b)
                todo.extend(direct[b] - seen)
        out[a] = seen
    return out


def _copy_jurisdictions(data: Path, out: Path, kept: set[str] | None) -> None:
    """``jurisdictions.yaml``; with a subset of the acts, the memberships of lists made by
    acts that cite an act left out are left out too (a citation must resolve)."""
    if kept is None:
        shutil.copy2(data / "jurisdictions.yaml", out / "jurisdictions.yaml")
        return
    raw = safe_load((data / "jurisdictions.yaml").read_text("utf-8"))
    for bloc in raw.get("blocs", []):
        members = bloc.get("members", [])
        bloc["members"] = [
            m for m in members if all(m.get(k) in (None, *kept) for k in ("act", "removed_by"))
        ]
    (out / "jurisdictions.yaml").write_text(_dump(raw), "utf-8")


def _subset(acts: dict[str, _RealAct], budget: int) -> set[str]:
    """A reference-closed set of real acts with at most ``budget`` lines (greedy: acts
    with fewer lines first, so lineless acts are all kept)."""
    needs = _closure(acts)
    kept: set[str] = set()
    for a in sorted(acts, key=lambda a: (sum(acts[b].lines for b in needs[a]), a)):
        more = needs[a] | kept
        if sum(acts[b].lines for b in more) <= budget:
            kept = more
    return kept


def _copy_coverage(data: Path, out: Path, measures: set[str] | None) -> None:
    (out / "coverage").mkdir()
    for path in sorted((data / "coverage").glob("*.yaml")):
        if measures is None:
            shutil.copy2(path, out / "coverage" / path.name)
            continue
        raw = safe_load(path.read_text("utf-8"))
        for decl in raw.get("declarations", []):
            decl["regimes"] = [r for r in decl.get("regimes", []) if r in measures]
        (out / "coverage" / path.name).write_text(_dump(raw), "utf-8")


# -- the synthetic acts ----------------------------------------------------------------
class _Codes:
    """Real HS 2012 codes (4 and 6 digits) with their descriptions."""

    def __init__(self, data: Path) -> None:
        self.text: dict[str, str] = {}
        path = data / "reference" / "hs_nomenclature_un_comtrade.csv"
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["hs_edition"] == "HS2012" and len(row["code"]) in (4, 6):
                    self.text[row["code"]] = row["description"]
        self.headings = sorted(c for c in self.text if len(c) == 4)
        self.subheadings = sorted(c for c in self.text if len(c) == 6)
        self.children: dict[str, list[str]] = {}
        for c in self.subheadings:
            if c[4:] != "00":
                self.children.setdefault(c[:4], []).append(c)

    def pick(self, rng: random.Random) -> str:
        r = rng.random()
        if r < 0.25:
            return rng.choice(self.headings)
        sub = rng.choice(self.subheadings)
        if r < 0.85:
            return sub
        if r < 0.93:
            return sub + f"{rng.randint(1, 9)}{rng.randint(1, 9)}"  # 8 digits (CN style)
        return sub + f"{rng.randint(0, 9)}{rng.randint(1, 9)}{rng.randint(1, 9)}0"  # 10 (TN VED)

    def under(self, code: str, rng: random.Random) -> str | None:
        """A code strictly under ``code`` (for a code exception), or None."""
        if len(code) == 4:
            kids = self.children.get(code)
            return rng.choice(kids) if kids else None
        if len(code) == 6:
            return code + f"{rng.randint(1, 9)}{rng.randint(1, 9)}"
        if len(code) == 8:
            return code + f"{rng.randint(1, 9)}0"
        return None

    def wording(self, code: str) -> dict[str, str]:
        text = self.text.get(code[:6]) or self.text.get(code[:4]) or "goods"
        text = text if len(text) <= 90 else text[:87] + "..."
        if len(code) > 6:
            text = f"{text} (national subdivision {code[6:]})"
        return {"original": text, "en": text}


def _significant(code: str) -> str:
    return code if len(code) <= 4 else code[:4] + code[4:].rstrip("0")


def _day(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randrange(max(1, (hi - lo).days)))


class _Generator:
    def __init__(self, codes: _Codes, rng: random.Random, summary: Summary, imposers: list[str]) -> None:
        self.codes, self.rng, self.summary = codes, rng, summary
        self.imposers = imposers
        self.acts: list[dict[str, Any]] = []
        self.serial = 0

    def _act(self, issuer: str, day: date, title: str, summary: str) -> dict[str, Any]:
        self.serial += 1
        act_id = f"{issuer}-SYN-{self.serial:05d}-{day.year}"
        signed = day - timedelta(days=self.rng.randrange(0, 8))
        return {
            "id": act_id,
            "issuer": issuer,
            "authority": f"Synthetic authority of {issuer}",
            "kind": self.rng.choice(["regulation", "decision", "resolution", "ordinance", "notice"]),
            "number": str(self.serial),
            "title": {"original": title, "lang": "en", "en": title},
            "signed": signed,
            "published": signed + timedelta(days=self.rng.randrange(0, 3)),
            "in_force": day,
            "sources": [
                {"url": f"https://example.org/synthetic/{act_id}", "note": "synthetic benchmark act"}
            ],
            "nomenclature": "HS2012",
            "summary": summary,
        }

    def _lines(self, count: int, taken: set[str]) -> list[dict[str, Any]]:
        out = []
        while len(out) < count:
            code = self.codes.pick(self.rng)
            key = _significant(code)
            if key in taken:
                continue
            taken.add(key)
            line: dict[str, Any] = {"id": code, "code": code, "wording": self.codes.wording(code)}
            if self.rng.random() < 0.05:
                exc = self._code_exception(line["id"], code, taken)
                if exc:
                    line["exceptions"] = [exc]
            out.append(line)
        return out

    def _code_exception(self, line_id: str, code: str, taken: set[str]) -> dict[str, Any] | None:
        sub = self.codes.under(code, self.rng)
        if sub is None or _significant(sub) in taken or _significant(sub) == _significant(code):
            return None
        taken.add(_significant(sub))
        self.summary.code_exceptions += 1
        words = self.codes.wording(sub)
        return {
            "id": f"SYN-X-{self.serial:05d}-{line_id}-{sub}",
            "code": sub,
            "wording": {"original": f"except {words['original']}", "en": f"except {words['en']}"},
        }

    def _targets(self, imposer: str, kind: str) -> list[dict[str, Any]]:
        scope = "origin" if kind == "import_ban" else "country"
        names = [t for t in TARGETS if t != imposer and t not in _SELF_BLOCS.get(imposer, set())]
        weights = [TARGETS[t] for t in names]
        if self.rng.random() < 0.05:
            return [{"jurisdiction": "ALL", "scope": scope, "excluding": [self.rng.choice(["EU", "EAEU"])]}]
        chosen: list[str] = []
        for _ in range(self.rng.choice([1, 1, 2, 2, 3, 4])):
            t = self.rng.choices(names, weights)[0]
            if t not in chosen:
                chosen.append(t)
        return [{"jurisdiction": t, "scope": scope} for t in chosen]

    def measure(self, base: int, amend_lines: int) -> int:
        """Write one measure of ``base`` lines (and amendments adding ``amend_lines``);
        return the lines written."""
        rng = self.rng
        imposer = rng.choice(self.imposers)
        kind = "import_ban" if rng.random() < 0.6 else "export_ban"
        start = _day(rng, FIRST_DAY, LAST_DAY)
        end = None if rng.random() < 0.5 else start + timedelta(days=rng.randint(365, 3 * 365))
        verb = "imports from" if kind == "import_ban" else "exports to"
        act = self._act(
            imposer,
            start,
            f"Synthetic {kind.replace('_', ' ')} no. {self.serial + 1}",
            f"Bans {verb} targets.",
        )
        taken: set[str] = set()
        measure: dict[str, Any] = {
            "id": f"{act['id']}-{kind.upper().replace('_', '-')}",
            "type": kind,
            "title": f"Synthetic ban on {verb} the targets ({base} lines)",
            "imposer": imposer,
            "targets": self._targets(imposer, kind),
            "start": start,
            **({"end": end} if end else {}),
            "product_scope": "lines",
            "lines": self._lines(base, taken),
        }
        if len(measure["targets"]) > 1 and rng.random() < 0.2:  # a narrower target period
            late = measure["targets"][-1]
            late["start"] = start + timedelta(days=rng.randint(30, 400))
        if rng.random() < 0.1 and base >= 2:
            applies = rng.sample([line["id"] for line in measure["lines"]], k=min(3, base))
            measure["exceptions"] = [
                {
                    "id": f"SYN-X-{self.serial:05d}-DESC",
                    "applies_to": applies,
                    "wording": {"original": "goods for humanitarian purposes", "en": "humanitarian goods"},
                    "condition": "Purpose shown by the importer's declaration",
                }
            ]
            self.summary.description_exceptions += 1
        act["measures"] = [measure]
        self.acts.append(act)
        self.summary.synthetic_measures += 1
        written = base
        if amend_lines:
            written += self._amend(act, measure, amend_lines, taken)
        return written

    def _amend(self, base_act: dict[str, Any], measure: dict[str, Any], extra: int, taken: set[str]) -> int:
        rng, start, end = self.rng, measure["start"], measure.get("end")
        rounds = 1 if extra < 4 or rng.random() < 0.6 else 2
        written, day = 0, start
        line_ids = [line["id"] for line in measure["lines"]]
        for r in range(rounds):
            hi = min(end, LAST_DAY) if end else LAST_DAY
            if (hi - day).days < 40:
                break
            day = _day(rng, day + timedelta(days=20), hi)
            count = extra - written if r == rounds - 1 else extra // 2
            act = self._act(
                measure["imposer"],
                day,
                f"Amending synthetic act {base_act['id']}",
                f"Changes the list of {measure['id']}.",
            )
            act["amends"] = [base_act["id"]]
            changes: list[dict[str, Any]] = []
            if count:
                changes.append(
                    {"op": "add_lines", "measure": measure["id"], "lines": self._lines(count, taken)}
                )
                written += count
            removable = [i for i in line_ids if i not in self._shared(measure)]
            if len(removable) > 4 and rng.random() < 0.5:
                gone = rng.sample(removable, k=max(1, len(removable) // 20))
                line_ids = [i for i in line_ids if i not in gone]
                changes.append({"op": "remove_lines", "measure": measure["id"], "lines": gone})
            if line_ids and rng.random() < 0.3:
                target = rng.choice(line_ids)
                exc = self._code_exception(target, target, taken)
                if exc:
                    changes.append(
                        {
                            "op": "add_exceptions",
                            "measure": measure["id"],
                            "lines": [target],
                            "exceptions": [exc],
                        }
                    )
            if end and rng.random() < 0.7:
                end = end + timedelta(days=rng.randint(180, 730))
                changes.append({"op": "prolong", "measure": measure["id"], "end": end})
                act["prolongs"] = [base_act["id"]]
            if not changes:
                self.serial -= 1
                break
            act["changes"] = changes
            self.acts.append(act)
            self.summary.amendment_acts += 1
        return written

    @staticmethod
    def _shared(measure: dict[str, Any]) -> set[str]:
        """Lines a description exception names (kept: a removed line would leave it dangling)."""
        return {i for x in measure.get("exceptions", []) for i in x.get("applies_to", [])}


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """libyaml's emitter when present; dates shared by two keys are written twice, not
    as YAML anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(doc: dict[str, Any]) -> str:
    return yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)


# -- the directory ---------------------------------------------------------------------
def build(lines: int, out: Path, data: Path = DEFAULT_DATA, seed: int = 2014) -> Summary:
    """Write a data directory of ``lines`` lines at ``out`` (created; must not exist)."""
    data = Path(data)
    real = _real_acts(data)
    real_total = sum(a.lines for a in real.values())
    kept = set(real) if lines >= real_total else _subset(real, lines // 2)
    out.mkdir(parents=True)
    _copy_jurisdictions(data, out, None if kept == set(real) else kept)
    shutil.copytree(data / "reference", out / "reference")
    for a in sorted(kept):
        target = out / real[a].path.relative_to(data)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(real[a].path, target)
    kept_measures = {m["id"] for a in kept for m in real[a].raw.get("measures", [])}
    _copy_coverage(data, out, None if kept == set(real) else kept_measures)
    real_lines = sum(real[a].lines for a in kept)
    summary = Summary(lines, real_lines, len(kept), dropped_real_acts=sorted(set(real) - kept))
    rng = random.Random(seed * 1_000_003 + lines)
    # a regime-level record (a regime known, its lists not held) and a synthetic measure of
    # the same imposer and direction would duplicate each other: such imposers stay out
    regimes = {
        m["imposer"] for a in kept for m in real[a].raw.get("measures", []) if m.get("level") == "regime"
    }
    gen = _Generator(_Codes(data), rng, summary, [i for i in IMPOSERS if i not in regimes])
    left = lines - real_lines
    while left > 0:
        base = min(MAX_LINES, max(1, round(rng.lognormvariate(MU, SIGMA))), left)
        more = min(left - base, math.ceil(base * rng.uniform(0.1, 0.3))) if rng.random() < 0.3 else 0
        left -= gen.measure(base, more)
        if left < 0:
            raise AssertionError("wrote more lines than asked")
    for act in gen.acts:
        folder = out / "acts" / act["issuer"]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{act['id']}.yaml").write_text(_dump(act), "utf-8")
    summary.synthetic_acts = len(gen.acts)
    written = (
        real_lines
        + sum(len(m["lines"]) for a in gen.acts for m in a.get("measures", []))
        + sum(len(c["lines"]) for a in gen.acts for c in a.get("changes", []) if c["op"] == "add_lines")
    )
    if written != lines:
        raise AssertionError(f"wrote {written} lines, asked {lines}")
    return summary


def validate(folder: Path) -> tuple[bool, str]:
    """Run ``sanctionscope validate`` on ``folder``: (valid, its output). The snapshot
    cache is off: a throw-away directory leaves nothing in the user's cache."""
    exe = Path(sys.executable).with_name("sanctionscope")
    env = {**os.environ, "SANCTIONSCOPE_CACHE": "off"}
    done = subprocess.run([str(exe), "validate", str(folder)], capture_output=True, text=True, env=env)
    return done.returncode == 0, (done.stdout + done.stderr).strip()


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic data directory of N lines.")
    parser.add_argument("lines", type=lambda s: int(float(s.replace("_", ""))))
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--validate", action="store_true", help="run `sanctionscope validate` on it")
    args = parser.parse_args()
    summary = build(args.lines, args.out, seed=args.seed)
    print(summary.describe())
    if summary.dropped_real_acts:
        print(f"real acts left out: {len(summary.dropped_real_acts)}")
    if args.validate:
        ok, text = validate(args.out)
        print(text.splitlines()[-1] if ok and text else text)
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
