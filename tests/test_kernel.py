"""The batch kernel answers exactly as ``check`` does, row for row, on the real data and on
the synthetic fixture; and the classes it relies on (epochs, code classes) are exact."""

from __future__ import annotations

import importlib.util
import random
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctionscope.codes import significant
from sanctionscope.encode import Encoder
from sanctionscope.engine import kernel as kernel_module
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.classes import CodeClasses, Epochs, day_number
from sanctionscope.engine.goods_risk import risk_target, target_includes
from sanctionscope.engine.kernel import ASK, Kernel, Outcome
from sanctionscope.load import DEFAULT_DATA, load_dataset
from sanctionscope.model.jurisdictions import Inclusion
from tests.conftest import MINI

REAL = Catalog(load_dataset(DEFAULT_DATA))
MINI_CATALOG = Catalog(load_dataset(MINI))
TODAY = date(2026, 11, 30)
# every kind of place: targets, spared, bloc members leaving (GB), territories by name and
# by ISO 3166-2, subdivisions of targets and of imposers, blocs, countries nobody names
PLACES = [
    *("PL", "DE", "FR", "GB", "JP", "US", "NO", "CH", "IS", "TR", "NZ", "AU", "CA", "UA", "AL", "ME", "LI"),
    *("BY", "CN", "KZ", "RU", "AD", "BR", "CRIMEA", "UA-43", "UA-40", "PL-14", "RU-MOW", "EU", "HR", "RO"),
]
CODES = sorted(
    {c for c in REAL.dataset.nomenclature.codes["HS2012"] if c[:2] < "25"}
    | {line.code for m in REAL.index(TODAY).trade_measures() for line in m.lines if len(line.code) >= 2}
)


def _kernel_answers(catalog: Catalog, known: date, rows: list[tuple[str, str, str, date]]) -> list[Outcome]:
    """Through the catalog's kernel (built for every pair or lazily, by its size)."""
    return _run(catalog.kernel(known), catalog, known, rows)


def _run(
    kernel: Kernel, catalog: Catalog, known: date, rows: list[tuple[str, str, str, date]]
) -> list[Outcome]:
    # codes of 3, 5 or 7 digits are read zero-padded (as the screen does on request)
    q = [catalog.question(o, d, c, day, known, restore_leading_zeros=True) for o, d, c, day in rows]
    origins = np.array([kernel.origin_key(x.origin) for x in q], np.int32)
    dests = np.array([kernel.destination_key(x.destination) for x in q], np.int32)
    kernel.ensure(origins, dests)  # a lazy kernel builds the pairs' situations
    ids = kernel.run(
        np.array([kernel.day_key(x.day) for x in q], np.int32),
        origins + dests,
        np.array([kernel.code_key(x.code) for x in q], np.int32),
    )
    assert (ids != ASK).all()
    found = [kernel.outcomes[i] for i in ids]
    counted = kernel.verdict_counts(ids)
    assert counted == {v: n for v in {o.verdict for o in found} if (n := [o.verdict for o in found].count(v))}
    return found


def _check_answers(catalog: Catalog, known: date, rows: list[tuple[str, str, str, date]]) -> list[Outcome]:
    asked = [catalog.question(o, d, c, day, known, restore_leading_zeros=True) for o, d, c, day in rows]
    return [Outcome.of(catalog.check(q)) for q in asked]


