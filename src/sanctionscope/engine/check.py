"""``check``: may this shipment (origin, destination, code, day) cross, and why?

Meanings are fixed in ``design.md``: BANNED when a line in force covers the code, the
origin is a target on the day, and no code exception applies; exceptions the code
cannot decide are listed and only change the verdict when attested. A licensing regime
covering the shipment gives LICENCE_REQUIRED; ALLOWED further needs every side that
needs coverage to be vouched for (else NOT_COVERED). Precedence: BANNED >
LICENCE_REQUIRED > UNDETERMINED > NOT_COVERED > ALLOWED.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

from sanctionscope.engine.answer import (
    Answer,
    Evaluation,
    ListMembership,
    Question,
    Reason,
    Verdict,
    closeness,
)
from sanctionscope.engine.assess import assess
from sanctionscope.engine.compile import Index
from sanctionscope.engine.coverage import CoverageResult, Status
from sanctionscope.engine.explain import explain
from sanctionscope.engine.goods_risk import GOODS_SCOPES, span_memo, target_includes, target_span
from sanctionscope.engine.match import lists_code, match_code
from sanctionscope.engine.state import MeasureState, TargetState
from sanctionscope.errors import InputError
from sanctionscope.model.acts import ALL_PARTNERS, IMPORT_TYPES, LICENSING_TYPES
from sanctionscope.model.coverage import Direction
from sanctionscope.model.jurisdictions import Inclusion, Jurisdictions
from sanctionscope.periods import earlier_end

__all__ = ["GOODS_SCOPES", "check"]

#: Reasons that leave the law unclear for the shipment.
_UNCLEAR = (Reason.unclear_target, Reason.code_too_general)

#: The reason of a NOT_COVERED answer, by how the first side not vouched for stands.
_NOT_COVERED = {
    Status.no_declaration: Reason.no_declaration,
    Status.outside_declared_scope: Reason.outside_declared_scope,
    Status.not_reviewed_since: Reason.not_reviewed_since,
    Status.regime_not_held: Reason.regime_not_held,
    Status.not_surveyed: Reason.not_surveyed,
}


def check(index: Index, q: Question) -> Answer:
    jur = index.dataset.jurisdictions
    not_applied = _check_attested(index, q)
    span = target_span(index, q.day)
    reaches = _reaches_on(index, jur, q.day, span)
    evaluated = [ev for m in _relevant(index, jur, q, span) if (ev := _evaluate(index, jur, m, q, reaches))]
    for ev in evaluated:
        if ev.attested is not None:
            not_applied.pop(ev.attested.id, None)
        elif ev.reason == Reason.attested_licence:
            not_applied.pop(ev.measure.id, None)
    coverage = assess(index, q.origin, q.destination, q.code, q.day, q.as_known_on, q.grace_days, q.side)
    verdict, deciding = _decide(evaluated, coverage)
    requirements = [
        ev for ev in evaluated if ev.measure.type in LICENSING_TYPES and ev.reason == Reason.listed
    ]
    for ev in deciding + requirements:
        ev.uncertain = _uncertain(ev, index)
    reason = _reason(verdict, deciding, coverage)
    return Answer(
        q,
        verdict,
        reason,
        index.version,
        deciding,
        evaluated,
        requirements=requirements,
        attest_not_applied=not_applied,
        coverage=coverage,
        explainer=partial(explain, jur=jur),
    )


def _reason(verdict: Verdict, deciding: list[Evaluation], coverage: CoverageResult) -> Reason:
    if verdict == Verdict.NOT_COVERED:
        # a regime known to restrict goods, its lists not held, is the strongest reason
        held = [s for s in coverage.missing if s.status == Status.regime_not_held]
        return _NOT_COVERED[(held or coverage.missing)[0].status]
    return deciding[0].reason if deciding else Reason.no_measure


def _check_attested(index: Index, q: Question) -> dict[str, str]:
    """Unknown ids are input errors; known ones start as 'not applied' until used."""
    out: dict[str, str] = {}
    for attested in q.attest:
        if attested not in index.dataset.exception_ids and attested not in index.dataset.licence_ids:
            raise InputError("attest", attested, "is not an exception or licence regime id in the data")
        if attested in index.dataset.licence_ids:
            out[attested] = _licence_not_applied(index, attested, q)
            continue
        if attested not in index.exceptions_by_id:
            out[attested] = f"not published as of {q.as_known_on.isoformat()}"
            continue
        exc = index.exceptions_by_id[attested]
        out[attested] = (
            "not in force on " + q.day.isoformat()
            if not exc.active(q.day)
            else "does not carve out this code under the matched line"
        )
    return out


def _licence_not_applied(index: Index, measure_id: str, q: Question) -> str:
    m = index.measures.get(measure_id)
    if m is None:
        return f"not published as of {q.as_known_on.isoformat()}"
    if not m.active(q.day):
        return "not in force on " + q.day.isoformat()
    return "does not require a licence for this shipment"


def _relevant(index: Index, jur: Jurisdictions, q: Question, span: int) -> tuple[MeasureState, ...]:
    """Import measures of the destination and export measures of the origin (the unions
    binding them included; only the side asked, ``q.side``), in the index's order:
    looked up by imposer, not scanned; kept by span (see :func:`target_span`: who binds
    whom changes only with memberships)."""
    key = (q.origin, q.destination, q.side.value, span)
    found: tuple[MeasureState, ...] = span_memo(index, "relevant").get_or_make(
        key, _find_relevant, index, jur, q
    )
    return found


def _find_relevant(index: Index, jur: Jurisdictions, q: Question) -> tuple[MeasureState, ...]:
    by_imposer = _trade_by_imposer(index)
    found: list[tuple[int, MeasureState]] = []
    asked = q.side.directions
    for side, imports in ((q.destination, True), (q.origin, False)):
        if (Direction.import_ if imports else Direction.export) not in asked:
            continue
        for imposer in jur.imposers(side, q.day):
            if jur.bound_by(imposer, side, q.day):
                found += by_imposer.get((imposer, imports), ())
    found.sort(key=lambda item: item[0])
    return tuple(m for _, m in found)


def _trade_by_imposer(index: Index) -> dict[tuple[str, bool], list[tuple[int, MeasureState]]]:
    """Trade measures by (imposer, is an import measure), with their place in the index."""

    def build(index: Index) -> dict[tuple[str, bool], list[tuple[int, MeasureState]]]:
        found: dict[tuple[str, bool], list[tuple[int, MeasureState]]] = {}
        for position, m in enumerate(index.trade_measures()):
            found.setdefault((m.spec.imposer, m.type in IMPORT_TYPES), []).append((position, m))
        return found

    return index.derive("trade_by_imposer", build)


def _party(measure: MeasureState, q: Question) -> str:
    return q.origin if measure.type in IMPORT_TYPES else q.destination


@dataclass(frozen=True)
class _Reach:
    """How a measure's goods targets stand to one party on a day."""

    #: the targets in force that include the party (surely or unclearly), in order
    in_force: tuple[tuple[TargetState, Inclusion], ...]
    #: does some target include the party, whether in force on the day or not
    any_period: bool
    #: does some target name the party (not as one of all partners)
    names_partner: bool


