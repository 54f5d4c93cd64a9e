"""The compiled snapshot: built once, reused while the data files are the same, never
used for another data set version, and never trusted when damaged."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from sanctionscope import snapshot
from sanctionscope.engine.catalog import Catalog
from sanctionscope.load import load_dataset

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture()
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the mini data set, with a cache folder of its own."""
    monkeypatch.setenv("SANCTIONSCOPE_CACHE", str(tmp_path / "cache"))
    return Path(shutil.copytree(MINI, tmp_path / "data"))


def _snapshots(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").glob("*.pickle"))


def _touch_act(data: Path, old: str, new: str) -> None:
    """Edit an act file so that the facts (hence the dataset version) change."""
    path = next(p for p in sorted((data / "acts").rglob("*.yaml")) if old in p.read_text("utf-8"))
    path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")
    stamp = time.time() + 5  # a new modification time even on coarse file systems
    os.utime(path, (stamp, stamp))


def test_first_use_builds_and_stores_then_later_uses_read_it(data: Path, tmp_path: Path) -> None:
    assert snapshot.read(data) is None
    built = snapshot.catalog(data)
    assert len(_snapshots(tmp_path)) == 1
    again = snapshot.read(data)
    assert again is not None and again is not built
    assert again.version == built.version == Catalog(load_dataset(data)).version


def test_the_snapshot_answers_as_the_freshly_loaded_data(data: Path) -> None:
    snapshot.catalog(data)
    stored, fresh = snapshot.read(data), Catalog(load_dataset(data))
    assert stored is not None
    for origin, code, day in [("PL", "0201", date(2014, 9, 1)), ("JP", "0201", date(2014, 9, 1))]:
        q = fresh.question(origin, "RU", code, day, date(2026, 1, 1))
        a, b = stored.check(q), fresh.check(q)
        assert (a.verdict, a.reason, a.explanation) == (b.verdict, b.reason, b.explanation)


def test_a_changed_data_file_gives_a_new_snapshot_for_the_new_version(data: Path, tmp_path: Path) -> None:
    before = snapshot.catalog(data).version
    _touch_act(data, "title:", "title: ")  # formatting only: same facts, same version
    same = snapshot.catalog(data)
    assert same.version == before
    _touch_act(data, "en: ", "en: Amended ")
    after = snapshot.catalog(data)
    assert after.version != before
    assert after.version == Catalog(load_dataset(data)).version
    # the snapshot of the old files is never read for the new ones
    reread = snapshot.read(data)
    assert reread is not None and reread.version == after.version


def test_a_snapshot_stored_under_another_key_is_refused(data: Path, tmp_path: Path) -> None:
    snapshot.catalog(data)
    [old] = _snapshots(tmp_path)
    _touch_act(data, "en: ", "en: Amended ")
    # a stale snapshot put where the new key's file would be: its stored key differs
    new_file = old.with_name(old.name.split("-", 1)[0] + "-" + snapshot.snapshot_key(data) + ".pickle")
    shutil.copy(old, new_file)
    assert snapshot.read(data) is None
    assert snapshot.catalog(data).version == Catalog(load_dataset(data)).version


def test_a_damaged_snapshot_is_rebuilt(data: Path, tmp_path: Path) -> None:
    snapshot.catalog(data)
    [stored] = _snapshots(tmp_path)
    stored.write_bytes(stored.read_bytes()[:1000])
    assert snapshot.read(data) is None
    assert snapshot.catalog(data).version == Catalog(load_dataset(data)).version
    assert snapshot.read(data) is not None


def test_snapshots_can_be_switched_off(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANCTIONSCOPE_CACHE", "off")
    snapshot.catalog(data)
    assert not (tmp_path / "cache").exists()


def test_old_snapshots_of_a_folder_are_pruned(data: Path, tmp_path: Path) -> None:
    for i in range(4):
        _touch_act(data, "en: ", f"en: v{i} ")
        snapshot.catalog(data)
    assert len(_snapshots(tmp_path)) <= 2


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("sanctionscope")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, check=False)


def test_validate_rebuilds_the_snapshot_and_check_reads_it(data: Path, tmp_path: Path) -> None:
    env = {**os.environ, "SANCTIONSCOPE_CACHE": str(tmp_path / "cache")}
    done = _cli("validate", str(data), env=env)
    assert done.returncode == 0, done.stderr
    assert len(_snapshots(tmp_path)) == 1
    ask = ["check", "--origin", "PL", "--destination", "RU", "--hs", "0201", "--date", "2014-09-01"]
    done = _cli(*ask, "--json", "--data", str(data), env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["dataset_version"] == Catalog(load_dataset(data)).version


HEAVY = ["fastapi", "starlette", "uvicorn", "matplotlib", "weasyprint", "duckdb", "networkx", "numpy"]


def test_check_imports_no_web_research_or_batch_library(tmp_path: Path) -> None:
    """`check` answers from the snapshot: it imports neither the web stack, the research
    stack, DuckDB nor numpy (the batch kernel's)."""
    code = (
        "import sys\n"
        "from sanctionscope.cli import main\n"
        "sys.argv = ['sanctionscope', 'check', '--origin', 'PL', '--destination', 'RU',"
        " '--hs', '0201', '--date', '2014-09-01', '--json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
    )
    env = {**os.environ, "SANCTIONSCOPE_CACHE": str(tmp_path / "cache")}
    for _ in range(2):  # the first run builds the snapshot, the second reads it
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr


def test_screen_leaves_pandas_unimported(data: Path, tmp_path: Path) -> None:
    """pyarrow imports pandas, when installed, on its first conversion (0.2 s); the
    embedded screen has no use for it, and still answers every row."""
    ships = tmp_path / "ships.csv"
    ships.write_text("origin,destination,hs_code,date\nPL,RU,080810,2014-09-01\n", "utf-8")
    out = tmp_path / "out.csv"
    code = (
        "import sys\n"
        "from sanctionscope.cli import main\n"
        f"sys.argv = ['sanctionscope', 'screen', {str(ships)!r}, '-o', {str(out)!r},"
        f" '--data', {str(data)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('pandas' in sys.modules, file=sys.stderr)\n"
    )
    env = {**os.environ, "SANCTIONSCOPE_CACHE": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "False", done.stderr
    lines = out.read_text("utf-8").splitlines()
    assert len(lines) == 2 and '"ALLOWED","TEST-BAN"' in lines[1]  # the test data's ban starts later


def test_a_catalog_keeps_a_bounded_number_of_kernels() -> None:
    catalog = Catalog(load_dataset(MINI))
    for grace in range(6):
        catalog.kernel(date(2026, 1, 1), grace)
    assert len(catalog._kernels) <= 4
    # the newest is kept and answers
    assert catalog.kernel(date(2026, 1, 1), 5) is catalog.kernel(date(2026, 1, 1), 5)


def test_compile_stores_the_kernel_apart_and_only_a_screen_loads_it(data: Path, tmp_path: Path) -> None:
    env = {**os.environ, "SANCTIONSCOPE_CACHE": str(tmp_path / "cache")}
    done = _cli("validate", str(data), env=env)
    assert done.returncode == 0, done.stderr
    assert not list((tmp_path / "cache").glob("*.kernels"))  # validate compiles no kernel
    done = _cli("compile", str(data), env=env)
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "cache").glob("*.pickle.kernels"))) == 1
    stored = snapshot.read(data.resolve())
    assert stored is not None and stored._kernels == {}  # a check does not load the kernels
    kernel = stored.kernel(date.today())  # a screen does: the compiled one, not built again
    assert not kernel.lazy and not stored.grown
    # what the kernel shares with the catalog is the catalog's own, not a second copy
    assert kernel.index is stored.index(date.today())
    assert kernel.index.dataset is stored.dataset
    fresh = Catalog(load_dataset(data))
    q = fresh.question("PL", "RU", "0201", date(2014, 9, 1), date.today())
    assert stored.check(q).verdict == fresh.check(q).verdict