codes = st.one_of(
    st.sampled_from(CODES),
    st.builds(
        lambda c, t: (c + t)[:10], st.sampled_from(CODES), st.text("0123456789", min_size=1, max_size=6)
    ),
    st.text("0123456789", min_size=2, max_size=10),
)
rows = st.lists(
    st.tuples(
        st.sampled_from(PLACES),
        st.one_of(st.just("RU"), st.sampled_from(PLACES)),
        codes,
        st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(rows, st.dates(min_value=date(2014, 1, 1), max_value=TODAY))
def test_kernel_equals_check_on_the_real_data(batch: list[tuple[str, str, str, date]], known: date) -> None:
    assert _kernel_answers(REAL, known, batch) == _check_answers(REAL, known, batch)


@settings(max_examples=80, deadline=None)
@given(rows)
def test_kernel_equals_check_on_the_synthetic_rules(batch: list[tuple[str, str, str, date]]) -> None:
    assert _kernel_answers(MINI_CATALOG, TODAY, batch) == _check_answers(MINI_CATALOG, TODAY, batch)


@pytest.mark.parametrize(
    "row",
    [
        # Regulation 833/2014's Annex XXIII export measure targets Russia, not Belarus, but
        # it lists CN 2710 19 (Regulation 2022/2474, until Regulation 2023/1214): of the
        # measures that leave Belarus out, it is the one that explains the answer, not an
        # earlier one that merely lists other codes of the chapter
        ("AT", "BY", "271019", date(2023, 1, 17)),
        ("AT", "BY", "271019", date(2023, 2, 1)),
        ("AT", "BY", "272", date(2023, 1, 1)),
    ],
)
def test_kernel_names_the_measure_check_names_among_those_leaving_the_partner_out(
    row: tuple[str, str, str, date],
) -> None:
    """Measures in force whose targets never include the partner only explain an answer;
    of those that come equally close, check names the first, and so must the kernel
    (whose answers are shared by every cell of the same signature, built epoch by epoch)."""
    kernel = Kernel(REAL.index(TODAY))
    assert _run(kernel, REAL, TODAY, [row]) == _check_answers(REAL, TODAY, [row])


def test_kernel_equals_check_on_twenty_thousand_shipments_to_russia() -> None:
    rnd = random.Random(7)
    batch = [
        (
            rnd.choice(PLACES),
            rnd.choice(["RU", "RU", "RU", "PL", "US", "BY"]),
            rnd.choice(CODES),
            date(2013, 1, 1) + timedelta(days=rnd.randrange(14 * 366)),
        )
        for _ in range(20_000)
    ]
    kernel, checked = _kernel_answers(REAL, TODAY, batch), _check_answers(REAL, TODAY, batch)
    assert kernel == checked
    assert {o.verdict for o in kernel} == {
        "BANNED",
        "ALLOWED",
        "UNDETERMINED",
        "NOT_COVERED",
        "LICENCE_REQUIRED",
    }


@settings(max_examples=200, deadline=None)
@given(st.lists(st.dates(), min_size=1, max_size=20), st.lists(st.dates(), min_size=1, max_size=50))
def test_day_numbers_and_days_fall_in_the_same_epoch(cuts: list[date], days: list[date]) -> None:
    epochs = Epochs(cuts)
    by_day = [epochs.of(d) for d in days]
    assert all(epochs.of(epochs.day(e)) == e for e in set(by_day) if epochs.day(e) > date.min)
    kernel = REAL.kernel(TODAY)
    numbers = np.array([day_number(d) for d in days], np.int32)
    assert kernel.day_keys(numbers).tolist() == [kernel.day_key(d) for d in days]


written = st.lists(st.text("0123456789", min_size=1, max_size=8).map(significant), max_size=15)


@settings(max_examples=300, deadline=None)
@given(written, st.lists(st.text("0123456789", min_size=2, max_size=10), min_size=2, max_size=30))
def test_codes_in_one_class_see_the_same_written_codes(keys: list[str], asked: list[str]) -> None:
    classes = CodeClasses(keys)

    def seen(code: str) -> tuple[frozenset[str], frozenset[str]]:
        k = significant(code)
        return frozenset(x for x in keys if k.startswith(x)), frozenset(x for x in keys if x.startswith(k))

    by_class: dict[int, set[tuple[frozenset[str], frozenset[str]]]] = {}
    for code in asked:
        by_class.setdefault(classes.classify(code), set()).add(seen(code))
    assert all(len(v) == 1 for v in by_class.values())
    for cls, example in enumerate(classes.examples):
        if example is not None:
            assert classes.classify(example) == cls


@settings(max_examples=300, deadline=None)
@given(written, st.lists(st.text("0123456789", max_size=12).map(significant), max_size=30))
def test_codes_classified_at_once_get_the_class_of_one_by_one(keys: list[str], asked: list[str]) -> None:
    classes = CodeClasses(keys)
    asked += [significant(p) for p in classes.ordered]  # the prefixes themselves
    many = classes.classify_many(np.array(asked, np.bytes_)) if asked else np.zeros(0, np.int32)
    assert many.tolist() == [classes.classify(code) for code in asked]


@pytest.mark.parametrize("known", [date(2014, 8, 8), date(2016, 6, 30), TODAY])
def test_outcomes_stay_few(known: date) -> None:
    kernel = Kernel(REAL.index(known))
    assert len(kernel.outcomes) < 1_000  # the tables stay small: a few hundred answers


weird = st.text(st.sampled_from("0123456789 .\u00a0\u2009\t,-a٣"), max_size=14)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(CODES), codes, weird), min_size=1, max_size=40), st.booleans())
def test_codes_decoded_in_bulk_get_the_keys_of_one_by_one(values: list[str], restore: bool) -> None:
    encoder = Encoder(REAL, REAL.kernel(TODAY), restore)
    bulk = encoder._code_keys(pa.array(values, pa.string()))
    assert bulk.tolist() == [encoder._code(v) for v in values]


