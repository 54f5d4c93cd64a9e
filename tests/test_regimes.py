"""Regime-level records (issue 11) on the synthetic fixture ``fixtures/regimes`` (the mini
data set plus regime acts and surveys): regimes starting and ending, persons-only regimes
that are no goods risk, NOT_COVERED naming a regime whose lists are not held, a regime
linked to the measure holding its list, ``--side`` (engine, CLI, API, screen), the
``regimes`` listing and counts, ``who`` and the GSDB export, and ``validate`` refusing a
regime-level record that duplicates an encoded measure without ``lists_in``.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctionscope.codes import significant
from sanctionscope.engine import documents
from sanctionscope.engine.answer import Answer, Reason, Verdict
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.coverage import Side, Status, reaches
from sanctionscope.engine.kernel import ASK, Outcome
from sanctionscope.engine.regimes import counts, counts_markdown, regimes_doc
from sanctionscope.errors import DataError
from sanctionscope.exports import gsdb
from sanctionscope.load import DEFAULT_DATA, load_dataset
from sanctionscope.screen import parse_mapping, screen_file
from sanctionscope.web.app import create_app

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

REGIMES = Path(__file__).parent / "fixtures" / "regimes"
KNOWN = date(2026, 12, 2)
EXE = shutil.which("sanctionscope") or str(Path(sys.executable).with_name("sanctionscope"))
N, A, B = Verdict.NOT_COVERED, Verdict.ALLOWED, Verdict.BANNED


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog(load_dataset(REGIMES))


def ask(catalog: Catalog, origin: str, destination: str, hs: str, day: str, side: Side = Side.both) -> Answer:
    q = catalog.question(origin, destination, hs, date.fromisoformat(day), KNOWN)
    q.side = side
    return catalog.check(q)


def missing(answer: Answer) -> list[tuple[str, str, str]]:
    assert answer.coverage is not None
    return [(s.imposer, s.direction.value, s.status.value) for s in answer.coverage.missing]


# -- NOT_COVERED naming a regime whose lists are not held ---------------------------------
def test_us_cuba_embargo_is_not_covered_naming_the_regime(catalog: Catalog) -> None:
    answer = ask(catalog, "US", "CU", "870323", "2024-06-01")
    assert (answer.verdict, answer.reason) == (N, Reason.regime_not_held)
    assert ("US", "export", "regime_not_held") in missing(answer)
    assert answer.coverage is not None
    side = next(s for s in answer.coverage.missing if s.status == Status.regime_not_held)
    assert [(r.regime, r.measure, r.act) for r in side.regimes] == [
        ("Cuba (embargo)", "US-REGIME-CU-EMBARGO", "US-REGIME-CU-1962")
    ]
    assert "Cuba (embargo)" in answer.explanation and "US-REGIME-CU-1962" in answer.explanation


def test_un_arms_embargo_names_the_un_regime_for_arms_only(catalog: Catalog) -> None:
    arms = ask(catalog, "FR", "KP", "930100", "2024-06-01", Side.export)
    assert (arms.verdict, arms.reason) == (N, Reason.regime_not_held)
    assert missing(arms) == [("UN", "export", "regime_not_held")]
    # apples lie outside the embargo's goods range: the UN side still needs coverage
    apples = ask(catalog, "FR", "KP", "0808", "2024-06-01", Side.export)
    assert missing(apples) == [("UN", "export", "no_declaration")]


# -- regimes start and end ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "verdict", "reason"),
    [
        ("2012-03-23", A, Reason.no_measure),  # the day before the regime starts
        ("2012-03-24", N, Reason.regime_not_held),  # starts
        ("2016-01-15", N, Reason.regime_not_held),  # the day before Implementation Day
        ("2016-01-16", A, Reason.no_measure),  # lifted: as before the record existed
    ],
)
def test_eu_iran_regime_starts_and_ends(catalog: Catalog, day: str, verdict: Verdict, reason: Reason) -> None:
    answer = ask(catalog, "DE", "IR", "841111", day, Side.export)
    assert (answer.verdict, answer.reason) == (verdict, reason)


def test_a_regime_range_reaches_only_its_goods(catalog: Catalog) -> None:
    """Outside its goods range, a regime still makes the side need coverage (goods risk)."""
    answer = ask(catalog, "DE", "IR", "0808", "2015-06-01", Side.export)
    assert (answer.verdict, missing(answer)) == (N, [("EU", "export", "no_declaration")])
    broad = ask(catalog, "DE", "IR", "84", "2015-06-01", Side.export)  # a code above the range
    assert broad.reason == Reason.regime_not_held


@given(
    ranges=st.lists(st.text("0123456789", min_size=2, max_size=6), min_size=1, max_size=8),
    data=st.data(),
)
def test_a_goods_range_reaches_a_code_inside_it_or_above_part_of_it(
    ranges: list[str], data: st.DataObject
) -> None:
    """reaches(): the code lies under a prefix of the range, or a prefix of the range lies
    under the code, compared on significant digits (as written in the definition)."""
    near = st.sampled_from(ranges).flatmap(
        lambda r: st.builds(
            lambda n, tail: (r[:n] + tail)[:10], st.integers(2, 6), st.text("0123456789", max_size=4)
        )
    )
    code = data.draw(st.one_of(st.text("0123456789", min_size=2, max_size=10), near))
    record = SimpleNamespace(goods_range=ranges)
    key = significant(code)
    expected = any(key.startswith(r) or r.startswith(key) for r in map(significant, ranges))
    assert reaches(record, code) == expected  # type: ignore[arg-type]


def test_persons_only_regimes_are_no_goods_risk(catalog: Catalog) -> None:
    # after Implementation Day only the EU's human-rights freeze on persons of Iran is left
    answer = ask(catalog, "DE", "IR", "841111", "2017-01-01", Side.export)
    assert (answer.verdict, missing(answer)) == (A, [])
    # the global human-rights regime (persons and entities of RU, CN) changes nothing
    assert ask(catalog, "DE", "CN", "0808", "2021-06-01", Side.export).verdict == A


def test_a_regime_linked_to_its_held_list_answers_from_the_list(catalog: Catalog) -> None:
    """RU-REGIME-TEST-FOOD links to TEST-BAN: the mini data set's verdicts stand."""
    mini = Catalog(load_dataset(REGIMES.parent / "mini"))
    for origin, hs, day in [
        ("PL", "0701", "2020-06-01"),
        ("PL", "0701 10 100", "2020-06-01"),
        ("US", "0406", "2020-11-01"),
        ("DE", "0808 10", "2020-07-01"),
        ("IS", "0808 20", "2020-07-01"),
        ("FR", "0201", "2021-06-01"),
    ]:
        here = ask(catalog, origin, "RU", hs, day)
        there = mini.check(mini.question(origin, "RU", hs, date.fromisoformat(day), KNOWN))
        assert (here.verdict, here.reason) == (there.verdict, there.reason), (origin, hs, day)
        assert Status.regime_not_held.value not in {s[2] for s in missing(here)}