def test_a_kernel_built_eagerly_answers_as_the_lazy_one() -> None:
    from sanctionscope.engine import kernel as kernel_module

    catalog = Catalog(load_dataset(MINI))
    day = date(2026, 1, 1)
    saved, kernel_module.EAGER_CELLS = kernel_module.EAGER_CELLS, 0  # every kernel lazy
    try:
        lazy = Catalog(load_dataset(MINI)).kernel(day)
    finally:
        kernel_module.EAGER_CELLS = saved
    eager = catalog.kernel(day, eager=True)
    assert lazy.lazy and not eager.lazy
    lazy.ensure(np.array([lazy.origin_key("PL")], np.int32), np.array([lazy.destination_key("RU")], np.int32))
    # stored and loaded as a screen leaves it (its answers rebuilt from its rows), it
    # answers alike and goes on building the pairs it meets
    lazy = pickle.loads(pickle.dumps(lazy, protocol=5))
    table = lazy._table
    assert lazy.lazy and len(table.answers) == len(lazy._rows) * table.stride
    codes = ["0201", "080810", "070110", "8471"]
    for origin in ("PL", "JP", "US"):
        for code in codes:
            for when in (date(2014, 9, 1), date(2016, 1, 1)):
                got = []
                for k in (lazy, eager):
                    o, d = k.origin_key(origin), k.destination_key("RU")
                    k.ensure(np.array([o], np.int32), np.array([d], np.int32))
                    days = k.day_keys(np.array([(when - date(1970, 1, 1)).days], np.int32))
                    places = np.array([o + d], np.int32)
                    found = int(k.run(days, places, np.array([k.code_key(code)], np.int32))[0])
                    assert found >= 0  # answered by the kernel, not left to check
                    got.append(k.outcomes[found])
                assert got[0] == got[1], (origin, code, when)