#: How a measure's targets stand to a party (on the day a check is about).
Reaches = Callable[[MeasureState, str], _Reach]


def _reaches_on(index: Index, jur: Jurisdictions, day: date, span: int) -> Reaches:
    """How each measure's targets stand to a party on ``day``: looked up by the span of
    days the day falls in (``span``, see :func:`target_span`), the same for every day of it."""
    memo = span_memo(index, "target_reach")

    def reach(measure: MeasureState, party: str) -> _Reach:
        found: _Reach = memo.get_or_make((measure.id, party, span), _reach, jur, measure, party, day)
        return found

    return reach


def _reach(jur: Jurisdictions, measure: MeasureState, party: str, day: date) -> _Reach:
    in_force: list[tuple[TargetState, Inclusion]] = []
    any_period = names_partner = False
    for target in measure.targets:
        if target.scope not in GOODS_SCOPES:
            continue
        inclusion = target_includes(jur, target, party, day)
        if inclusion == Inclusion.no:
            continue
        any_period = True
        names_partner = names_partner or target.jurisdiction != ALL_PARTNERS
        if target.active(day):
            in_force.append((target, inclusion))
    return _Reach(tuple(in_force), any_period, names_partner)


def _evaluate(
    index: Index, jur: Jurisdictions, measure: MeasureState, q: Question, reaches: Reaches
) -> Evaluation | None:
    party = _party(measure, q)
    reach = reaches(measure, party)
    ev = _outcome(index, measure, q, reach)
    if ev is not None:
        ev.names_partner = reach.names_partner
        listed = ev.line is not None and ev.line.code != ""
        ev.lists_code = listed or (not ev.names_partner and lists_code(index, measure, q.code))
        if ev.target is not None:
            ev.listed_by = _listed_by(jur, ev.target, party, q.day)
    return ev


def _listed_by(jur: Jurisdictions, target: TargetState, party: str, day: date) -> ListMembership | None:
    """When the target is a list made by acts: the entry that puts ``party`` on it on
    ``day``, with the act that did (the legal chain names it)."""
    bloc = jur.blocs.get(target.jurisdiction)
    if bloc is None or bloc.kind != "list":
        return None
    entry = jur.membership(bloc.id, jur.parent(party) or party, day)
    if entry is None or entry.act is None:
        return None
    return ListMembership(bloc.id, entry.country, entry.start, entry.act)


