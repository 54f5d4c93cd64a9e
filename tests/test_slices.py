"""The index cut by imposer (engine/slices.py) and its file beside the snapshot
(snapshot_parts.py): a check answered from the parts that can bind its parties says
exactly what the whole index says, and a parts file is used only for the data it was
written from."""

from __future__ import annotations

import io
import json
import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctionscope import snapshot, snapshot_parts
from sanctionscope.engine import serialise
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.check import check
from sanctionscope.engine.compile import Index
from sanctionscope.engine.coverage import Side
from sanctionscope.engine.slices import (
    ALL_GOODS,
    COMMON,
    Part,
    by_chapter,
    chapter,
    cites,
    join,
    parties_imposers,
    shell,
    split,
    with_lines,
)
from sanctionscope.errors import InputError
from sanctionscope.load import DEFAULT_DATA, load_dataset
from sanctionscope.model.acts import ActSpec
from sanctionscope.snapshot_parts import Deferred, Shipment

MINI = Path(__file__).parent / "fixtures" / "mini"
KNOWN_ON = date(2026, 11, 30)
#: Parties: the imposers with the most measures, the countries they target, a bloc member
#: that left (GB), territories and a subdivision.
PARTIES = ["PL", "DE", "RU", "BY", "JP", "US", "GB", "UA", "NO", "IS", "CN", "KZ", "IR", "CRIMEA", "UA-43"]
CODES = ["0808", "0201", "7208", "8471", "2709", "03", "8542310000"]
DAYS = [date(2014, 8, 10), date(2020, 12, 15), date(2022, 6, 1), date(2025, 6, 1), date(2026, 11, 30)]


IndexOf = Callable[[str], Index]


def _answers(
    catalog: Catalog, index_of: IndexOf, origin: str, destination: str, attest: tuple[str, ...] = ()
) -> list[str]:
    """The answers (as printed) to shipments of every code and day, each from the index
    ``index_of`` gives for its code."""
    found = []
    for code in CODES:
        index = index_of(code)
        for day in DAYS:
            q = catalog.question(origin, destination, code, day, KNOWN_ON, attest)
            found.append(json.dumps(serialise.answer(index, check(index, q)), sort_keys=True))
    return found


class _Parts:
    """The parts of the real index, and for a shipment the index of those that answer
    it, holding the line tables of the code's chapter only (as the parts file does)."""

    def __init__(self, catalog: Catalog, index: Index) -> None:
        self.catalog, self.whole = catalog, index
        self.parts = split(index)
        self.tables = {k: by_chapter(p) for k, p in self.parts.items()}

    def index_of(self, parties: tuple[str, str], attested: tuple[str, ...] = ()) -> IndexOf:
        jur = self.catalog.dataset.jurisdictions
        wanted = sorted(parties_imposers(jur, parties, attested) | {COMMON})

        def of_code(code: str) -> Index:
            chosen = [self._of_chapter(k, chapter(code)) for k in wanted if k in self.parts]
            return join(shell(self.catalog.dataset), KNOWN_ON, chosen)

        return of_code

    def _of_chapter(self, imposer: str, code_chapter: str) -> Part:
        tables = self.tables[imposer]
        bare = replace(self.parts[imposer], lines_by_code={}, sorted_keys={})
        return with_lines(bare, [tables[k] for k in dict.fromkeys([ALL_GOODS, code_chapter]) if k in tables])


@pytest.fixture(scope="module")
def cut(real: Catalog) -> _Parts:
    return _Parts(real, real.index(KNOWN_ON))


@pytest.mark.parametrize("origin", PARTIES)
def test_the_parts_of_two_parties_answer_every_shipment_between_them_as_the_whole(
    real: Catalog, cut: _Parts, origin: str
) -> None:
    whole = cut.whole
    for destination in PARTIES:
        if destination == origin:
            continue
        of_code = cut.index_of((origin, destination))
        assert len(of_code("0808").measures) < len(whole.measures)
        assert _answers(real, of_code, origin, destination) == _answers(
            real, lambda _: whole, origin, destination
        )


