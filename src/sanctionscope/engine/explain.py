"""Plain-English explanations of answers (the JSON carries the same facts as fields)."""

from __future__ import annotations

from sanctionscope.codes import format_code
from sanctionscope.engine.answer import Answer, Evaluation, Reason
from sanctionscope.model.jurisdictions import Jurisdictions


def explain(answer: Answer, jur: Jurisdictions) -> str:
    q = answer.question
    origin, dest = jur.name(q.origin), jur.name(q.destination)
    if not answer.deciding:
        return f"No trade measure in the data restricts goods from {origin} to {dest} on {q.day.isoformat()}."
    text = " ".join(_sentence(ev, answer, origin) for ev in answer.deciding)
    for ev in answer.requirements:
        text += (
            f" An authorisation is required under {ev.measure.spec.title} ({ev.measure.id}, "
            f"{ev.measure.act.id}): line {format_code(ev.line.code) if ev.line else ''}."
        )
    return text


def _sentence(ev: Evaluation, answer: Answer, origin: str) -> str:
    q, m = answer.question, ev.measure
    day = q.day.isoformat()
    what = f"{m.spec.title} ({m.id}, {m.act.id})"
    line = ""
    if ev.line is not None:
        code = format_code(ev.line.code)
        line = f"line {code} \u201c{ev.line.wording.en}\u201d" if code else "its scope (all goods)"
    match ev.reason:
        case Reason.listed:
            code = format_code(q.code)
            text = f"Banned by {what}: code {code} falls under {line}; {origin} is a target on {day}."
            if answer.exceptions:
                text += (
                    " Exceptions the code cannot decide may apply if attested: "
                    + ", ".join(e.id for e in answer.exceptions)
                    + "."
                )
            return text
        case Reason.unclear_target:
            return (
                f"Undetermined under {what}: code {format_code(q.code)} falls under {line}, but "
                f"whether {origin} is covered on {day} is legally unclear."
            )
        case Reason.code_too_general:
            narrower = ", ".join(format_code(x.code) for x in ev.narrower)
            return (
                f"Undetermined under {what}: code {format_code(q.code)} is broader than the list, "
                f"which bans only {narrower} under it; give a more specific code."
            )
        case Reason.attested_exception:
            exc = ev.attested
            assert exc is not None
            wording = f"\u201c{exc.wording.en}\u201d"
            return f"Allowed under {what}: attested exception {exc.id} {wording} ({exc.act}) applies."
        case Reason.code_exception:
            exc = ev.carve_out
            assert exc is not None
            return (
                f"Allowed: {line} of {what} is in force, but code {format_code(q.code)} is carved "
                f"out by exception {exc.id} \u201c{exc.wording.en}\u201d ({exc.act})."
            )
        case Reason.code_not_listed:
            return f"Allowed: code {format_code(q.code)} is not on the list of {what} on {day}."
        case Reason.origin_not_targeted:
            listed = f" The code is listed ({line})," if ev.line and ev.carve_out is None else ""
            return (
                f"Allowed: {origin} is not among the targets of {what} on {day}.{listed}"
                if not listed
                else f"Allowed:{listed} but {origin} is not among the targets of {what} on {day}."
            )
        case Reason.not_yet_in_force:
            return f"Allowed: {what} is not yet in force on {day} (in force from {m.start.isoformat()})."
        case Reason.no_longer_in_force:
            end = m.end.isoformat() if m.end else "?"
            return f"Allowed: {what} is no longer in force on {day} (ended before {end})."
    return ""
