"""Surveyed imposers (issue 11): the survey files (``data/surveys/<IMPOSER>.yaml``), their
loading errors with file and line, their place in ``dataset_version`` and the snapshot
key, and the engine rule: once any survey is in the data, a side whose country is not
surveyed on the day needs coverage (NOT_COVERED, reason ``not_surveyed``), while a data
set with no survey answers as before.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from sanctionscope import snapshot
from sanctionscope.engine.answer import Answer, Reason, Verdict
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.coverage import Side
from sanctionscope.engine.kernel import Outcome
from sanctionscope.errors import DataError
from sanctionscope.load import load_dataset

REGIMES = Path(__file__).parent / "fixtures" / "regimes"
MINI = Path(__file__).parent / "fixtures" / "mini"
KNOWN = date(2026, 12, 2)
N, A = Verdict.NOT_COVERED, Verdict.ALLOWED


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog(load_dataset(REGIMES))


def ask(catalog: Catalog, origin: str, destination: str, hs: str, day: str, **kw: object) -> Answer:
    q = catalog.question(origin, destination, hs, date.fromisoformat(day), kw.pop("known", KNOWN))  # type: ignore[arg-type]
    q.side = kw.pop("side", Side.both)  # type: ignore[assignment]
    return catalog.check(q)


def sides(answer: Answer) -> list[tuple[str, str, str]]:
    assert answer.coverage is not None
    return [(s.imposer, s.direction.value, s.status.value) for s in answer.coverage.missing]


# -- the engine rule ------------------------------------------------------------------------
def test_india_to_pakistan_is_not_covered_naming_both_sides(catalog: Catalog) -> None:
    answer = ask(catalog, "IN", "PK", "0808 10", "2025-06-01")
    assert (answer.verdict, answer.reason) == (N, Reason.not_surveyed)
    assert sides(answer) == [("PK", "import", "not_surveyed"), ("IN", "export", "not_surveyed")]
    assert "India is not among the surveyed imposers" in answer.explanation
    assert sides(ask(catalog, "IN", "PK", "0808 10", "2025-06-01", side=Side.export)) == [
        ("IN", "export", "not_surveyed")
    ]


def test_without_surveys_the_rule_is_off() -> None:
    mini = Catalog(load_dataset(MINI))
    answer = ask(mini, "IN", "PK", "0808 10", "2025-06-01")
    assert (answer.verdict, answer.reason) == (A, Reason.no_measure)


def test_surveyed_countries_and_members_of_a_surveyed_union(catalog: Catalog) -> None:
    # the EU survey says `members: true`: Germany and France stand through it
    assert ask(catalog, "DE", "FR", "0808", "2024-06-01").verdict == A
    assert ask(catalog, "US", "DE", "0808", "2024-06-01").verdict == A
    # the UK stands through the EU while bound by EU law (to 31 Dec 2020), not after
    assert ask(catalog, "GB", "US", "0808", "2020-12-31").verdict == A
    late = ask(catalog, "GB", "US", "0808", "2021-01-01")
    assert sides(late) == [("GB", "export", "not_surveyed")]


def test_a_survey_from_a_later_day_or_stale_does_not_vouch(catalog: Catalog) -> None:
    early = ask(catalog, "CN", "DE", "0808", "2024-12-31")  # China surveyed from 2025-01-01
    assert (early.verdict, sides(early)) == (N, [("CN", "export", "not_surveyed")])
    assert early.coverage is not None and early.coverage.missing[0].survey is not None
    assert "covers the days from 2025-01-01" in early.explanation
    assert ask(catalog, "CN", "DE", "0808", "2025-01-01").verdict == A
    # Japan's survey was last reviewed on 2020-01-01: stale (30 days' grace) for later days
    # as known after the grace period, as declarations are
    assert ask(catalog, "JP", "US", "0808", "2020-01-31").verdict == A
    stale = ask(catalog, "JP", "US", "0808", "2020-02-01")
    assert (stale.verdict, sides(stale)) == (N, [("JP", "export", "not_surveyed")])
    assert ask(catalog, "JP", "US", "0808", "2020-02-01", known=date(2020, 1, 15)).verdict == A


def _through(tmp_path: Path, states: str) -> Catalog:
    """The fixture with Crimea's side surveyed through ``states``."""
    root = _copy(tmp_path)
    path = root / "jurisdictions.yaml"
    marker = '    note: "Named by acts as a territory; the data asserts no sovereignty claim (ISO'
    text = path.read_text()
    start = text.index(marker)
    end = text.index("\n", start) + 1
    path.write_text(text[:end] + f"    surveyed_through: [{states}]\n" + text[end:])
    return Catalog(load_dataset(root))


