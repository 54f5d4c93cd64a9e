"""``check``: may this shipment (origin, destination, code, day) cross, and why?

Meanings are fixed in ``design.md``: BANNED when a line in force covers the code, the
origin is a target on the day, and no code exception applies; exceptions the code
cannot decide are listed and only change the verdict when attested.
"""

from __future__ import annotations

from datetime import date

from sanctionscope.engine.answer import Answer, Evaluation, Question, Reason, Verdict, closeness
from sanctionscope.engine.compile import Index
from sanctionscope.engine.explain import explain
from sanctionscope.engine.match import match_code
from sanctionscope.engine.state import MeasureState, TargetState
from sanctionscope.errors import InputError
from sanctionscope.model.acts import IMPORT_TYPES, LICENSING_TYPES, TargetScope
from sanctionscope.model.jurisdictions import Coverage, Jurisdictions

#: Target scopes that make goods of a jurisdiction subject to a trade measure.
GOODS_SCOPES = frozenset({TargetScope.origin, TargetScope.country, TargetScope.territory})


def check(index: Index, q: Question) -> Answer:
    jur = index.dataset.jurisdictions
    not_applied = _check_attested(index, q)
    evaluated = [ev for m in _relevant(index, jur, q) if (ev := _evaluate(index, jur, m, q))]
    considered = [ev for ev in evaluated if ev.measure.type not in LICENSING_TYPES]
    requirements = [
        ev for ev in evaluated if ev.measure.type in LICENSING_TYPES and ev.reason == Reason.listed
    ]
    for ev in considered:
        if ev.attested is None:
            continue
        not_applied.pop(ev.attested.id, None)
    verdict, deciding = _decide(considered)
    for ev in deciding + requirements:
        ev.uncertain = _uncertain(ev, index)
    reason = deciding[0].reason if deciding else Reason.no_measure
    answer = Answer(
        q,
        verdict,
        reason,
        "",
        index.version,
        deciding,
        considered,
        requirements=requirements,
        attest_not_applied=not_applied,
    )
    answer.explanation = explain(answer, jur)
    return answer


def _check_attested(index: Index, q: Question) -> dict[str, str]:
    """Unknown ids are input errors; known ones start as 'not applied' until used."""
    known_anywhere = index.dataset.exception_ids
    out = {}
    for attested in q.attest:
        if attested not in known_anywhere:
            raise InputError("attest", attested, "is not an exception id in the data")
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


def _relevant(index: Index, jur: Jurisdictions, q: Question) -> list[MeasureState]:
    """Import bans of the destination and export bans of the origin (blocs included)."""
    out = []
    for measure in index.trade_measures():
        side = q.destination if measure.type in IMPORT_TYPES else q.origin
        if jur.covers(measure.spec.imposer, side, q.day) == Coverage.yes:
            out.append(measure)
    return out


def _party(measure: MeasureState, q: Question) -> str:
    return q.origin if measure.type in IMPORT_TYPES else q.destination


def _targets(
    jur: Jurisdictions, measure: MeasureState, party: str, day: date, active_only: bool
) -> list[tuple[TargetState, Coverage]]:
    out: list[tuple[TargetState, Coverage]] = []
    for target in measure.targets:
        if target.scope not in GOODS_SCOPES or (active_only and not target.active(day)):
            continue
        coverage = jur.covers(target.jurisdiction, party, day)
        if coverage != Coverage.no:
            out.append((target, coverage))
    return out


def _evaluate(index: Index, jur: Jurisdictions, measure: MeasureState, q: Question) -> Evaluation | None:
    party = _party(measure, q)
    if not measure.active(q.day):
        if not _targets(jur, measure, party, q.day, active_only=False):
            return None
        late = q.day < measure.start
        return Evaluation(measure, Reason.not_yet_in_force if late else Reason.no_longer_in_force)
    match = match_code(index, measure, q.code, q.day)
    ev = Evaluation(
        measure, Reason.code_not_listed, match.line, match.carve_out, match.by_description, match.narrower
    )
    targets = _targets(jur, measure, party, q.day, active_only=True)
    sure = [t for t, c in targets if c == Coverage.yes]
    if not targets:
        ev.reason = Reason.origin_not_targeted
        return _finish(ev, None, index)
    target = sure[0] if sure else targets[0][0]
    if match.line is None:
        if match.narrower and sure:
            ev.reason = Reason.code_too_general
        return _finish(ev, target, index)
    if match.carve_out is not None:
        ev.reason = Reason.code_exception
        return _finish(ev, target, index)
    attested = [e for e in match.by_description if e.id in q.attest]
    if attested:
        ev.reason, ev.attested = Reason.attested_exception, attested[0]
    else:
        ev.reason = Reason.listed if sure else Reason.unclear_target
    return _finish(ev, target, index)


def _finish(ev: Evaluation, target: TargetState | None, index: Index) -> Evaluation:
    ev.target = target
    parts = [(ev.measure.start, ev.measure.end)]
    if ev.line is not None:
        parts.append((ev.line.start, ev.line.end))
    if target is not None:
        parts.append((target.start, target.end))
    ev.start = max(p[0] for p in parts)
    ends = [p[1] for p in parts if p[1] is not None]
    ev.end = min(ends) if ends else None
    return ev


def _uncertain(ev: Evaluation, index: Index) -> list[str]:
    """Open points of the acts and records this answer depends on."""
    m = ev.measure
    acts = {m.act.id, m.end_act}
    notes = [f"{m.id}: {u}" for u in m.spec.uncertain]
    for record in (ev.line, ev.carve_out, ev.target):
        if record is not None:
            acts.add(record.act)
            if record.uncertain:
                notes.append(f"{record.act}: {record.uncertain}")
    for step in m.steps:
        if step.act in acts and step.uncertain:
            notes.append(f"{step.act}: {step.uncertain}")
    for act_id in sorted(acts & set(index.acts)):
        notes += [f"{act_id}: {u}" for u in index.acts[act_id].uncertain]
    return list(dict.fromkeys(notes))


def _decide(considered: list[Evaluation]) -> tuple[Verdict, list[Evaluation]]:
    banned = [ev for ev in considered if ev.reason == Reason.listed]
    if banned:
        return Verdict.BANNED, banned
    unclear = [ev for ev in considered if ev.reason in (Reason.unclear_target, Reason.code_too_general)]
    if unclear:
        return Verdict.UNDETERMINED, unclear
    if not considered:
        return Verdict.ALLOWED, []
    best = max(closeness(ev) for ev in considered)
    return Verdict.ALLOWED, [ev for ev in considered if closeness(ev) == best]
