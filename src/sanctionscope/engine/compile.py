"""Compile the acts known on a day into measure states and a lookup index.

Pass 1 creates each measure as its act made it; pass 2 applies every later change in
order of its effective date; pass 3 builds the index used by ``check``: for each trade
measure, a dict from code prefix to the lines and code exceptions written with that
prefix, so one question costs at most nine dict lookups per measure, not a scan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from sanctionscope.codes import significant
from sanctionscope.engine.state import (
    ExceptionState,
    LineState,
    MeasureState,
    Step,
    Suspension,
    TargetState,
)
from sanctionscope.model.acts import (
    ALL_PARTNERS,
    CODED_TYPES,
    GOODS_TYPES,
    ActSpec,
    AddExceptions,
    AddLines,
    AddTargets,
    Change,
    End,
    ExceptionSpec,
    LineSpec,
    MeasureSpec,
    Prolong,
    RemoveExceptions,
    RemoveLines,
    RemoveTargets,
    Suspend,
    TargetSpec,
    Text,
)
from sanctionscope.model.dataset import Dataset, walk_exceptions

T = TypeVar("T")

#: Product scopes whose list the engine holds and can match codes against.
HELD_LISTS = frozenset({"lines", "all"})

#: The single line of a measure that covers every good (product_scope: all).
ALL_GOODS = Text.model_construct(original="all goods", en="all goods")


@dataclass
class Index:
    """Everything the engine needs to answer, for one ``as_known_on`` day."""

    dataset: Dataset
    as_known_on: date
    acts: dict[str, ActSpec]
    measures: dict[str, MeasureState]
    #: measure id -> code prefix -> lines written with exactly that prefix
    lines_by_code: dict[str, dict[str, list[LineState]]] = field(default_factory=dict)
    #: measure id -> code prefix -> code exceptions written with that prefix
    exceptions_by_code: dict[str, dict[str, list[ExceptionState]]] = field(default_factory=dict)
    exceptions_by_id: dict[str, ExceptionState] = field(default_factory=dict)
    #: measure id -> the keys of lines_by_code, sorted (for "lines under this code")
    sorted_keys: dict[str, list[str]] = field(default_factory=dict)
    _trade: list[MeasureState] | None = None
    _goods: list[MeasureState] | None = None
    #: derived lookups built on first use by the engine modules that own them
    derived: dict[str, Any] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return self.dataset.version

    def derive(self, name: str, build: Callable[[Index], T]) -> T:
        """The lookup ``name``, built from the index on first use by the module that owns
        it and kept with the index (snapshots store indexes without them)."""
        found = self.derived.get(name)
        if found is None:
            found = self.derived[name] = build(self)
        return found

    def trade_measures(self) -> list[MeasureState]:
        """Measures decided per shipment by product code (computed once)."""
        if self._trade is None:
            self._trade = [
                m
                for m in self.measures.values()
                if m.type in CODED_TYPES and m.spec.product_scope in HELD_LISTS
            ]
        return self._trade

    def goods_measures(self) -> list[MeasureState]:
        """Measures that restrict goods, product list held or not (design.md: goods_risk):
        goods measures with a product scope, and regime-level records marked as restricting
        goods (``unlisted``) whatever their type."""
        if self._goods is None:
            self._goods = [
                m
                for m in self.measures.values()
                if m.spec.product_scope != "none" and (m.type in GOODS_TYPES or m.spec.level == "regime")
            ]
        return self._goods


def known_acts(dataset: Dataset, as_known_on: date) -> dict[str, ActSpec]:
    """The acts published on or before ``as_known_on``."""
    return {k: a for k, a in dataset.acts.items() if a.published <= as_known_on}


def compile_index(dataset: Dataset, as_known_on: date) -> Index:
    acts = known_acts(dataset, as_known_on)
    measures = {m.id: _create(act, m) for act in acts.values() for m in act.measures}
    for act, change in _ordered_changes(acts):
        state = measures.get(change.measure)
        if state is not None:
            _apply(state, act, change)
    index = Index(dataset, as_known_on, acts, measures)
    for state in measures.values():
        _index_measure(index, state)
    return index


def _ordered_changes(acts: dict[str, ActSpec]) -> list[tuple[ActSpec, Change]]:
    found = [(a, c) for a in acts.values() for c in a.changes]
    # suspensions last: they pause records (perhaps added later than the pause begins)
    # and change nothing else, so they apply to the records as every other act made them
    return sorted(
        found,
        key=lambda ac: (
            isinstance(ac[1], Suspend),
            ac[1].effective or ac[0].in_force,
            ac[0].in_force,
            ac[0].id,
        ),
    )


# -- pass 1: measures as created -------------------------------------------------------
def _create(act: ActSpec, spec: MeasureSpec) -> MeasureState:
    state = MeasureState(spec, act, spec.start, spec.end, act.id)
    state.targets = [_target(t, spec.start, act.id, spec.imposer) for t in spec.targets]
    state.lines = [_line(line, spec.start, act.id) for line in spec.lines]
    if spec.product_scope == "all":
        state.lines.append(LineState("*", "", ALL_GOODS, spec.start, None, act.id))
    for line in spec.lines:
        state.exceptions += _exceptions(line.exceptions, spec.start, act.id, spec.id, line.id)
    state.exceptions += _exceptions(spec.exceptions, spec.start, act.id, spec.id, None)
    state.steps.append(Step(act.id, "create", spec.start))
    return state


def _target(spec: TargetSpec, start: date, act: str, imposer: str) -> TargetState:
    # a measure addressed to every partner is never addressed to its imposer (an export
    # control does not apply to goods that stay at home)
    excluding = tuple(spec.excluding)
    if spec.jurisdiction == ALL_PARTNERS and imposer not in excluding:
        excluding += (imposer,)
    return TargetState(
        spec.jurisdiction,
        spec.scope,
        spec.start or start,
        spec.end,
        act,
        note=spec.note,
        uncertain=spec.uncertain,
        excluding=excluding,
    )


def _line(spec: LineSpec, start: date, act: str) -> LineState:
    return LineState(
        spec.id,
        spec.code,
        spec.wording,
        start,
        None,
        act,
        uncertain=spec.uncertain,
        annex=spec.annex,
        part=spec.part,
        flags=tuple(spec.flags),
    )


def _exceptions(
    specs: list[ExceptionSpec], start: date, act: str, measure: str, line: str | None
) -> list[ExceptionState]:
    out = []
    for exc, depth in walk_exceptions(specs):
        lines = frozenset(exc.applies_to) if exc.applies_to else None
        if line is not None:
            lines = frozenset({line})
        out.append(
            ExceptionState(
                exc.id,
                exc.code,
                exc.wording,
                exc.condition,
                lines,
                depth,
                start,
                None,
                act,
                measure,
                uncertain=exc.uncertain,
            )
        )
    return out


# -- pass 2: changes in date order -----------------------------------------------------
def _apply(state: MeasureState, act: ActSpec, change: Change) -> None:
    day = change.effective or act.in_force
    state.steps.append(Step(act.id, change.op, day, change.note, change.uncertain))
    if isinstance(change, Prolong):
        state.end, state.end_act = change.end, act.id
    elif isinstance(change, End):
        state.end, state.end_act = day, act.id
    elif isinstance(change, AddTargets):
        state.targets += [_target(t, day, act.id, state.spec.imposer) for t in change.targets]
    elif isinstance(change, RemoveTargets):
        for target in state.targets:
            if target.jurisdiction in change.targets and target.end is None:
                target.end, target.removed_by = day, act.id
    elif isinstance(change, AddLines):
        _add_lines(state, change, day, act.id)
    elif isinstance(change, RemoveLines):
        _close(state.lines, set(change.lines), day, act.id)
    elif isinstance(change, AddExceptions):
        _add_exceptions(state, change, day, act.id)
    elif isinstance(change, RemoveExceptions):
        _close(state.exceptions, set(change.exceptions), day, act.id)
        _mark_amended(state, [e for e in state.exceptions if e.id in change.exceptions], act.id, day)
    elif isinstance(change, Suspend):
        _suspend(state, change, Suspension(change.start or day, change.end, act.id))


def _suspend(state: MeasureState, change: Suspend, pause: Suspension) -> None:
    """Suspend the named records, or the whole measure when none is named."""
    if not (change.lines or change.targets or change.exceptions):
        state.suspended.append(pause)
        return
    for line in state.lines:
        if line.id in change.lines:
            line.suspended.append(pause)
    for target in state.targets:
        if target.jurisdiction in change.targets:
            target.suspended.append(pause)
    for exc in state.exceptions:
        if exc.id in change.exceptions:
            exc.suspended.append(pause)


def _add_lines(state: MeasureState, change: AddLines, day: date, act: str) -> None:
    for line in change.lines:
        state.lines.append(_line(line, day, act))
        state.exceptions += _exceptions(line.exceptions, day, act, state.id, line.id)


def _add_exceptions(state: MeasureState, change: AddExceptions, day: date, act: str) -> None:
    added = []
    for exc in _exceptions(change.exceptions, day, act, state.id, None):
        if exc.lines is None and change.lines:
            exc.lines = frozenset(change.lines)
        added.append(exc)
    state.exceptions += added
    _mark_amended(state, added, act, day)


def _close(items: list[LineState] | list[ExceptionState], ids: set[str], day: date, act: str) -> None:
    for item in items:
        if item.id in ids and item.end is None:
            item.end, item.removed_by = day, act


def _mark_amended(state: MeasureState, exceptions: list[ExceptionState], act: str, day: date) -> None:
    for line in state.lines:
        touched = any(e.attaches_to(line.id) for e in exceptions)
        if touched and line.act != act and act not in line.amended_by(date.max):
            line.amendments.append((act, day))


# -- pass 3: the lookup index ----------------------------------------------------------
def _index_measure(index: Index, state: MeasureState) -> None:
    for exc in state.exceptions:
        index.exceptions_by_id[exc.id] = exc
    if state.type not in CODED_TYPES or state.spec.product_scope not in HELD_LISTS:
        return
    lines: dict[str, list[LineState]] = defaultdict(list)
    for line in state.lines:
        lines[significant(line.code)].append(line)
    exceptions: dict[str, list[ExceptionState]] = defaultdict(list)
    for exc in state.exceptions:
        if exc.code is not None:
            exceptions[significant(exc.code)].append(exc)
    index.lines_by_code[state.id] = dict(lines)
    index.sorted_keys[state.id] = sorted(lines)
    index.exceptions_by_code[state.id] = dict(exceptions)
