"""FollowTheMoney entities as JSON lines: acts, targeted jurisdictions and sanctions.

- every known act -> ``Document`` (title, publisher, dates, source URLs, summary);
- every targeted jurisdiction -> ``LegalEntity`` (or ``PublicBody`` "Government of X" for
  targets with scope ``government``), with ``jurisdiction``/``country`` when FtM knows the code;
- every (sanctioning measure, targeted entity) -> ``Sanction`` with ``entity`` -> that entity
  and ``proof`` -> the act's ``Document``.

Our data names no individual persons or companies: a target with scope ``persons`` or
``entities`` is the class "persons/entities of X", so the Sanction points at the
jurisdiction-level entity and says the scope in ``provisions``. Ids are ``make_entity_id``
of our own ids, so they are stable across runs. See ``docs/exports.md``.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.types import registry
from followthemoney.util import make_entity_id

from sanctionscope.engine.compile import Index
from sanctionscope.engine.state import MeasureState
from sanctionscope.exports._common import NOT_SANCTIONS, last_day, state_name, write_file_atomic
from sanctionscope.model.acts import ActSpec
from sanctionscope.model.jurisdictions import Jurisdictions

PREFIX = "sanctionscope"

#: Our territory ids -> the FtM country code of the territory.
TERRITORY_CODES = {"CRIMEA": "ua-cri", "SEVASTOPOL": "ua-cri"}


def entity_id(*parts: str) -> str:
    found = make_entity_id(PREFIX, *parts)
    if found is None:  # pragma: no cover - parts are never empty
        raise ValueError(f"no id for {parts!r}")
    return str(found)


def _country_code(jid: str) -> str | None:
    """The FtM country code of one of our jurisdiction ids, or None when FtM has none."""
    code = TERRITORY_CODES.get(jid, jid.lower())
    cleaned = registry.country.clean(code)
    return None if cleaned is None else str(cleaned)


def _proxy(schema: str, ident: str, props: dict[str, Any]) -> Any:
    """An entity built through FtM, every value cleaned by FtM (``cleaned=False``)."""
    proxy = model.make_entity(schema)
    proxy.id = ident
    for prop, values in props.items():
        if values is None or values == []:
            continue
        proxy.add(prop, values, cleaned=False)
    return proxy


def act_document(act: ActSpec) -> Any:
    titles = [act.title.en] + ([act.title.original] if act.title.original != act.title.en else [])
    return _proxy(
        "Document",
        entity_id("act", act.id),
        {
            "title": titles,
            "summary": act.summary,
            "publisher": act.authority,
            "date": act.signed,
            "publishedAt": act.published,
            "sourceUrl": [s.url for s in act.sources],
            "country": _country_code(act.issuer),
            "language": act.title.lang,
            "programId": act.id,
            "keywords": act.kind.value,
        },
    )


def target_key(jid: str, scope: str) -> str:
    """Targets with scope ``government`` are the government; all others the jurisdiction."""
    return f"{jid}:government" if scope == "government" else jid


def target_entity(jur: Jurisdictions, key: str) -> Any:
    jid, _, role = key.partition(":")
    name = state_name(jur, jid)
    code = _country_code(jid)
    if role == "government":
        return _proxy(
            "PublicBody",
            entity_id("target", key),
            {"name": f"Government of {name}", "jurisdiction": code, "country": code},
        )
    return _proxy(
        "LegalEntity",
        entity_id("target", key),
        {
            "name": name,
            "jurisdiction": code,
            "country": code,
            "legalForm": jur.kind(jid),
            "description": f"The {jur.kind(jid)} {name} ({jid}) as a sanctions target",
        },
    )


def sanction(index: Index, m: MeasureState, key: str, scopes: list[str]) -> Any:
    act = m.act
    last = last_day(m.end)
    reason = m.spec.description
    if m.spec.in_response_to:
        reason = f"{reason + ' ' if reason else ''}In response to: {', '.join(m.spec.in_response_to)}"
    return _proxy(
        "Sanction",
        entity_id("sanction", m.id, key),
        {
            "entity": entity_id("target", key),
            "authority": act.authority,
            "authorityId": act.number,
            "program": act.title.en,
            "programId": act.id,
            "programUrl": act.sources[0].url,
            "provisions": f"{m.type.value}: {', '.join(scopes)}",
            "summary": m.spec.title,
            "reason": reason,
            "startDate": m.start,
            "endDate": last,
            "country": _country_code(m.spec.imposer),
            "sourceUrl": act.sources[0].url,
            "recordId": m.id,
            "proof": entity_id("act", act.id),
        },
    )


def entities(index: Index) -> list[Any]:
    """Every entity of the export, in a fixed order: documents, targets, sanctions."""
    jur = index.dataset.jurisdictions
    docs = [act_document(index.acts[k]) for k in sorted(index.acts)]
    sanctions = []
    keys: set[str] = set()
    for m in sorted(index.measures.values(), key=lambda x: x.id):
        if m.type in NOT_SANCTIONS:
            continue
        by_key: dict[str, set[str]] = {}
        for t in m.targets:
            by_key.setdefault(target_key(t.jurisdiction, t.scope.value), set()).add(t.scope.value)
        for key in sorted(by_key):
            keys.add(key)
            sanctions.append(sanction(index, m, key, sorted(by_key[key])))
    targets = [target_entity(jur, k) for k in sorted(keys)]
    return [*docs, *targets, *sanctions]


def write(index: Index, output: Path) -> dict[str, int]:
    """Write the entities as JSON lines atomically; return the count per schema."""
    found = entities(index)

    def _write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8") as fh:
            for proxy in found:
                fh.write(json.dumps(proxy.to_dict(), sort_keys=True, ensure_ascii=False) + "\n")

    write_file_atomic(output, _write)
    return dict(sorted(Counter(str(p.schema.name) for p in found).items()))
