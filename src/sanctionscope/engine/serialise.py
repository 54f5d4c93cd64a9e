"""Plain dicts (JSON-ready) of engine results; shared by the CLI, the API and exports."""

from __future__ import annotations

from datetime import date
from typing import Any

from sanctionscope.codes import format_code
from sanctionscope.engine.answer import Answer, Evaluation
from sanctionscope.engine.compile import Index
from sanctionscope.engine.coverage import CoverageResult
from sanctionscope.engine.explain import NOT_ASSESSED, authority, end_date_text, line_amendment
from sanctionscope.engine.state import ExceptionState, LineState, MeasureState
from sanctionscope.model.acts import ActSpec, Text
from sanctionscope.model.coverage import DeclarationSpec

JSON = dict[str, Any]


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def text(value: Text) -> JSON:
    return {"original": value.original, "en": value.en, "lang": value.lang}


def act_ref(act: ActSpec) -> JSON:
    """The citation of an act: titles, dates and source."""
    return {
        "id": act.id,
        "issuer": act.issuer,
        "authority": act.authority,
        "kind": act.kind.value,
        "number": act.number,
        "title": text(act.title),
        "signed": _day(act.signed),
        "published": _day(act.published),
        "in_force": _day(act.in_force),
        "source_url": act.sources[0].url,
        "sources": [s.url for s in act.sources],
    }


def act_full(index: Index, act: ActSpec) -> JSON:
    out = act_ref(act)
    out.update(
        {
            "summary": act.summary,
            "nomenclature": act.nomenclature,
            "legal_basis": act.legal_basis,
            "amends": act.amends,
            "prolongs": act.prolongs,
            "repeals": act.repeals,
            "uncertain": act.uncertain,
            "measures": [
                measure(index, index.measures[m.id]) for m in act.measures if m.id in index.measures
            ],
            "changes": [c.model_dump(mode="json", exclude_none=True) for c in act.changes],
        }
    )
    return out


def measure(index: Index, m: MeasureState) -> JSON:
    return {
        "id": m.id,
        "type": m.type.value,
        "title": m.spec.title,
        "imposer": m.spec.imposer,
        "act": m.act.id,
        "source_url": m.act.sources[0].url,
        "period": {"start": _day(m.start), "end": _day(m.end)},
        "term_set_by": m.end_act,
        "targets": [
            {
                "jurisdiction": t.jurisdiction,
                "scope": t.scope.value,
                "start": _day(t.start),
                "end": _day(t.end),
                "act": t.act,
                "uncertain": t.uncertain,
            }
            for t in m.targets
        ],
        "in_response_to": m.spec.in_response_to,
        "product_scope": m.spec.product_scope,
        "lines": len(m.lines),
    }


def exception(index: Index, e: ExceptionState) -> JSON:
    act = index.acts[e.act]
    return {
        "id": e.id,
        "code": e.code,
        "wording": text(e.wording),
        "condition": e.condition,
        "by_code": e.by_code,
        "period": {"start": _day(e.start), "end": _day(e.end)},
        "act": e.act,
        "act_title": text(act.title),
        "source_url": act.sources[0].url,
        "uncertain": e.uncertain,
    }


def _place(line: LineState) -> JSON:
    """Where the line is in its act's list (annex, part) and its flags, when known."""
    out: JSON = {}
    if line.annex is not None:
        out["annex"] = line.annex
    if line.part:
        out["part"] = line.part
    if line.flags:
        out["flags"] = list(line.flags)
    return out


def _chain(index: Index, ev: Evaluation, day: date) -> list[JSON]:
    """Act -> measure -> line -> exception, each link with the act that wrote it."""
    m = ev.measure
    links: list[JSON] = [{"role": "legal basis", "act": a} for a in m.act.legal_basis]
    links.append({"role": "measure", "act": m.act.id, "measure": m.id})
    if ev.line is not None:
        if ev.line.act != m.act.id:
            links.append({"role": "line added", "act": ev.line.act, "line": ev.line.id, **_place(ev.line)})
        elif ev.line.annex is not None:
            links.append({"role": "line", "act": ev.line.act, "line": ev.line.id, **_place(ev.line)})
        links += [
            {
                "role": "line amended",
                "act": a,
                "line": ev.line.id,
                "text": line_amendment(index.acts[a], m, ev.line.id) if a in index.acts else None,
            }
            for a in ev.line.amended_by(day)
        ]
    if ev.target is not None and ev.target.act != m.act.id:
        links.append({"role": "target added", "act": ev.target.act, "target": ev.target.jurisdiction})
    if ev.listed_by is not None:
        entry = ev.listed_by
        links.append(
            {"role": "put on the list", "act": entry.act, "list": entry.bloc, "member": entry.member}
        )
    if ev.carve_out is not None:
        links.append({"role": "code exception", "act": ev.carve_out.act, "exception": ev.carve_out.id})
    if ev.attested is not None:
        links.append({"role": "attested exception", "act": ev.attested.act, "exception": ev.attested.id})
    if m.end_act != m.act.id:
        links.append({"role": "end date set", "act": m.end_act, "text": end_date_text(m)})
    for link in links:
        act = index.acts.get(link["act"])
        if act is not None:
            link["title"] = act.title.en
            link["source_url"] = act.sources[0].url
    return links


