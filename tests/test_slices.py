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
from datetime import date
from pathlib import Path

import pytest

from sanctionscope import snapshot, snapshot_parts
from sanctionscope.engine import serialise
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.check import check
from sanctionscope.engine.compile import Index
from sanctionscope.engine.coverage import Side
from sanctionscope.engine.slices import COMMON, Part, cites, join, parties_imposers, shell, split
from sanctionscope.errors import InputError
from sanctionscope.load import load_dataset
from sanctionscope.model.acts import ActSpec

MINI = Path(__file__).parent / "fixtures" / "mini"
KNOWN_ON = date(2026, 11, 30)
#: Parties: the imposers with the most measures, the countries they target, a bloc member
#: that left (GB), territories and a subdivision.
PARTIES = ["PL", "DE", "RU", "BY", "JP", "US", "GB", "UA", "NO", "IS", "CN", "KZ", "IR", "CRIMEA", "UA-43"]
CODES = ["0808", "0201", "7208", "8471", "2709", "03", "8542310000"]
DAYS = [date(2014, 8, 10), date(2020, 12, 15), date(2022, 6, 1), date(2025, 6, 1), date(2026, 11, 30)]


def _answers(
    catalog: Catalog, index: Index, origin: str, destination: str, attest: tuple[str, ...] = ()
) -> list[str]:
    found = []
    for code in CODES:
        for day in DAYS:
            q = catalog.question(origin, destination, code, day, KNOWN_ON, attest)
            found.append(json.dumps(serialise.answer(index, check(index, q)), sort_keys=True))
    return found


def _joined(
    catalog: Catalog, parts: dict[str, Part], parties: tuple[str, str], attested: tuple[str, ...] = ()
) -> Index:
    jur = catalog.dataset.jurisdictions
    wanted = parties_imposers(jur, parties, attested) | {COMMON}
    return join(shell(catalog.dataset), KNOWN_ON, [parts[k] for k in sorted(wanted) if k in parts])


@pytest.fixture(scope="module")
def cut(real: Catalog) -> tuple[Index, dict[str, Part]]:
    index = real.index(KNOWN_ON)
    return index, split(index)


@pytest.mark.parametrize("origin", PARTIES)
def test_the_parts_of_two_parties_answer_every_shipment_between_them_as_the_whole(
    real: Catalog, cut: tuple[Index, dict[str, Part]], origin: str
) -> None:
    index, parts = cut
    for destination in PARTIES:
        if destination == origin:
            continue
        joined = _joined(real, parts, (origin, destination))
        assert len(joined.measures) < len(index.measures)
        assert _answers(real, joined, origin, destination) == _answers(real, index, origin, destination)


def test_attested_exceptions_and_licences_of_any_imposer_are_answered_as_by_the_whole(
    real: Catalog, cut: tuple[Index, dict[str, Part]]
) -> None:
    index, parts = cut
    by_imposer: dict[str, str] = {}
    for k, e in index.exceptions_by_id.items():
        by_imposer.setdefault(index.measures[e.measure].spec.imposer, k)
    licences = sorted(real.dataset.licence_ids & set(index.measures))[:3]
    for attested in [*by_imposer.values(), *licences]:
        exc = index.exceptions_by_id.get(attested)
        imposer = index.measures[exc.measure if exc else attested].spec.imposer
        for origin, destination in [("PL", "RU"), ("RU", "JP"), ("US", "CN")]:
            joined = _joined(real, parts, (origin, destination), (imposer,))
            whole = _answers(real, index, origin, destination, (attested,))
            assert _answers(real, joined, origin, destination, (attested,)) == whole


def test_the_side_asked_is_answered_as_by_the_whole(
    real: Catalog, cut: tuple[Index, dict[str, Part]]
) -> None:
    index, parts = cut
    joined = _joined(real, parts, ("PL", "RU"))
    for side in (Side.import_, Side.export):
        for code in CODES:
            q = real.question("PL", "RU", code, date(2023, 3, 1), KNOWN_ON)
            q.side = side
            a, b = check(joined, q), check(index, q)
            assert serialise.answer(joined, a) == serialise.answer(index, b)


def test_every_jurisdiction_binding_a_party_on_some_day_is_among_its_ever_imposers(real: Catalog) -> None:
    jur = real.dataset.jurisdictions
    ids = [*jur.blocs, *jur.territories, *PARTIES, *sorted(jur.iso.countries)]
    for jid in ids:
        ever = jur.ever_imposers(jid)
        for day in [date.min, *jur.change_days()]:
            assert set(jur.imposers(jid, day)) <= ever, (jid, day)


def test_every_measure_is_in_its_imposers_part_in_the_index_order(cut: tuple[Index, dict[str, Part]]) -> None:
    index, parts = cut
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


def test_what_a_record_cites_is_every_measure_or_act_id_it_holds(
    real: Catalog, cut: tuple[Index, dict[str, Part]]
) -> None:
    """Checked against a search of every string of every field, so that a field added to
    the model that names a measure or an act is not left out of the parts."""
    index, _ = cut
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


def _shipment(data: Path, known_on: date) -> Catalog | None:
    return snapshot.shipment_catalog(data, ("PL", "RU"), (), known_on)


def test_a_parts_file_is_written_with_the_snapshot_and_answers_as_the_whole(data: Path) -> None:
    today = date.today()
    assert _shipment(data, today) is None  # nothing compiled yet
    whole = snapshot.catalog(data)
    parts = _shipment(data, today)
    assert isinstance(parts, snapshot_parts.ShipmentCatalog)
    for code, day in [("0201", date(2014, 9, 1)), ("0808", date(2015, 9, 1)), ("0406", date(2016, 1, 1))]:
        a, b = (c.check(c.question("PL", "RU", code, day, today)) for c in (parts, whole))
        assert serialise.answer(parts.index(today), a) == serialise.answer(whole.index(today), b)
    with pytest.raises(LookupError):
        parts.index(date(2015, 1, 1))  # a catalog of parts never compiles


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
            snapshot.shipment_catalog(data, parties, (), date.today())
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