def test_attested_exceptions_and_licences_of_any_imposer_are_answered_as_by_the_whole(
    real: Catalog, cut: _Parts
) -> None:
    index = cut.whole
    by_imposer: dict[str, str] = {}
    for k, e in index.exceptions_by_id.items():
        by_imposer.setdefault(index.measures[e.measure].spec.imposer, k)
    licences = sorted(real.dataset.licence_ids & set(index.measures))[:3]
    for attested in [*by_imposer.values(), *licences]:
        exc = index.exceptions_by_id.get(attested)
        imposer = index.measures[exc.measure if exc else attested].spec.imposer
        for origin, destination in [("PL", "RU"), ("RU", "JP"), ("US", "CN")]:
            of_code = cut.index_of((origin, destination), (imposer,))
            whole = _answers(real, lambda _: index, origin, destination, (attested,))
            assert _answers(real, of_code, origin, destination, (attested,)) == whole


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_shipment_is_answered_from_its_parts_as_by_the_whole(
    real: Catalog, cut: _Parts, data: st.DataObject
) -> None:
    """Any two places (countries, territories), any code of the nomenclature (as written
    or extended to 8 or 10 digits), any day."""
    jur = real.dataset.jurisdictions
    places = sorted({*jur.iso.countries, *jur.territories})
    origin, destination = data.draw(st.sampled_from(places)), data.draw(st.sampled_from(places))
    heads = sorted(real.dataset.nomenclature.codes["HS2012"])
    code = data.draw(st.sampled_from(heads)) + data.draw(st.sampled_from(["", "00", "10", "1090", "9000"]))
    day = data.draw(st.dates(date(2013, 1, 1), date(2026, 12, 31)))
    q = real.question(origin, destination, code, day, KNOWN_ON)
    joined = cut.index_of((origin, destination))(q.code)
    whole = serialise.answer(cut.whole, check(cut.whole, q))
    assert serialise.answer(joined, check(joined, q)) == whole


def test_the_side_asked_is_answered_as_by_the_whole(real: Catalog, cut: _Parts) -> None:
    of_code = cut.index_of(("PL", "RU"))
    for side in (Side.import_, Side.export):
        for code in CODES:
            q = real.question("PL", "RU", code, date(2023, 3, 1), KNOWN_ON)
            q.side = side
            joined = of_code(code)
            a, b = check(joined, q), check(cut.whole, q)
            assert serialise.answer(joined, a) == serialise.answer(cut.whole, b)


def test_a_chapter_holds_the_lines_keyed_in_it_and_every_measure_with_lines_keeps_an_entry(
    cut: _Parts,
) -> None:
    for imposer, part in cut.parts.items():
        tables = cut.tables[imposer]
        assert set(tables[ALL_GOODS].lines_by_code) == set(part.lines_by_code)
        for code_chapter, lines in tables.items():
            for table in lines.lines_by_code.values():
                assert all(chapter(key) == code_chapter for key in table)
        rebuilt = with_lines(replace(part, lines_by_code={}, sorted_keys={}), tables.values())
        assert rebuilt.lines_by_code == part.lines_by_code
        assert rebuilt.sorted_keys == part.sorted_keys


def test_every_jurisdiction_binding_a_party_on_some_day_is_among_its_ever_imposers(real: Catalog) -> None:
    jur = real.dataset.jurisdictions
    ids = [*jur.blocs, *jur.territories, *PARTIES, *sorted(jur.iso.countries)]
    for jid in ids:
        ever = jur.ever_imposers(jid)
        for day in [date.min, *jur.change_days()]:
            assert set(jur.imposers(jid, day)) <= ever, (jid, day)


def test_every_measure_is_in_its_imposers_part_in_the_index_order(cut: _Parts) -> None:
    index, parts = cut.whole, cut.parts
    order = list(index.measures)
    for imposer, part in parts.items():
        assert [order.index(m.id) for _, m in part.measures] == [p for p, _ in part.measures]
        own = {m.id for m in index.measures.values() if m.spec.imposer == imposer}
        assert own <= {m.id for _, m in part.measures}
    assert parts[COMMON].measures == []


class _Strings(pickle.Pickler):
    """Every string a record holds, whatever its class, found by pickling it (an act met
    inside a measure is not searched: citing an act does not cite its other measures)."""

    def __init__(self) -> None:
        super().__init__(io.BytesIO(), protocol=5)
        self.found: set[str] = set()
        self.root: object = None

    def persistent_id(self, obj: object) -> str | None:
        if isinstance(obj, str):
            self.found.add(str(obj))
        elif isinstance(obj, ActSpec) and obj is not self.root:
            self.found.add(obj.id)
            return obj.id
        return None

    def of(self, obj: object) -> set[str]:
        self.found, self.root = set(), obj
        self.clear_memo()
        self.dump(obj)
        return self.found


def test_what_a_record_cites_is_every_measure_or_act_id_it_holds(real: Catalog, cut: _Parts) -> None:
    """Checked against a search of every string of every field, so that a field added to
    the model that names a measure or an act is not left out of the parts."""
    index = cut.whole
    search = _Strings()
    for m in index.measures.values():
        measures, acts = cites(m)
        held = search.of(m)
        assert held & set(index.measures) - {m.id} <= measures, m.id
        assert held & set(index.acts) <= acts, m.id
    for a in index.acts.values():
        citation = a.model_copy(update={"measures": []})
        assert search.of(citation) & set(index.acts) - {a.id} <= cites(a)[1], a.id
    jur = real.dataset.jurisdictions
    assert search.of(jur) & set(index.acts) <= cites(jur)[1]


# -- the parts file beside the snapshot -----------------------------------------------------


@pytest.fixture()
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SANCTIONSCOPE_CACHE", str(tmp_path / "cache"))
    return Path(shutil.copytree(MINI, tmp_path / "data"))