# -- --side ---------------------------------------------------------------------------------
def test_side_asks_about_one_sides_law_only(catalog: Catalog) -> None:
    both = ask(catalog, "US", "CU", "870323", "2024-06-01")
    assert {s[1] for s in missing(both)} == {"import", "export"}
    imports = ask(catalog, "US", "CU", "870323", "2024-06-01", Side.import_)
    assert missing(imports) == [("CU", "import", "not_surveyed")]
    assert imports.coverage is not None and [d.value for d in imports.coverage.assessed] == ["import"]
    # a ban is law of the importing side: asking about the export side does not see it
    assert ask(catalog, "PL", "RU", "0701", "2020-06-01", Side.import_).verdict == B
    exports = ask(catalog, "PL", "RU", "0701", "2020-06-01", Side.export)
    assert (exports.verdict, exports.reason) == (A, Reason.no_measure)


def test_side_on_the_cli() -> None:
    args = ["check", "--data", str(REGIMES), "--origin", "US", "--destination", "CU", "--hs", "870323"]
    args += ["--date", "2024-06-01", "--as-known-on", KNOWN.isoformat(), "--json"]
    done = subprocess.run([EXE, *args, "--side", "import"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["query"]["side"] == "import" and doc["coverage"]["sides_assessed"] == ["import"]
    assert doc["reason"] == "not_surveyed"
    bad = subprocess.run([EXE, *args, "--side", "sideways"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "side" in bad.stderr


@pytest.fixture(scope="module")
def client(catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_app(catalog, tmp_path_factory.mktemp("state"), upload_limit=64 * 1024)
    with TestClient(app) as c:
        yield c


def test_side_and_regimes_on_the_api(client: TestClient) -> None:
    params = {"origin": "US", "destination": "CU", "hs": "870323", "date": "2024-06-01"}
    params["as_known_on"] = KNOWN.isoformat()
    doc = client.get("/v1/check", params={**params, "side": "export"}).json()
    assert (doc["verdict"], doc["reason"], doc["query"]["side"]) == (
        "NOT_COVERED",
        "regime_not_held",
        "export",
    )
    assert doc["coverage"]["not_covered"][0]["regimes"][0]["regime"] == "Cuba (embargo)"
    assert client.get("/v1/check", params={**params, "side": "up"}).status_code == 400
    found = client.get("/v1/regimes", params={"target": "IR", "on": "2015-01-01"}).json()
    assert [r["act"] for r in found["regimes"]] == ["EU-REGIME-IR-2012"]
    assert found["regimes"][0]["restricts_goods"] is True
    csv_text = "origin,destination,hs_code,date\nUS,CU,870323,2024-06-01\nPL,RU,0701,2020-06-01\n"
    up = client.post("/v1/screen?side=export", files={"file": ("in.csv", csv_text, "text/csv")})
    assert up.status_code == 200, up.text
    assert up.json()["side"] == "export"
    rows = list(csv.DictReader(client.get(up.json()["download"]).text.splitlines()))
    assert [r["verdict"] for r in rows] == ["NOT_COVERED", "ALLOWED"]


def test_screen_with_a_side_answers_as_check(catalog: Catalog, tmp_path: Path) -> None:
    rows = [
        ("US", "CU", "870323", "2024-06-01"),
        ("CU", "US", "0808", "2024-06-01"),
        ("PL", "RU", "0701", "2020-06-01"),
        ("IN", "PK", "0808", "2025-06-01"),
        ("PK", "IN", "0808", "2025-06-01"),
        ("BR", "AR", "0808", "2025-06-01"),
        ("DE", "IR", "841111", "2016-01-15"),
        ("DE", "IR", "841111", "2016-01-16"),
        ("FR", "KP", "930100", "2024-06-01"),
        ("CN", "DE", "0808", "2024-06-01"),
        ("CN", "DE", "0808", "2025-06-01"),
        ("JP", "RU", "0808", "2024-06-01"),
    ]
    source = tmp_path / "in.csv"
    source.write_text("origin,destination,hs_code,date\n" + "".join(f"{','.join(r)}\n" for r in rows))
    for side in Side:
        target = tmp_path / f"out-{side.value}.csv"
        screen_file(catalog, source, target, None, parse_mapping(None), KNOWN, side=side)
        got = list(csv.DictReader(target.open()))
        for row, (o, d, hs, day) in zip(got, rows, strict=True):
            want = Outcome.of(ask(catalog, o, d, hs, day, side))
            assert (row["verdict"], row["reason_code"], row["not_covered"]) == (
                want.verdict,
                want.reason_code,
                want.not_covered,
            ), (side, o, d, hs, day)


def test_kernel_equals_check_on_every_place_and_epoch(catalog: Catalog) -> None:
    places = ["US", "CU", "PL", "DE", "FR", "IR", "KP", "RU", "IN", "PK", "CN", "JP", "GB", "IS", "BR"]
    days = ["2009-06-01", "2012-03-24", "2015-06-01", "2016-01-16", "2020-06-01", "2021-06-01"]
    days += ["2022-06-01", "2024-06-01", "2025-06-01", "2027-06-01"]
    codes = ["0701", "0808 10", "841111", "84", "930100", "870323", "0406"]
    for side in Side:
        kernel = catalog.kernel(KNOWN, side=side)
        asked = [(o, d, c, day) for o in places for d in places if o != d for c in codes for day in days[::3]]
        qs = [catalog.question(o, d, c, date.fromisoformat(day), KNOWN) for o, d, c, day in asked]
        ids = kernel.run(
            np.array([kernel.day_key(q.day) for q in qs], np.int32),
            np.array(
                [kernel.origin_key(q.origin) + kernel.destination_key(q.destination) for q in qs], np.int32
            ),
            np.array([kernel.code_key(q.code) for q in qs], np.int32),
        )
        assert (ids != ASK).all()
        for q, i in zip(qs, ids, strict=True):
            q.side = side
            assert kernel.outcomes[i] == Outcome.of(catalog.check(q)), (side, q)


def test_unsurveyed_sides_share_one_label_in_screens(catalog: Catalog) -> None:
    got = Outcome.of(ask(catalog, "IN", "PK", "0808", "2025-06-01"))
    assert got.not_covered == "destination:import:not_surveyed;origin:export:not_surveyed"


# -- listing, who, GSDB ---------------------------------------------------------------------
def test_regimes_listing_filters(catalog: Catalog) -> None:
    index = catalog.index(KNOWN)
    every = regimes_doc(index)
    assert [r["act"] for r in every["regimes"]] == [
        "EU-REGIME-HR-2020",
        "EU-REGIME-IR-2012",
        "RU-REGIME-TEST-2020",
        "UN-SC-1718-2006",
        "US-REGIME-CU-1962",
    ]
    hr = every["regimes"][0]
    assert hr["persons_only"] and not hr["restricts_goods"]
    assert [r["act"] for r in regimes_doc(index, imposer="UN")["regimes"]] == ["UN-SC-1718-2006"]
    # a bloc target expands to its members: Germany is targeted through the EU
    assert [r["act"] for r in regimes_doc(index, target="DE")["regimes"]] == ["RU-REGIME-TEST-2020"]
    lifted = regimes_doc(index, target="IR", on=date(2017, 1, 1))["regimes"]
    assert [r["id"] for r in lifted[0]["records"]] == ["EU-REGIME-IR-HUMAN-RIGHTS"]
    assert regimes_doc(index, on=date(1960, 1, 1))["regimes"] == []


def test_regime_counts_and_markdown(catalog: Catalog) -> None:
    rows = {r["imposer"]: r for r in counts(catalog.index(date.max))}
    assert (rows["EU"]["regimes"], rows["EU"]["records"], rows["EU"]["persons_only"]) == (2, 3, 1)
    assert (rows["RU"]["linked"], rows["Total"]["regimes"]) == (1, 5)
    table = counts_markdown(catalog.index(date.max))
    assert table.splitlines()[0].startswith("| Imposer | Regime acts |")
    assert "| Total | 5 |" in table


def test_who_and_gsdb_include_regime_level_records(catalog: Catalog) -> None:
    index = catalog.index(KNOWN)
    relations = documents.who_doc(index, date(2024, 6, 1))["relations"]
    assert {"imposer": "US", "target": "CU"}.items() <= next(
        r for r in relations if r["target"] == "CU"
    ).items()
    assert any("UN-REGIME-KP-ARMS" in r["measures"] for r in relations)
    rows = gsdb.rows(index, KNOWN)
    cases = {(r["case_id"], r["sanctioning_state_iso3"], r["sanctioned_state_iso3"]) for r in rows}
    assert ("US-REGIME-CU-EMBARGO", "USA", "CUB") in cases
    # blocs expanded: the EU's Iran regime gives a row per member state
    assert ("EU-REGIME-IR-NUCLEAR", "DEU", "IRN") in cases and ("EU-REGIME-IR-NUCLEAR", "FRA", "IRN") in cases
    # the UN is a union: its measures are expanded to its member states, as blocs are
    un = [r for r in rows if r["case_id"] == "UN-REGIME-KP-ARMS"]
    assert len(un) > 100 and {r["sanctioning_via"] for r in un} == {"UN"}
    assert "PRK" not in {r["sanctioning_state_iso3"] for r in un}


# -- validation -----------------------------------------------------------------------------
def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(REGIMES, root)
    return root


def _problems(root: Path) -> str:
    with pytest.raises(DataError) as caught:
        load_dataset(root)
    return "\n".join(str(p) for p in caught.value.problems)


def test_validate_refuses_a_duplicate_without_lists_in(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "acts" / "RU" / "RU-REGIME-TEST-2020.yaml"
    path.write_text(path.read_text().replace("    lists_in: [TEST-BAN]\n", ""))
    text = _problems(root)
    assert re.search(
        r"RU-REGIME-TEST-2020\.yaml:\d+: RU-REGIME-TEST-FOOD: duplicates the encoded measure TEST-BAN", text
    )
    assert "lists_in: [TEST-BAN]" in text


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ("lists_in: [NOPE]", "lists_in points to a missing measure 'NOPE'"),
        ("lists_in: [TEST-BAN, US-REGIME-CU-EMBARGO]", "is imposed by US, not RU"),
    ],
)
def test_validate_checks_lists_in(tmp_path: Path, edit: str, message: str) -> None:
    root = _copy(tmp_path)
    path = root / "acts" / "RU" / "RU-REGIME-TEST-2020.yaml"
    path.write_text(path.read_text().replace("lists_in: [TEST-BAN]", edit))
    assert message in _problems(root)


def test_a_linked_regime_outlasting_its_lists_must_be_left_out_of_declarations(tmp_path: Path) -> None:
    """Held only where the linked measure is in force: the declaration of all goods from
    2020 must exclude the regime's goods after TEST-BAN ends (2022-01-01)."""
    root = _copy(tmp_path)
    path = root / "acts" / "RU" / "RU-REGIME-TEST-2020.yaml"
    path.write_text(path.read_text().replace("    end: 2022-01-01\n", ""))
    found = _problems(root)
    assert re.search(
        r"RU-TEST-IMPORT: scope includes goods of RU-REGIME-TEST-FOOD .* not held on 2022-01-01", found
    )


def test_the_fixture_and_the_mini_data_set_validate() -> None:
    assert load_dataset(REGIMES).surveys
    assert not load_dataset(REGIMES.parent / "mini").surveys


# -- docs/regimes.md ------------------------------------------------------------------------
def test_docs_regimes_table_is_the_generated_one() -> None:
    """docs/regimes.md holds the counts table as `sanctionscope regimes --counts --markdown`
    writes it from data/ (regenerate it after adding regime acts)."""
    text = (Path(__file__).parents[1] / "docs" / "regimes.md").read_text()
    found = re.search(r"<!-- counts:begin -->\n(.*?)<!-- counts:end -->", text, re.S)
    assert found is not None
    expected = counts_markdown(Catalog(load_dataset(DEFAULT_DATA)).index(date.max))
    assert found.group(1) == expected
