"""Plain-English explanations of answers (the JSON carries the same facts as fields).

An explanation names only measures that speak to the shipment (they target the partner
or list the code), then one sentence on the coverage the answer relied on (or lacked)
and one on what the verdict does not assess.
"""

from __future__ import annotations

from datetime import timedelta

from sanctionscope.codes import format_code
from sanctionscope.engine.answer import Answer, Evaluation, Reason, Verdict
from sanctionscope.engine.coverage import CoverageResult, SideCoverage, Status
from sanctionscope.engine.state import MeasureState
from sanctionscope.model.acts import IMPORT_TYPES, ActSpec, AddExceptions, RemoveExceptions
from sanctionscope.model.jurisdictions import Jurisdictions

#: What no verdict of this engine assesses; said once in every answer.
NOT_ASSESSED = (
    "The verdict does not assess the parties to the deal (listed persons or entities), "
    "end use, transit or rules of origin."
)


def explain(answer: Answer, jur: Jurisdictions) -> str:
    q = answer.question
    origin, dest = jur.name(q.origin), jur.name(q.destination)

    parts: list[str] = []
    if q.code_as_written is not None:
        parts.append(
            f"Code {q.code_as_written} was read as {format_code(q.code)}: "
            "a leading zero was restored on request."
        )
    if answer.deciding:
        parts += [_sentence(ev, answer, jur) for ev in answer.deciding]
    elif answer.verdict == Verdict.ALLOWED:
        parts.append(
            f"Allowed: no goods measure in the data restricts {format_code(q.code)} from {origin} to {dest} "
            f"on {q.day.isoformat()}."
        )
    if answer.verdict != Verdict.LICENCE_REQUIRED:
        parts += [_licence(ev) for ev in answer.requirements]
    if answer.coverage is not None:
        parts.append(_coverage(answer, jur, answer.coverage))
    parts.append(NOT_ASSESSED)
    return " ".join(p for p in parts if p)


def _licence(ev: Evaluation) -> str:
    m = ev.measure
    code = format_code(ev.line.code) if ev.line else ""
    return (
        f"A licence is required under {m.spec.title} ({m.id}, {m.act.id}), line {code}; "
        f"it is issued by {authority(ev)}."
    )


def authority(ev: Evaluation) -> str:
    """Who issues the licence of a licensing measure."""
    return ev.measure.spec.licensing_authority or ev.measure.act.authority


def _direction(side: SideCoverage, jur: Jurisdictions) -> str:
    who = jur.name(side.imposer)
    what = "imports from" if side.direction == "import" else "exports to"
    return f"{who}'s measures on {what} {jur.name(side.partner)}"


def _coverage(answer: Answer, jur: Jurisdictions, cov: CoverageResult) -> str:
    day = answer.question.day.isoformat()
    missing = cov.missing
    if answer.verdict not in (Verdict.ALLOWED, Verdict.NOT_COVERED):
        # the verdict stands whatever the coverage; say only that more may apply
        if not missing:
            return ""
        sides = "; ".join(_direction(s, jur) for s in missing)
        return f"Other measures may also apply: the data set does not vouch for {sides} on {day}."
    if missing:
        return " ".join(_missing(s, jur, day, cov.grace_days) for s in missing)
    relied = cov.relied_on
    if not relied:
        return "No side of this shipment needed a coverage declaration on that day."
    names = "; ".join(f"{d.id} (reviewed {d.reviewed_on.isoformat()})" for d in relied)
    return f"Coverage relied on: the data set declares it holds every goods measure concerned ({names})."


def _missing(side: SideCoverage, jur: Jurisdictions, day: str, grace: int) -> str:
    what = _direction(side, jur)
    because = {
        Status.no_declaration: "no coverage declaration vouches for that day",
        Status.outside_declared_scope: "the code is outside the product scope the data set vouches for",
        Status.not_reviewed_since: (
            f"the sources were last reviewed on {side.declaration.reviewed_on.isoformat()}, more than "
            f"{grace} days before"
            if side.declaration
            else "the declaration is out of date"
        ),
        Status.regime_not_held: "goods are restricted under "
        + "; ".join(
            f"the regime \u201c{r.regime or r.title}\u201d ({r.measure}, {r.act})" for r in side.regimes
        )
        + ", whose product lists the data set does not hold",
        Status.not_surveyed: _not_surveyed(side, jur, grace),
    }[side.status]
    if not side.measures:
        return f"Not covered: the data set cannot vouch for {what} on {day} ({because})."
    measures = ", ".join(side.measures)
    return (
        f"Not covered: the data set cannot vouch for {what} on {day} ({because}); goods measures "
        f"of that side in force that day: {measures}."
    )


def _not_surveyed(side: SideCoverage, jur: Jurisdictions, grace: int) -> str:
    name = jur.name(side.imposer)
    survey = side.survey
    if survey is None:
        return f"{name} is not among the surveyed imposers, so its sanctions regimes are not known to be held"
    return (
        f"the survey of {jur.name(survey.imposer)}'s regimes covers the days from "
        f"{survey.since.isoformat()} and was last reviewed on {survey.reviewed_on.isoformat()} "
        f"(grace {grace} days): it does not vouch for that day"
    )


