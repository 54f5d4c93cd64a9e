"""who / spared / timeline / diff on the embedded data, and the Turkey and Japan episodes."""

from __future__ import annotations

from datetime import date

import pytest

from sanctionscope.engine.answer import Verdict
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.diff import diff
from sanctionscope.engine.relations import spared, timeline, who
from sanctionscope.model.acts import MeasureType
from tests.conftest import Ask

B, A, N = Verdict.BANNED, Verdict.ALLOWED, Verdict.NOT_COVERED
TODAY = date(2026, 11, 30)

TURKEY = [
    ("0702 00 000 0", "2015-12-31", A, "tomatoes before the list applied (1 Jan 2016)"),
    ("0702 00 000 0", "2016-01-01", B, "tomatoes from 1 Jan 2016 (Res. 1296)"),
    ("0805 10", "2016-06-01", B, "oranges in 2016"),
    ("0805 10", "2016-11-01", A, "oranges freed by Res. 1020 (Oct 2016)"),
    ("0809 10", "2016-11-01", A, "apricots freed by Res. 1020"),
    ("0805 50", "2016-06-01", A, "lemons were never on the Turkish list"),
    ("0703 10", "2017-01-15", B, "onions before the March 2017 step"),
    ("0703 10", "2017-04-01", A, "onions freed in March 2017"),
    ("0808 10", "2017-05-01", B, "apples before the June 2017 step"),
    ("0808 10", "2017-07-01", A, "apples freed in June 2017"),
    ("0207 14", "2017-07-01", A, "chicken cuts freed in June 2017"),
    ("0702 00 000 0", "2017-12-01", B, "tomatoes stay banned (quota exception only)"),
    ("0802 22", "2016-06-01", A, "hazelnuts were never banned"),
]


@pytest.mark.parametrize(("hs", "day", "verdict", "why"), TURKEY, ids=[c[3] for c in TURKEY])
def test_turkey(ask: Ask, hs: str, day: str, verdict: Verdict, why: str) -> None:
    answer = ask("TR", hs, day)
    assert answer.verdict == verdict, answer.explanation
    if verdict == B:
        assert answer.deciding[0].measure.id == "RU-TR-FOOD-IMPORT-BAN"


def test_turkish_tomatoes_list_the_quota_exception(ask: Ask) -> None:
    assert "RU-TR-X-TOMATO-QUOTA" in [e.id for e in ask("TR", "0702", "2018-03-01").exceptions]


def test_japan_spared_on_10_aug_2014(real: Catalog) -> None:
    rows = {s.jurisdiction: s for s in spared(real.index(TODAY), "RU", date(2014, 8, 10))}
    assert rows["JP"].spared
    assert {"CH", "NZ", "IS"} <= {k for k, s in rows.items() if s.spared}
    for hit in ("US", "EU", "CA", "AU", "NO"):
        assert not rows[hit].spared, hit
        assert [m.id for m in rows[hit].hit_by] == ["RU-FOOD-IMPORT-BAN"]


def test_japan_hit_by_entry_bans_but_spared_from_the_food_ban(real: Catalog) -> None:
    index = real.index(TODAY)
    rows = {s.jurisdiction: s for s in spared(index, "RU", date(2014, 9, 1))}
    assert not rows["JP"].spared
    assert [m.id for m in rows["JP"].hit_by] == ["RU-JP-ENTRY-BAN-2014"]
    food_only = {s.jurisdiction: s for s in spared(index, "RU", date(2014, 9, 1), {MeasureType.import_ban})}
    assert food_only["JP"].spared


def test_iceland_no_longer_spared_after_res_842(real: Catalog) -> None:
    rows = {s.jurisdiction: s for s in spared(real.index(TODAY), "RU", date(2015, 9, 1))}
    assert not rows["IS"].spared


def test_who_on_10_aug_2014(real: Catalog) -> None:
    pairs = {(r.imposer, r.target): r for r in who(real.index(TODAY), date(2014, 8, 10))}
    assert pairs[("RU", "EU")].countermeasure
    assert ("US", "RU") in pairs and ("JP", "RU") in pairs
    assert ("RU", "JP") not in pairs  # entry bans came on 22 Aug 2014
    assert ("RU", "TR") not in pairs


def test_timeline_russia_japan_in_date_order(real: Catalog) -> None:
    entries = timeline(real.index(TODAY), "RU", "JP")
    ids = [e.act.id for e in entries]
    assert "RU-MFA-20140822-2014" in ids and "JP-GOV-20140805-2014" in ids
    assert "RU-GOV-778-2014" not in ids  # Japan was never a target of the food list
    assert [e.act.in_force for e in entries] == sorted(e.act.in_force for e in entries)


def test_timeline_russia_poland_includes_eu_acts_and_the_food_list(real: Catalog) -> None:
    ids = [e.act.id for e in timeline(real.index(TODAY), "RU", "PL")]
    assert "RU-GOV-778-2014" in ids and "EU-REG-269-2014" in ids and "RU-GOV-830-2014" in ids


def test_diff_res_842(real: Catalog) -> None:
    (change,) = [
        d
        for d in diff(real.index(TODAY), date(2015, 8, 5), date(2015, 8, 14))
        if d.measure.id == "RU-FOOD-IMPORT-BAN"
    ]
    assert change.countries_added == ["AL", "IS", "LI", "ME"]
    assert "RU-GOV-842-2015" in change.acts


def test_diff_salt(real: Catalog) -> None:
    (change,) = [
        d
        for d in diff(real.index(TODAY), date(2016, 10, 31), date(2016, 11, 1))
        if d.measure.id == "RU-FOOD-IMPORT-BAN"
    ]
    assert change.lines_added == ["250100"]


def test_a_heading_broader_than_the_turkish_lines_is_undetermined(ask: Ask) -> None:
    # The Turkish list names apples (0808 10) and pears (0808 30), not all of 0808.
    answer = ask("TR", "0808", "2016-06-01")
    assert answer.verdict == Verdict.UNDETERMINED
    assert {x.code for x in answer.deciding[0].narrower} == {"080810", "080830"}


CRIMEA = [
    ("CRIMEA", "DE", "0808", "2014-06-24", A, "EU Reg. 692/2014 applies from 25 Jun 2014"),
    ("CRIMEA", "DE", "0808", "2014-06-25", B, "EU ban on goods originating in Crimea"),
    ("UA-43", "FR", "2204 21", "2015-01-01", B, "Crimean wine into France (input as ISO 3166-2)"),
    ("SEVASTOPOL", "US", "0303", "2014-12-18", A, "before EO 13685 (19 Dec 2014)"),
    ("SEVASTOPOL", "US", "0303", "2015-01-01", B, "EO 13685 import ban"),
    ("UA", "DE", "0808", "2015-01-01", A, "Ukrainian goods are not Crimean goods"),
    # China imposed nothing on Crimea, but its graphite export controls (since 2006, addressed
    # to every partner) put China's side at goods risk, and China's imports are not vouched for
    ("CRIMEA", "CN", "0808", "2015-01-01", N, "China imposed nothing"),
]


@pytest.mark.parametrize(
    ("origin", "dest", "hs", "day", "verdict", "why"), CRIMEA, ids=[c[5] for c in CRIMEA]
)
def test_crimea_import_bans(
    ask: Ask, origin: str, dest: str, hs: str, day: str, verdict: Verdict, why: str
) -> None:
    assert ask(origin, hs, day, destination=dest).verdict == verdict