def test_a_territory_stands_when_every_state_it_is_surveyed_through_does(tmp_path: Path) -> None:
    # Russia and the United States are surveyed in the fixture, Ukraine is not
    assert sides(ask(_through(tmp_path / "a", "RU, US"), "CRIMEA", "US", "0808", "2024-06-01")) == []
    answer = ask(_through(tmp_path / "b", "UA, RU"), "CRIMEA", "US", "0808", "2024-06-01")
    assert (answer.verdict, sides(answer)) == (N, [("CRIMEA", "export", "not_surveyed")])
    # Japan's survey is stale on that day: one state not standing is enough
    stale = ask(_through(tmp_path / "c", "RU, JP"), "US", "CRIMEA", "0808", "2024-06-01")
    assert sides(stale) == [("CRIMEA", "import", "not_surveyed")]


@pytest.mark.parametrize("states", ["RU, US", "UA, RU", "RU, JP"])
def test_the_batch_kernel_answers_territories_as_check(tmp_path: Path, states: str) -> None:
    catalog = _through(tmp_path, states)
    kernel = catalog.kernel(KNOWN)
    places = ["CRIMEA", "US", "RU", "UA", "DE"]
    qs = [
        catalog.question(o, d, "0808", date.fromisoformat(day), KNOWN)
        for o in places
        for d in places
        if o != d
        for day in ("2019-06-01", "2020-01-31", "2024-06-01")
    ]
    ids = kernel.run(
        np.array([kernel.day_key(q.day) for q in qs], np.int32),
        np.array([kernel.origin_key(q.origin) + kernel.destination_key(q.destination) for q in qs], np.int32),
        np.array([kernel.code_key(q.code) for q in qs], np.int32),
    )
    for q, i in zip(qs, ids, strict=True):
        assert kernel.outcomes[i] == Outcome.of(catalog.check(q)), q


def test_a_territory_is_surveyed_through_known_countries_only(tmp_path: Path) -> None:
    with pytest.raises(DataError) as caught:
        _through(tmp_path, "RU, EU")
    assert any("surveyed_through names 'EU'" in str(p) for p in caught.value.problems)


def test_a_ban_is_reported_whatever_the_surveys(catalog: Catalog) -> None:
    answer = ask(catalog, "PL", "RU", "0701", "2020-06-01")
    assert answer.verdict == Verdict.BANNED


# -- files, loading errors, version, snapshot -----------------------------------------------
def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(REGIMES, root)
    return root


def _problems(root: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_dataset(root)
    return [str(p) for p in caught.value.problems]


GOOD = """imposer: {imposer}
since: 2014-01-01
reviewed_on: 2026-12-02
statement: "Every country-level regime is recorded."
sources: [{{url: "https://example.org/s"}}]
"""


@pytest.mark.parametrize(
    ("name", "text", "line", "message"),
    [
        ("NZ", GOOD.format(imposer="NZ").replace("2014-01-01", "2014-02-30"), 2, "since"),
        ("NZ", GOOD.format(imposer="NZ") + "colour: blue\n", 6, "colour: Extra inputs are not permitted"),
        (
            "NZ",
            GOOD.format(imposer="NZ").replace('sources: [{url: "https://example.org/s"}]', "sources: []"),
            5,
            "sources",
        ),
        (
            "NZ",
            GOOD.format(imposer="NZ").replace("reviewed_on: 2026-12-02\n", ""),
            1,
            "reviewed_on: Field required",
        ),
        ("NZ", GOOD.format(imposer="AU"), 1, "imposer 'AU' differs from the file name 'NZ'"),
        ("XX", GOOD.format(imposer="XX"), 1, "unknown imposer 'XX'"),
        (
            "NZ",
            GOOD.format(imposer="NZ").replace("2026-12-02", "2013-12-31"),
            3,
            "is before since 2014-01-01",
        ),
        ("NZ", "imposer: [NZ\n", 2, "YAML syntax"),
    ],
)
def test_survey_problems_name_file_and_line(
    tmp_path: Path, name: str, text: str, line: int, message: str
) -> None:
    root = _copy(tmp_path)
    (root / "surveys" / f"{name}.yaml").write_text(text)
    problems = _problems(root)
    assert any(p.startswith(f"data/surveys/{name}.yaml:") and message in p for p in problems), problems
    assert any(p.startswith(f"data/surveys/{name}.yaml:{line}:") for p in problems), problems


def test_surveys_are_part_of_the_version_and_the_snapshot_key(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    before, key = load_dataset(root).version, snapshot.snapshot_key(root)
    (root / "surveys" / "NZ.yaml").write_text(GOOD.format(imposer="NZ"))
    after = load_dataset(root)
    assert after.version != before and "NZ" in after.surveys
    assert snapshot.snapshot_key(root) != key
    (root / "surveys" / "NZ.yaml").unlink()
    assert load_dataset(root).version == before


def test_snapshot_keeps_the_surveys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANCTIONSCOPE_CACHE", str(tmp_path / "cache"))
    root = _copy(tmp_path)
    snapshot.build(root)
    stored = snapshot.read(root.resolve())
    assert stored is not None and set(stored.dataset.surveys) == {"CN", "EU", "JP", "RU", "UN", "US"}
    q = stored.question("IN", "PK", "0808", date(2025, 6, 1), KNOWN)
    assert stored.check(q).reason == Reason.not_surveyed