# -- a rule set ten times the size of the real one: bench/synthetic.py at 10^3 lines -----
BENCH = Path(__file__).resolve().parents[1] / "bench"


def _bench_module(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


SYNTHETIC = _bench_module("synthetic")
#: the real parties, the synthetic imposers and their targets (countries, a territory)
SYNTHETIC_PLACES = sorted(
    {*PLACES, *SYNTHETIC.IMPOSERS, *(t for t in SYNTHETIC.TARGETS if len(t) == 2 or t == "CRIMEA")}
)


@pytest.fixture(scope="module")
def thousand_lines(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    folder = tmp_path_factory.mktemp("synthetic") / "lines-1000"
    SYNTHETIC.build(1000, folder)
    return Catalog(load_dataset(folder))


def _synthetic_codes(catalog: Catalog) -> list[str]:
    written = {line.code for m in catalog.index(TODAY).trade_measures() for line in m.lines}
    return sorted({c for c in written if len(c) >= 2} | set(CODES))


synthetic_rows = st.lists(
    st.tuples(
        st.sampled_from(SYNTHETIC_PLACES),
        st.sampled_from(SYNTHETIC_PLACES),
        st.integers(min_value=0, max_value=10**9),
        st.text("0123456789", max_size=4),
        st.dates(min_value=date(2012, 1, 1), max_value=date(2029, 12, 31)),
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=40, deadline=None)
@given(synthetic_rows)
def test_kernel_equals_check_at_a_thousand_synthetic_lines(
    thousand_lines: Catalog, batch: list[tuple[str, str, int, str, date]]
) -> None:
    codes = _synthetic_codes(thousand_lines)
    rows = [(o, d, (codes[n % len(codes)] + tail)[:10], day) for o, d, n, tail, day in batch]
    assert _kernel_answers(thousand_lines, TODAY, rows) == _check_answers(thousand_lines, TODAY, rows)


def test_kernel_equals_check_on_five_thousand_synthetic_shipments(thousand_lines: Catalog) -> None:
    rnd, codes = random.Random(15), _synthetic_codes(thousand_lines)
    batch = [
        (
            rnd.choice(SYNTHETIC_PLACES),
            rnd.choice(SYNTHETIC_PLACES),
            (rnd.choice(codes) + rnd.choice(["", "", "1", "0100", "99"]))[:10],
            date(2013, 1, 1) + timedelta(days=rnd.randrange(14 * 366)),
        )
        for _ in range(5_000)
    ]
    kernel = _kernel_answers(thousand_lines, TODAY, batch)
    assert kernel == _check_answers(thousand_lines, TODAY, batch)
    assert {"BANNED", "ALLOWED", "NOT_COVERED"} <= {o.verdict for o in kernel}


@pytest.fixture(scope="module")
def thousand_lines_lazy(thousand_lines: Catalog) -> Kernel:
    """A kernel over the same rules that builds situations only for the pairs asked."""
    eager = kernel_module.EAGER_CELLS
    kernel_module.EAGER_CELLS = 0
    try:
        kernel = Kernel(thousand_lines.index(TODAY), as_known_on=TODAY)
    finally:
        kernel_module.EAGER_CELLS = eager
    assert kernel.lazy and not kernel._built.any()
    return kernel


def test_a_lazy_kernel_builds_only_the_pairs_asked_and_answers_as_check(
    thousand_lines: Catalog, thousand_lines_lazy: Kernel
) -> None:
    rnd, codes = random.Random(11), _synthetic_codes(thousand_lines)
    unbuilt = [("CN", "TR", "080810", date(2020, 1, 1))]
    assert _run(thousand_lines_lazy, thousand_lines, TODAY, unbuilt) == _check_answers(
        thousand_lines, TODAY, unbuilt
    )
    parties = rnd.sample(SYNTHETIC_PLACES, 8)
    batch = [
        (
            rnd.choice(parties),
            rnd.choice(parties),
            (rnd.choice(codes) + rnd.choice(["", "1", "0100"]))[:10],
            date(2013, 1, 1) + timedelta(days=rnd.randrange(14 * 366)),
        )
        for _ in range(3_000)
    ]
    assert _run(thousand_lines_lazy, thousand_lines, TODAY, batch) == _check_answers(
        thousand_lines, TODAY, batch
    )
    built = thousand_lines_lazy._built
    assert 0 < built.sum() < built.size  # only the pairs met (and the first row's)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=0, max_size=300))
def test_verdicts_are_counted_alike_for_compiled_outcomes_and_those_met_later(picks: list[int]) -> None:
    """Attested rows bring outcomes the tables did not hold; they count with the rest."""
    kernel = Kernel(MINI_CATALOG.index(TODAY), eager=True)
    late = [
        kernel.outcome_id(Outcome(verdict, f"attested-{verdict}", "", "attested_exception", "", "", ""))
        for verdict in ("ALLOWED", "BANNED")
    ]
    known = list(range(len(kernel.outcomes) - len(late))) + late
    ids = np.array([known[p % len(known)] for p in picks], np.int32)
    expected: dict[str, int] = {}
    for i in ids.tolist():
        expected[kernel.outcomes[i].verdict] = expected.get(kernel.outcomes[i].verdict, 0) + 1
    assert kernel.verdict_counts(ids) == expected


def _grid_question(key: tuple[Any, ...], targets: list[Any]) -> Any:
    """The question a Places grid of ``key`` asks of each place and day (None: not one
    this test rebuilds)."""
    jur = REAL.dataset.jurisdictions
    kind, name = key[0], key[1]
    code = {Inclusion.no: 0, Inclusion.unclear: 1, Inclusion.yes: 2}
    target = next((t for t in targets if key[1:3] == (t.jurisdiction, t.excluding)), None)
    if kind == "bound":
        return lambda j, day: jur.bound_by(name, j, day)
    if kind == "named":
        return lambda j, day: jur.includes(name, j, day) == Inclusion.yes
    if kind == "includes" and target is not None:
        return lambda j, day: code[target_includes(jur, target, j, day)]
    if kind == "risk" and target is not None and target.scope == key[3]:
        return lambda j, day: risk_target(jur, target, j, day)
    return None


def test_place_grids_asked_once_per_place_equal_those_asked_per_membership_span() -> None:
    """A target, imposer or partner that is a country, subdivision or territory includes
    the same places on every day, so its grid is asked once per place (a bloc's or list's
    once per membership span); asked again per span, every grid the kernel built is the
    same."""
    places = REAL.kernel(TODAY)._places
    targets = [t for m in REAL.index(TODAY).measures.values() for t in m.targets]
    rebuilt = 0
    for key, grid in list(places._memo.items()):
        if key[0] not in {"bound", "named", "includes", "risk"}:
            continue
        question = _grid_question(key, targets)
        if question is not None:
            assert np.array_equal(np.asarray(grid, np.int8), places._grid(question)), key
            rebuilt += 1
    assert rebuilt > 50