def _sentence(ev: Evaluation, answer: Answer, jur: Jurisdictions) -> str:
    q, m = answer.question, ev.measure
    day = q.day.isoformat()
    what = f"{m.spec.title} ({m.id}, {m.act.id})"
    line = ""
    if ev.line is not None:
        code = format_code(ev.line.code)
        line = f"line {code} \u201c{ev.line.wording.en}\u201d" if code else "its scope (all goods)"
    party = _party(answer, ev, jur)
    lead = "Allowed" if answer.verdict == Verdict.ALLOWED else "Not banned"
    match ev.reason:
        case Reason.listed if answer.verdict == Verdict.LICENCE_REQUIRED:
            return (
                f"Licence required under {what}: code {format_code(q.code)} falls under {line}; "
                f"the licence is issued by {authority(ev)}. Attest {m.id} if the shipment holds one."
            )
        case Reason.listed:
            code = format_code(q.code)
            text = f"Banned by {what}: code {code} falls under {line}; {party} is a target on {day}"
            text += _on_list(ev, jur) + "."
            # only this measure's own exceptions: another measure's do not lift this ban
            own = list(dict.fromkeys(e.id for e in ev.by_description))
            if own:
                text += " Exceptions the code cannot decide may apply if attested: " + ", ".join(own) + "."
            return text
        case Reason.unclear_target:
            return (
                f"Undetermined under {what}: code {format_code(q.code)} falls under {line}, but "
                f"whether {party} is covered on {day} is legally unclear."
            )
        case Reason.code_too_general:
            narrower = ", ".join(format_code(x.code) for x in ev.narrower)
            return (
                f"Undetermined under {what}: code {format_code(q.code)} is broader than the list, "
                f"which covers only {narrower} under it; give a more specific code."
            )
        case Reason.attested_exception:
            exc = ev.attested
            assert exc is not None
            wording = f"\u201c{exc.wording.en}\u201d"
            return f"{lead} under {what}: attested exception {exc.id} {wording} ({exc.act}) applies."
        case Reason.attested_licence:
            return f"{lead} under {what}: the shipment is attested to hold the licence it requires."
        case Reason.code_exception:
            exc = ev.carve_out
            assert exc is not None
            return (
                f"{lead}: {line} of {what} is in force, but code {format_code(q.code)} is carved "
                f"out by exception {exc.id} \u201c{exc.wording.en}\u201d ({exc.act})."
            )
        case Reason.code_not_listed:
            return f"{lead}: code {format_code(q.code)} is not on the list of {what} on {day}."
        case Reason.origin_not_targeted:
            return (
                f"{lead}: the code is listed ({line}), but {party} is not among the targets "
                f"of {what} on {day}."
            )
        case Reason.not_yet_in_force:
            return f"{lead}: {what} is not yet in force on {day} (in force from {m.start.isoformat()})."
        case Reason.no_longer_in_force:
            last = (m.end - timedelta(days=1)).isoformat() if m.end else "?"
            return f"{lead}: {what} is no longer in force on {day} (last day in force {last})."
        case Reason.suspended:
            pause = m.suspension_on(q.day)
            if pause is None and ev.line is not None:
                pause = next((s for s in ev.line.suspended if s.covers(q.day)), None)
                what = f"{line} of {what}"
            until = (pause.end - timedelta(days=1)).isoformat() if pause and pause.end else "further notice"
            act = pause.act if pause else ""
            return f"{lead}: {what} is suspended on {day} by {act} (through {until})."
    return ""


def _on_list(ev: Evaluation, jur: Jurisdictions) -> str:
    """When the target is a list made by acts: which act put the partner on it, and when."""
    entry = ev.listed_by
    if entry is None:
        return ""
    return (
        f" as a member of {jur.name(entry.bloc)} ({entry.bloc}), put on it by {entry.act} "
        f"with effect from {entry.start.isoformat()}"
    )


def _party(answer: Answer, ev: Evaluation, jur: Jurisdictions) -> str:
    """The partner the measure speaks about: the origin for imports, else the destination."""
    q = answer.question
    return jur.name(q.origin if ev.measure.type in IMPORT_TYPES else q.destination)


def line_amendment(act: ActSpec, measure: MeasureState, line_id: str) -> str:
    """How ``act`` amended one line of ``measure``, in words: the exceptions it added to or
    removed from that line (the legal chain's "line amended" link says which and how)."""
    line = next((x for x in measure.lines if x.id == line_id), None)
    name = f"line {format_code(line.code) if line is not None and line.code else line_id}"
    parts: list[str] = []
    for change in act.changes:
        if change.measure != measure.id:
            continue
        if isinstance(change, AddExceptions):
            added = [
                e
                for e in change.exceptions
                if (change.lines and line_id in change.lines)
                or (not change.lines and (e.applies_to is None or line_id in e.applies_to))
            ]
            if added:
                word = "exception" if len(added) == 1 else "exceptions"
                listed = ", ".join(f"{e.id} ({e.wording.en})" for e in added)
                parts.append(f"adds {word} {listed} to {name}")
        elif isinstance(change, RemoveExceptions):
            removed = [e for e in measure.exceptions if e.id in change.exceptions and e.attaches_to(line_id)]
            if removed:
                word = "exception" if len(removed) == 1 else "exceptions"
                listed = ", ".join(f"{e.id} ({e.wording.en})" for e in removed)
                parts.append(f"removes {word} {listed} from {name}")
    return "; ".join(parts) or f"amends {name}"


def end_date_text(measure: MeasureState) -> str:
    """The measure's end as the act that set it last wrote it, in plain words."""
    if measure.end is None:
        return "in force with no end date"
    return f"in force until {(measure.end - timedelta(days=1)).isoformat()} inclusive"