def _outcome(index: Index, measure: MeasureState, q: Question, reach: _Reach) -> Evaluation | None:
    if not measure.active(q.day):
        if not reach.any_period:
            return None
        late = q.day < measure.start
        suspended = measure.suspension_on(q.day) is not None
        reason = (
            Reason.suspended if suspended else Reason.not_yet_in_force if late else Reason.no_longer_in_force
        )
        return Evaluation(measure, reason, made_later=late and measure.act.signed > q.day)
    match = match_code(index, measure, q.code, q.day)
    ev = Evaluation(
        measure, Reason.code_not_listed, match.line, match.carve_out, match.by_description, match.narrower
    )
    targets = reach.in_force
    sure = [t for t, c in targets if c == Inclusion.yes]
    if not targets:
        ev.reason = Reason.origin_not_targeted
        return _finish(ev, None, index)
    target = sure[0] if sure else targets[0][0]
    if match.line is None:
        if match.narrower and sure:
            ev.reason = Reason.code_too_general
        elif match.suspended is not None:
            ev.reason, ev.line = Reason.suspended, match.suspended
        return _finish(ev, target, index)
    if match.carve_out is not None:
        ev.reason = Reason.code_exception
        return _finish(ev, target, index)
    attested = [e for e in match.by_description if e.id in q.attest]
    if attested:
        ev.reason, ev.attested = Reason.attested_exception, attested[0]
    elif sure and measure.type in LICENSING_TYPES and measure.id in q.attest:
        ev.reason = Reason.attested_licence
    else:
        ev.reason = Reason.listed if sure else Reason.unclear_target
    return _finish(ev, target, index)


def _finish(ev: Evaluation, target: TargetState | None, index: Index) -> Evaluation:
    """The evaluation's period: where the measure's, the line's and the target's overlap."""
    ev.target = target
    start, end = ev.measure.start, ev.measure.end
    for record in (ev.line, target):
        if record is not None:
            start = max(start, record.start)
            end = earlier_end(end, record.end)
    ev.start, ev.end = start, end
    return ev


def _uncertain(ev: Evaluation, index: Index) -> list[str]:
    """Open points of the acts and records this answer depends on: the same for every
    question that reaches the same records, so written once per combination of them (the
    records live as long as the index, which keeps the notes)."""
    notes: dict[tuple[int, int, int, int, str | None], tuple[str, ...]] = index.derive(
        "uncertain_notes", lambda _: {}
    )
    listed_by = ev.listed_by.act if ev.listed_by is not None else None
    key = (id(ev.measure), id(ev.line), id(ev.carve_out), id(ev.target), listed_by)
    found = notes.get(key)
    if found is None:
        found = notes[key] = tuple(_open_points(ev, index))
    return list(found)


def _open_points(ev: Evaluation, index: Index) -> list[str]:
    m = ev.measure
    acts = {m.act.id, m.end_act}
    notes = [f"{m.id}: {u}" for u in m.spec.uncertain]
    if ev.listed_by is not None:
        acts.add(ev.listed_by.act)
    for record in (ev.line, ev.carve_out, ev.target):
        if record is not None:
            acts.add(record.act)
            if record.uncertain:
                notes.append(f"{record.act}: {record.uncertain}")
    for step in m.steps:
        if step.act in acts and step.uncertain:
            notes.append(f"{step.act}: {step.uncertain}")
    for act_id in sorted(a for a in acts if a in index.acts):
        notes += [f"{act_id}: {u}" for u in index.acts[act_id].uncertain]
    return list(dict.fromkeys(notes))


def concerns(ev: Evaluation) -> bool:
    """Does the measure speak to this shipment: does it name the partner (now or at
    another time) or list this code? Only such measures explain an answer; a measure
    addressed to all partners speaks only through its list."""
    return ev.names_partner or ev.lists_code


def _decide(evaluated: list[Evaluation], coverage: CoverageResult) -> tuple[Verdict, list[Evaluation]]:
    bans = [ev for ev in evaluated if ev.measure.type not in LICENSING_TYPES]
    banned = [ev for ev in bans if ev.reason == Reason.listed]
    if banned:
        return Verdict.BANNED, banned
    licences = [ev for ev in evaluated if ev.measure.type in LICENSING_TYPES and ev.reason == Reason.listed]
    if licences:
        return Verdict.LICENCE_REQUIRED, licences
    unclear = [ev for ev in evaluated if ev.reason in _UNCLEAR]
    if unclear:
        return Verdict.UNDETERMINED, unclear
    related = [ev for ev in evaluated if concerns(ev)]
    best = max(map(closeness, related), default=None)
    closest = [ev for ev in related if closeness(ev) == best]
    if coverage.missing:
        return Verdict.NOT_COVERED, closest
    return Verdict.ALLOWED, closest
