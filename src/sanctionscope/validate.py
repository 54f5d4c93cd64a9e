"""Second loading pass: cross-references and invariants over the whole data set.

Every problem is collected with its file and line; nothing stops at the first one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

from sanctionscope.codes import significant
from sanctionscope.errors import Problem
from sanctionscope.model.acts import (
    ALL_PARTNERS,
    ActSpec,
    AddExceptions,
    AddLines,
    AddTargets,
    LineSpec,
    MeasureSpec,
    RemoveExceptions,
    RemoveLines,
    RemoveTargets,
    Suspend,
    TargetSpec,
)
from sanctionscope.model.dataset import EDITION_OF, Dataset, Path, act_exceptions, walk_exceptions
from sanctionscope.validate_coverage import (
    measure_states,
    validate_coverage,
    validate_regimes,
    validate_surveys,
)

Found = Iterator[tuple[str, Path, str]]  # (act id, key path, message)


def validate_dataset(ds: Dataset, acts_loaded: bool = True) -> list[Problem]:
    """All problems of the data set, located by file and line (coverage declarations are
    checked against the acts only when every act file loaded)."""
    found: list[tuple[str, Path, str]] = []
    for check in (_act_refs, _dates, _jurisdictions, _codes, _unique_ids, _changes, _responses, _suspensions):
        found.extend(check(ds))
    if not found:
        found.extend(_contradictions(ds))
    problems = [Problem(ds.locations[a].file, ds.locations[a].line(p), m) for a, p, m in found]
    problems.extend(_list_memberships(ds))
    problems.extend(_surveyed_through(ds))
    problems.extend(validate_surveys(ds))
    if acts_loaded and not problems:
        problems.extend(validate_regimes(ds))
    return problems + (validate_coverage(ds) if acts_loaded and not problems else [])


def _list_memberships(ds: Dataset) -> list[Problem]:
    """A list made by acts cites, for every membership, the act that made it (and the
    act that ended it, where one did); the acts must exist and be signed by then."""
    where = ds.jurisdictions_where
    found: list[Problem] = []
    for i, bloc in enumerate(ds.jurisdictions.blocs.values()):
        for j, m in enumerate(bloc.members):
            path = ("blocs", i, "members", j)
            line = where.line(path) if where else 1
            file = where.file if where else "jurisdictions.yaml"
            if bloc.kind == "list" and m.act is None:
                found.append(Problem(file, line, f"{bloc.id}: membership of {m.country} cites no act"))
            for key, ref, day in (("act", m.act, m.start), ("removed_by", m.removed_by, m.end)):
                if ref is None:
                    continue
                act = ds.acts.get(ref)
                if act is None:
                    found.append(
                        Problem(
                            file, line, f"{bloc.id}: {key} of {m.country} points to a missing act {ref!r}"
                        )
                    )
                elif day is not None and day < act.signed:
                    found.append(
                        Problem(
                            file, line, f"{bloc.id}: {m.country} {key} {ref} signed {act.signed}, after {day}"
                        )
                    )
            if m.removed_by is not None and m.end is None:
                found.append(
                    Problem(file, line, f"{bloc.id}: {m.country} is removed_by {m.removed_by} but has no end")
                )
    return found


def _surveyed_through(ds: Dataset) -> list[Problem]:
    """A territory is surveyed through states: ISO 3166-1 countries the data knows."""
    jur, where = ds.jurisdictions, ds.jurisdictions_where
    found: list[Problem] = []
    for i, territory in enumerate(jur.territories.values()):
        for state in territory.surveyed_through:
            if state not in jur.iso.countries:
                line = where.line(("territories", i, "surveyed_through")) if where else 1
                file = where.file if where else "jurisdictions.yaml"
                message = f"{territory.id}: surveyed_through names {state!r}, which is not a known country"
                found.append(Problem(file, line, message))
    return found


def _act_refs(ds: Dataset) -> Found:
    for act in ds.acts.values():
        for key in ("legal_basis", "amends", "prolongs", "repeals"):
            for i, ref in enumerate(getattr(act, key)):
                if ref not in ds.acts:
                    yield act.id, (key, i), f"{key} points to a missing act {ref!r}"


def _dates(ds: Dataset) -> Found:
    for act in ds.acts.values():
        if act.in_force < act.signed:
            yield act.id, ("in_force",), f"in_force {act.in_force} is before signed {act.signed}"
        if act.published < act.signed:
            yield act.id, ("published",), f"published {act.published} is before signed {act.signed}"
        for i, m in enumerate(act.measures):
            if m.end is not None and m.end <= m.start:
                yield (
                    act.id,
                    ("measures", i, "end"),
                    f"measure {m.id} ends ({m.end}) before it starts ({m.start})",
                )
        for path, t in _targets_of(act):
            yield from _target_dates(act.id, path, t)


def _targets_of(act: ActSpec) -> Iterator[tuple[Path, TargetSpec]]:
    """Every target an act writes: in its measures and in add_targets changes."""
    for i, m in enumerate(act.measures):
        for j, t in enumerate(m.targets):
            yield ("measures", i, "targets", j), t
    for i, c in enumerate(act.changes):
        if isinstance(c, AddTargets):
            for j, t in enumerate(c.targets):
                yield ("changes", i, "targets", j), t


def _target_dates(act: str, path: Path, t: TargetSpec) -> Found:
    if t.start and t.end and t.end <= t.start:
        yield (
            act,
            (*path, "end"),
            f"target {t.jurisdiction} ends ({t.end}) before it starts ({t.start})",
        )


def _jurisdictions(ds: Dataset) -> Found:
    known = ds.jurisdictions.exists
    for act in ds.acts.values():
        if not known(act.issuer):
            yield act.id, ("issuer",), f"unknown jurisdiction {act.issuer!r}"
        for i, m in enumerate(act.measures):
            if not known(m.imposer):
                yield act.id, ("measures", i, "imposer"), f"unknown jurisdiction {m.imposer!r}"
        for path, t in _targets_of(act):
            if not known(t.jurisdiction) and t.jurisdiction != ALL_PARTNERS:
                yield act.id, (*path, "jurisdiction"), f"unknown jurisdiction {t.jurisdiction!r}"
            for j, x in enumerate(t.excluding):
                if not known(x):
                    yield act.id, (*path, "excluding", j), f"unknown jurisdiction {x!r}"


def _lines_of(act: ActSpec) -> Iterator[tuple[Path, LineSpec]]:
    for i, m in enumerate(act.measures):
        for j, line in enumerate(m.lines):
            yield ("measures", i, "lines", j), line
    for i, c in enumerate(act.changes):
        if isinstance(c, AddLines):
            for j, line in enumerate(c.lines):
                yield ("changes", i, "lines", j), line


def _codes(ds: Dataset) -> Found:
    for act in ds.acts.values():
        edition = EDITION_OF.get(act.nomenclature or "")
        if act.nomenclature and edition is None:
            yield (
                act.id,
                ("nomenclature",),
                f"unknown nomenclature {act.nomenclature!r} (known: {', '.join(EDITION_OF)})",
            )
        for path, line in _lines_of(act):
            if not ds.nomenclature.knows(line.code, edition):
                yield (
                    act.id,
                    (*path, "code"),
                    f"unknown code {line.code} (not in {edition or 'any HS edition'})",
                )
            for exc, _ in walk_exceptions(line.exceptions):
                if exc.code is not None and not exc.code.startswith(line.code):
                    yield (
                        act.id,
                        (*path, "exceptions"),
                        f"exception {exc.id} code {exc.code} is not under line code {line.code}",
                    )
        for exc in act_exceptions(act):
            if exc.code is not None and not ds.nomenclature.knows(exc.code, edition):
                yield act.id, ("changes",), f"unknown code {exc.code} in exception {exc.id}"


def _unique_ids(ds: Dataset) -> Found:
    measures = Counter(m.id for _, m in ds.measures())
    exceptions: Counter[str] = Counter()
    for act in ds.acts.values():
        exceptions.update(e.id for e in act_exceptions(act))
    for act in ds.acts.values():
        for i, m in enumerate(act.measures):
            if measures[m.id] > 1:
                yield act.id, ("measures", i, "id"), f"measure id {m.id} is used more than once"
        for exc in act_exceptions(act):
            if exceptions[exc.id] > 1:
                yield act.id, (), f"exception id {exc.id} is used more than once"


def _measure_specs(ds: Dataset) -> dict[str, MeasureSpec]:
    return {m.id: m for _, m in ds.measures()}


def _line_ids(ds: Dataset, spec: MeasureSpec) -> set[str]:
    measure = spec.id
    ids = {line.id for line in spec.lines}
    for act in ds.acts.values():
        for c in act.changes:
            if isinstance(c, AddLines) and c.measure == measure:
                ids |= {line.id for line in c.lines}
    return ids | ({"*"} if spec.product_scope == "all" else set())


def _changes(ds: Dataset) -> Found:
    specs = _measure_specs(ds)
    all_exceptions = ds.exception_ids
    for act in ds.acts.values():
        for i, c in enumerate(act.changes):
            path: Path = ("changes", i)
            if c.measure not in specs:
                yield (
                    act.id,
                    (*path, "measure"),
                    f"change points to a missing measure {c.measure!r}",
                )
                continue
            spec = specs[c.measure]
            if isinstance(c, RemoveLines | AddExceptions):
                wanted = c.lines or []
                lines = _line_ids(ds, spec)
                for j, ref in enumerate(wanted):
                    if ref not in lines:
                        yield (
                            act.id,
                            (*path, "lines", j),
                            f"line {ref!r} is not a line of {c.measure}",
                        )
            if isinstance(c, RemoveExceptions):
                for j, ref in enumerate(c.exceptions):
                    if ref not in all_exceptions:
                        yield act.id, (*path, "exceptions", j), f"exception {ref!r} does not exist"
            if isinstance(c, RemoveTargets):
                named = {t.jurisdiction for t in spec.targets} | _added_targets(ds, c.measure)
                for j, ref in enumerate(c.targets):
                    if ref not in named:
                        yield (
                            act.id,
                            (*path, "targets", j),
                            f"{ref!r} is not a target of {c.measure}",
                        )


def _suspensions(ds: Dataset) -> Found:
    """A suspension names records of its measure, ends after it starts, and does not
    overlap another suspension of the same record (each pause is written once)."""
    specs = _measure_specs(ds)
    seen: dict[tuple[str, str], list[tuple[date, date, str]]] = {}
    for act in ds.acts.values():
        for i, c in enumerate(act.changes):
            if not isinstance(c, Suspend) or c.measure not in specs:
                continue
            path: Path = ("changes", i)
            start = c.start or c.effective or act.in_force
            if c.end is not None and c.end <= start:
                yield act.id, (*path, "end"), f"suspension ends ({c.end}) before it starts ({start})"
            spec = specs[c.measure]
            named = {
                "lines": _line_ids(ds, spec),
                "targets": {t.jurisdiction for t in spec.targets} | _added_targets(ds, c.measure),
                "exceptions": ds.exception_ids,
            }
            records = [(k, ref) for k in named for ref in getattr(c, k)] or [("measure", c.measure)]
            for kind, ref in records:
                if kind != "measure" and ref not in named[kind]:
                    yield act.id, (*path, kind), f"{ref!r} is not among the {kind} of {c.measure}"
                key = (c.measure, f"{kind}:{ref}")
                stop = c.end or date.max
                for s2, e2, other in seen.get(key, []):
                    if start < e2 and s2 < stop:
                        yield act.id, path, f"suspension of {ref} in {c.measure} overlaps the one by {other}"
                seen.setdefault(key, []).append((start, stop, act.id))


def _added_targets(ds: Dataset, measure: str) -> set[str]:
    return {
        t.jurisdiction
        for a in ds.acts.values()
        for c in a.changes
        if isinstance(c, AddTargets) and c.measure == measure
        for t in c.targets
    }


def _responses(ds: Dataset) -> Found:
    specs = _measure_specs(ds)
    for act in ds.acts.values():
        for i, m in enumerate(act.measures):
            for j, ref in enumerate(m.in_response_to):
                if ref not in specs:
                    yield (
                        act.id,
                        ("measures", i, "in_response_to", j),
                        f"in_response_to points to a missing measure {ref!r}",
                    )


def _contradictions(ds: Dataset) -> Found:
    """Same code written twice in force on the same day (two lines, or a line and a
    code exception under it): the most-specific rule cannot decide between them."""
    for state in measure_states(ds).values():
        seen: dict[str, list[tuple[date, date, str, str]]] = {}
        rules = [(significant(x.code), x.start, x.end, x.act, f"line {x.id}") for x in state.lines]
        rules += [
            (significant(e.code), e.start, e.end, e.act, f"exception {e.id}")
            for e in state.exceptions
            if e.code is not None and e.depth == 1
        ]
        for code, start, end, act, label in rules:
            stop = min(end or date.max, state.end or date.max)
            for s2, e2, act2, label2 in seen.get(code, []):
                if start < e2 and s2 < stop:
                    yield (
                        act,
                        (),
                        (
                            f"{label} ({act}) and {label2} ({act2}) of {state.id} both write "
                            f"code {code} in force on {max(start, s2)}: contradictory lines"
                        ),
                    )
            seen.setdefault(code, []).append((start, stop, act, label))