def test_a_kernels_file_is_read_only_with_the_snapshot_written_with_it(data: Path, tmp_path: Path) -> None:
    catalog = snapshot.build(data.resolve(), kernel_on=date.today())
    stored = next((tmp_path / "cache").glob("*.pickle.kernels"))
    kept = stored.read_bytes()
    # the snapshot written again (a new seal) by a process that built no kernel: the old
    # kernels are carried over with the new seal, never left beside it unsealed
    again = snapshot.read(data.resolve())
    assert again is not None
    again.grown = True
    snapshot.remember(data, again)
    assert stored.is_file() and stored.read_bytes() != kept
    assert snapshot.read(data.resolve()).kernels()  # type: ignore[union-attr]
    # a kernels file from another snapshot of the same data is refused: compiled again
    stored.write_bytes(kept)
    fresh = snapshot.read(data.resolve())
    assert fresh is not None and fresh.kernels() == {}
    assert catalog.kernels()


def test_specs_come_back_from_a_snapshot_as_they_were_validated() -> None:
    """Specs are pickled compactly (their values and the names of the fields set): what
    comes back is equal, frozen, and knows which fields the data file wrote."""
    from pydantic import ValidationError

    acts = load_dataset(MINI).acts
    back = pickle.loads(pickle.dumps(acts, protocol=5))
    assert back == acts
    for act_id, act in acts.items():
        assert back[act_id].model_fields_set == act.model_fields_set
        for spec, again in zip(act.measures, back[act_id].measures, strict=True):
            assert again.model_fields_set == spec.model_fields_set
            assert again.model_dump(exclude_unset=True) == spec.model_dump(exclude_unset=True)
    some = next(iter(back.values()))
    with pytest.raises(ValidationError):
        some.id = "changed"  # type: ignore[misc]