def evaluation(index: Index, ev: Evaluation, day: date) -> JSON:
    m = ev.measure
    out = measure(index, m)
    out.update(
        {
            "reason": ev.reason.value,
            "act_title": text(m.act.title),
            "act_signed": _day(m.act.signed),
            "act_in_force": _day(m.act.in_force),
            "line": None
            if ev.line is None
            else {
                "id": ev.line.id,
                "code": ev.line.code,
                "code_display": format_code(ev.line.code),
                "wording": text(ev.line.wording),
                "act": ev.line.act,
                "amended_by": ev.line.amended_by(day),
                "annex": ev.line.annex,
                "part": ev.line.part,
                "flags": list(ev.line.flags),
            },
            "target": None
            if ev.target is None
            else {
                "jurisdiction": ev.target.jurisdiction,
                "act": ev.target.act,
                "listed_by": None
                if ev.listed_by is None
                else {
                    "list": ev.listed_by.bloc,
                    "member": ev.listed_by.member,
                    "start": _day(ev.listed_by.start),
                    "act": ev.listed_by.act,
                },
            },
            "carve_out": None if ev.carve_out is None else exception(index, ev.carve_out),
            "narrower_lines": [
                {"id": x.id, "code": x.code, "wording": text(x.wording), "act": x.act} for x in ev.narrower
            ],
            "in_force": {"start": _day(ev.start), "end": _day(ev.end)},
            "chain": _chain(index, ev, day),
            "uncertain": ev.uncertain,
        }
    )
    return out


def declaration(d: DeclarationSpec) -> JSON:
    """A coverage declaration as users read it: what it vouches for and on what grounds."""
    return {
        "id": d.id,
        "imposer": d.imposer,
        "direction": d.direction.value,
        "period": {"start": _day(d.start), "end": _day(d.end)},
        "partners": d.partners,
        "regimes": d.regimes,
        "product_scope": {"include": d.product_scope.include, "exclude": d.product_scope.exclude},
        "left_out": d.left_out,
        "reviewed_on": _day(d.reviewed_on),
        "sources": [{"url": s.url, "note": s.note} for s in d.sources],
        "note": d.note,
    }


def coverage(result: CoverageResult | None) -> JSON:
    """The coverage an answer relied on and the sides it could not vouch for."""
    if result is None:
        return {"relied_on": [], "not_covered": [], "grace_days": None, "sides_assessed": []}
    return {
        "relied_on": [declaration(d) for d in result.relied_on],
        "not_covered": [
            {
                "imposer": s.imposer,
                "direction": s.direction.value,
                "side": s.side,
                "partner": s.partner,
                "day": _day(result.day),
                "reason": s.status.value,
                "measures": list(s.measures),
                "declaration": s.declaration.id if s.declaration else None,
                "reviewed_on": _day(s.declaration.reviewed_on) if s.declaration else None,
                # what the data set does vouch for on that side: the coverage page and API
                "links": {
                    "coverage_page": f"/coverage#{s.imposer}-{s.direction.value}",
                    "coverage": f"/v1/coverage?imposer={s.imposer}&direction={s.direction.value}",
                },
                "regimes": [
                    {"measure": r.measure, "act": r.act, "regime": r.regime, "title": r.title}
                    for r in s.regimes
                ],
                "survey": s.survey.imposer if s.survey else None,
            }
            for s in result.missing
        ],
        "grace_days": result.grace_days,
        "sides_assessed": [d.value for d in result.assessed],
    }


def answer(index: Index, a: Answer) -> JSON:
    q = a.question
    return {
        "verdict": a.verdict.value,
        "reason": a.reason.value,
        "explanation": a.explanation,
        "query": {
            "origin": q.origin,
            "destination": q.destination,
            "hs": q.code,
            "hs_as_written": q.code_as_written,
            "date": _day(q.day),
            "attest": list(q.attest),
            "grace_days": q.grace_days,
            "side": q.side.value,
        },
        "measures": [evaluation(index, ev, q.day) for ev in a.deciding],
        "exceptions": [exception(index, e) for e in a.exceptions],
        "attested": [exception(index, ev.attested) for ev in a.deciding if ev.attested],
        "attest_not_applied": a.attest_not_applied,
        "licence_requirements": [
            {**evaluation(index, ev, q.day), "licensing_authority": authority(ev)} for ev in a.requirements
        ],
        "coverage": coverage(a.coverage),
        "not_assessed": NOT_ASSESSED,
        "considered": [{"measure": ev.measure.id, "reason": ev.reason.value} for ev in a.considered],
        "uncertain": a.uncertain,
        "dataset_version": a.dataset_version,
        "as_known_on": _day(q.as_known_on),
    }