def _shipment(data: Path, known_on: date, hs: str = "0201") -> Catalog | None:
    return snapshot.shipment_catalog(data, Shipment("PL", "RU", hs), known_on)


def test_a_parts_file_is_written_with_the_snapshot_and_answers_as_the_whole(data: Path) -> None:
    today = date.today()
    assert _shipment(data, today) is None  # nothing compiled yet
    whole = snapshot.catalog(data)
    for code, day in [("0201", date(2014, 9, 1)), ("0808", date(2015, 9, 1)), ("0406", date(2016, 1, 1))]:
        parts = _shipment(data, today, code)
        assert isinstance(parts, snapshot_parts.ShipmentCatalog)
        a, b = (c.check(c.question("PL", "RU", code, day, today)) for c in (parts, whole))
        assert serialise.answer(parts.index(today), a) == serialise.answer(whole.index(today), b)
    with pytest.raises(LookupError):
        parts.index(date(2015, 1, 1))  # a catalog of parts never compiles
    with pytest.raises(LookupError):  # nor holds the lines of another chapter
        parts.check(parts.question("PL", "RU", "0808", date(2015, 9, 1), today))


def test_the_real_data_answers_from_its_parts_file_as_from_the_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file's round trip on the real data: parts pickled apart from their long lists,
    line tables by chapter, the data set without its acts."""
    monkeypatch.setenv("SANCTIONSCOPE_CACHE", str(tmp_path / "cache"))
    whole = snapshot.build(DEFAULT_DATA)
    today = date.today()
    pairs = [("PL", "RU"), ("RU", "JP"), ("US", "CN"), ("CN", "US"), ("DE", "BY"), ("GB", "RU"), ("UA", "RU")]
    for origin, destination in pairs:
        for code in CODES:
            parts = snapshot.shipment_catalog(DEFAULT_DATA, Shipment(origin, destination, code), today)
            assert isinstance(parts, snapshot_parts.ShipmentCatalog)
            for day in DAYS:
                a, b = (c.check(c.question(origin, destination, code, day, today)) for c in (parts, whole))
                assert serialise.answer(parts.index(today), a) == serialise.answer(whole.index(today), b)


def test_a_deferred_list_tells_its_length_without_reading_its_items() -> None:
    reads: list[int] = []

    def load() -> list[int]:
        reads.append(1)
        return [3, 1, 2]

    deferred = Deferred(3, load)
    assert len(deferred) == 3 and bool(deferred) and not reads
    assert list(deferred) == [3, 1, 2] and deferred[0] == 3 and deferred[-1] == 2
    assert deferred == [3, 1, 2] and 1 in deferred and sorted(deferred) == [1, 2, 3]
    assert reads == [1]  # read once


def test_a_parts_file_is_not_used_for_other_acts_or_another_data_version(data: Path) -> None:
    snapshot.catalog(data)
    earliest = min(a.published for a in load_dataset(data).acts.values())
    assert _shipment(data, earliest) is None  # fewer acts were known that day
    act = next(p for p in sorted((data / "acts").rglob("*.yaml")))
    act.write_text(act.read_text("utf-8").replace("en: ", "en: Amended ", 1), "utf-8")
    os.utime(act, (act.stat().st_mtime + 5, act.stat().st_mtime + 5))
    assert _shipment(data, date.today()) is None  # the files changed: another key
    rebuilt = snapshot.catalog(data)
    again = _shipment(data, date.today())
    assert again is not None and again.version == rebuilt.version


def test_an_unknown_party_is_the_input_error_of_the_whole_catalog(data: Path) -> None:
    snapshot.catalog(data)
    for parties, field in [(("XX", "RU"), "origin"), (("PL", "Atlantis"), "destination")]:
        with pytest.raises(InputError) as raised:
            snapshot.shipment_catalog(data, Shipment(*parties, "0201"), date.today())
        assert raised.value.field == field


def test_a_damaged_parts_file_is_ignored(data: Path, tmp_path: Path) -> None:
    snapshot.catalog(data)
    [stored] = (tmp_path / "cache").glob("*.parts")
    stored.write_bytes(stored.read_bytes()[:500])
    assert _shipment(data, date.today()) is None


def test_check_from_the_parts_prints_what_check_without_snapshots_prints(data: Path, tmp_path: Path) -> None:
    exe = str(Path(sys.executable).with_name("sanctionscope"))
    ask = [exe, "check", "--origin", "PL", "--destination", "RU", "--hs", "0201", "--date", "2014-09-01"]
    ask += ["--json", "--data", str(data)]
    cached = {**os.environ, "SANCTIONSCOPE_CACHE": str(tmp_path / "cli-cache")}
    outputs = []
    for env in (cached, cached, {**os.environ, "SANCTIONSCOPE_CACHE": "off"}):
        done = subprocess.run(ask, capture_output=True, text=True, env=env, check=False)
        assert done.returncode == 0, done.stderr
        outputs.append(json.loads(done.stdout))
    assert list((tmp_path / "cli-cache").glob("*.parts"))
    assert outputs[0] == outputs[1] == outputs[2]
