"""The EU annex importer (sanctionscope.importers.eu_annex) on small synthetic histories."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from sanctionscope.importers import eu_annex as imp
from sanctionscope.model.acts import ActSpec

HEAD = "\t".join(imp.HEADER)


def _act(act_id: str, in_force: str, **extra: Any) -> dict[str, Any]:
    year, number = act_id.split("-")[2:4]
    return {
        "act": {
            "id": act_id,
            "issuer": "EU",
            "authority": "Council of the European Union",
            "kind": "regulation",
            "number": f"{year}/{number}",
            "title": {
                "original": f"Regulation {year}/{number}",
                "en": f"Regulation {year}/{number}",
                "lang": "en",
            },
            "signed": in_force,
            "published": in_force,
            "in_force": in_force,
            "sources": [{"url": "https://eur-lex.europa.eu/"}],
            "summary": "test",
        },
        **extra,
    }


MEASURE = {
    "id": "EU-833-ANNEX-XVII-IRON-STEEL-IMPORT",
    "annex": "XVII",
    "type": "import_ban",
    "title": "Iron and steel",
    "imposer": "EU",
    "targets": [{"jurisdiction": "RU", "scope": "origin"}],
    "start": "2022-03-16",
}


def _folder(root: Path, act_id: str, meta: dict[str, Any], rows: list[str]) -> None:
    path = root / act_id
    path.mkdir(parents=True)
    (path / "act.yaml").write_text(yaml.safe_dump(meta, sort_keys=False))
    (path / "a.tsv").write_text("\n".join([HEAD, *rows]) + "\n")


def _row(annex: str, part: str, op: str, code: str, ex: str = "", wording: str = "w", start: str = "") -> str:
    return "\t".join([annex, part, op, ex, code, wording, start, "Art. 1"])


@pytest.fixture
def history(tmp_path: Path) -> Path:
    root = tmp_path / "EU"
    _folder(
        root,
        "EU-REG-2022-428",
        _act("EU-REG-2022-428", "2022-03-16", measures=[MEASURE]),
        [
            _row("XVII", "", "add", "7208 10 00"),
            _row("XVII", "", "add", "7208 25 00"),
            _row("XVII", "", "add", "7304 11 00", start="2022-06-18"),
        ],
    )
    _folder(
        root,
        "EU-REG-2022-1904",
        _act("EU-REG-2022-1904", "2022-10-07", relabel={"XVII": "XVII/A"}),
        [
            # the list becomes Part A; Part A is replaced as a whole:
            # 7208 25 00 goes, 7209 15 00 comes, 7208 10 00 stays
            _row("XVII", "A", "replace", "7208 10 00"),
            _row("XVII", "A", "replace", "7209 15 00"),
            _row("XVII", "A", "replace", "7304 11 00"),
            _row("XVII", "B", "add", "7206", ex="1", wording="Iron and non-alloy steel in ingots"),
            _row("XVII", "B", "add", "7207 11", start="2024-04-01"),
        ],
    )
    return root


def test_replace_computes_the_difference(history: Path) -> None:
    _, acts = imp.build(history)
    first = acts["EU-REG-2022-428"]
    (measure,) = first["measures"]
    assert [ln["id"] for ln in measure["lines"]] == ["7208 10 00", "7208 25 00"]
    second = acts["EU-REG-2022-1904"]
    ops = [(c["op"], c.get("effective")) for c in second["changes"]]
    # the list became Part A (same lines, same ids); the replaced Part A drops 7208 25 00
    assert ops[0] == ("remove_lines", None)
    assert second["changes"][0]["lines"] == ["7208 25 00"]
    added = [ln["id"] for c in second["changes"] if c["op"] == "add_lines" for ln in c["lines"]]
    assert sorted(added) == ["A/7209 15 00", "B/7207 11", "B/ex 7206"]
    for act in acts.values():
        ActSpec.model_validate(act)


def test_replace_keeps_lines_already_in_the_part(tmp_path: Path) -> None:
    root = tmp_path / "EU"
    _folder(
        root,
        "EU-REG-2022-428",
        _act("EU-REG-2022-428", "2022-03-16", measures=[MEASURE]),
        [_row("XVII", "A", "add", "7208 10 00"), _row("XVII", "A", "add", "7208 25 00")],
    )
    _folder(
        root,
        "EU-REG-2022-576",
        _act("EU-REG-2022-576", "2022-04-09"),
        [_row("XVII", "A", "replace", "7208 10 00"), _row("XVII", "A", "replace", "7219 11 00")],
    )
    _, acts = imp.build(root)
    changes = acts["EU-REG-2022-576"]["changes"]
    assert [(c["op"], [ln if isinstance(ln, str) else ln["id"] for ln in c["lines"]]) for c in changes] == [
        ("remove_lines", ["A/7208 25 00"]),
        ("add_lines", ["A/7219 11 00"]),
    ]


def test_ex_lines_carry_a_description_exception(history: Path) -> None:
    _, acts = imp.build(history)
    lines = [ln for c in acts["EU-REG-2022-1904"]["changes"] if c["op"] == "add_lines" for ln in c["lines"]]
    ex = next(ln for ln in lines if ln["id"] == "B/ex 7206")
    assert ex["annex"] == "XVII" and ex["part"] == "B"
    assert ex["wording"]["en"].startswith("ex Iron and non-alloy steel")
    (exc,) = ex["exceptions"]
    assert exc["id"] == "EU-833-X-EX-XVIIB-7206" and "code" not in exc
    full = next(ln for ln in lines if ln["id"] == "A/7209 15 00")
    assert "exceptions" not in full


def test_later_application_days_become_effective(history: Path) -> None:
    _, acts = imp.build(history)
    first = acts["EU-REG-2022-428"]["changes"]
    assert first[0]["op"] == "add_lines" and first[0]["effective"] == date(2022, 6, 18)
    assert [ln["id"] for ln in first[0]["lines"]] == ["7304 11 00"]
    later = [c for c in acts["EU-REG-2022-1904"]["changes"] if c.get("effective") == date(2024, 4, 1)]
    assert [ln["id"] for c in later for ln in c["lines"]] == ["B/7207 11"]


def test_state_on_a_day_and_diff(history: Path, tmp_path: Path) -> None:
    state, _ = imp.build(history)
    codes = {r.digits for r in imp.lines_on(state, date(2022, 6, 17))}
    assert codes == {"72081000", "72082500"}
    codes = {(r.part, r.digits) for r in imp.lines_on(state, date(2022, 10, 7))}
    assert codes == {("A", "72081000"), ("A", "72091500"), ("A", "73041100"), ("B", "7206")}
    mine = tmp_path / "mine.tsv"
    mine.write_text(imp.rows_tsv(imp.lines_on(state, date(2022, 10, 7))))
    other = tmp_path / "other.tsv"
    other.write_text(
        "annex\tpart\tex\tcn_code\tgroup_or_description\n"
        "XVII\tA\t\t7208 10 00\tx\nXVII\tA\t\t7209 15 00\tx\nXVII\tB\tex\t7206\tx\nXVII\tB\t\t7207 19\tx\n"
    )
    added, removed = imp.diff_lists(imp.read_list(mine), imp.read_list(other))
    assert added == [("XVII", "B", False, "720719")]
    assert removed == [("XVII", "A", False, "730411")]  # significant digits, as the engine reads codes
    assert imp.diff_lists(Counter(), Counter()) == ([], [])


def test_idempotent(history: Path, tmp_path: Path) -> None:
    out = tmp_path / "acts"
    out.mkdir()
    _, acts = imp.build(history)
    assert len(imp.write(acts, out)) == 2
    before = {p.name: p.read_text() for p in out.iterdir()}
    _, again = imp.build(history)
    assert imp.write(again, out, check=True) == []
    assert imp.write(again, out) == []
    assert {p.name: p.read_text() for p in out.iterdir()} == before


def test_errors_name_the_row(tmp_path: Path) -> None:
    root = tmp_path / "EU"
    _folder(
        root,
        "EU-REG-2022-428",
        _act("EU-REG-2022-428", "2022-03-16", measures=[MEASURE]),
        [_row("XVII", "", "add", "7208 10 00"), _row("XVII", "", "remove", "7208 25 00")],
    )
    with pytest.raises(imp.ImportError_, match=r"a\.tsv:3: .*7208 25 00 is not in Annex XVII"):
        imp.build(root)


def test_unknown_annex_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "EU"
    _folder(root, "EU-REG-2022-428", _act("EU-REG-2022-428", "2022-03-16"), [_row("XXI", "A", "add", "2701")])
    with pytest.raises(imp.ImportError_, match="no measure is fed by Annex XXI"):
        imp.build(root)


def test_parts_expand_to_line_ids(history: Path) -> None:
    meta_path = history / "EU-REG-2022-1904" / "act.yaml"
    meta = yaml.safe_load(meta_path.read_text())
    meta["changes"] = [
        {
            "op": "add_exceptions",
            "measure": "EU-833-ANNEX-XVII-IRON-STEEL-IMPORT",
            "parts": ["XVII/A"],
            "except_codes": ["7304 11 00"],
            "exceptions": [{"id": "EU-833-X-T", "wording": {"original": "x", "en": "x"}}],
        }
    ]
    meta_path.write_text(yaml.safe_dump(meta, sort_keys=False))
    _, acts = imp.build(history)
    extra = acts["EU-REG-2022-1904"]["changes"][-1]
    assert extra["lines"] == ["7208 10 00", "A/7209 15 00"] and "parts" not in extra


def test_padded_codes_read_as_headings() -> None:
    row = imp.Row("XVIII", "", "add", True, "6101 00 00", "x", None, "", "t")
    assert imp.line_code(row) == "6101"
    assert imp.line_code(imp.Row("XVIII", "", "add", True, "9700", "x", None, "", "t")) == "97"
    assert imp.line_code(imp.Row("XVIII", "", "add", True, "2203 00 00", "x", None, "", "t")) == "22030000"


def test_the_repository_transcriptions_are_built() -> None:
    """The act files in data/acts/EU of the packages of 2022-2023 (up to the tenth) are what
    the importer makes of the transcriptions."""
    _, acts = imp.build()
    mine = {k: a for k, a in acts.items() if date.fromisoformat(str(a["in_force"])) <= date(2023, 4, 27)}
    assert len(mine) >= 9
    assert imp.write(mine, check=True) == []


def test_flags_never_decide_but_are_shown(tmp_path: Path) -> None:
    """A line's flags (EU-CHP: Common High Priority item, Annex XL) are shown in the answer's
    line and legal chain; they never change the verdict."""
    import shutil

    from sanctionscope.engine import serialise
    from sanctionscope.engine.catalog import Catalog
    from sanctionscope.load import load_dataset

    root = tmp_path / "data"
    shutil.copytree(Path(__file__).parent / "fixtures" / "mini", root)
    (root / "acts" / "EU").mkdir()
    (root / "acts" / "EU" / "EU-TEST-9-2020.yaml").write_text(
        """id: EU-TEST-9-2020
issuer: EU
authority: Test
kind: regulation
title: {original: "Test", lang: en, en: "Test"}
signed: 2020-03-01
published: 2020-03-01
in_force: 2020-03-01
sources: [{url: "https://example.org/t9"}]
summary: A flagged line.
measures:
  - id: TEST-EU-EXPORT-BAN
    type: export_ban
    title: Test export ban
    imposer: EU
    targets: [{jurisdiction: RU}]
    start: 2020-03-01
    product_scope: lines
    lines:
      - {id: "A/8542 31", code: "8542 31", annex: XL, part: A, flags: [EU-CHP],
         wording: {original: "Processors", en: "Processors"}}
"""
    )
    catalog = Catalog(load_dataset(root, check=False))
    answer = catalog.check(
        catalog.question("DE", "RU", "8542310000", date(2020, 6, 1), as_known_on=date(2020, 6, 1))
    )
    assert answer.verdict.value == "BANNED"  # the ban decides; the flag only labels the line
    doc = serialise.answer(catalog.index(date(2020, 6, 1)), answer)
    evaluation = next(e for e in doc["measures"] if e["id"] == "TEST-EU-EXPORT-BAN")
    assert evaluation["line"]["flags"] == ["EU-CHP"]
    assert evaluation["line"]["annex"] == "XL" and evaluation["line"]["part"] == "A"
    assert any(link.get("flags") == ["EU-CHP"] for link in evaluation["chain"])


def test_line_flags_are_written_on_every_line_of_the_measure(tmp_path: Path) -> None:
    """``line_flags`` on a measure spec (Annex XL: EU-CHP) gives every line the measure holds
    those flags: the lines it starts with and those later acts add; other measures get none."""
    root = tmp_path / "EU"
    chpl = {
        "id": "EU-833-ANNEX-XL-CHPL",
        "annex": "XL",
        "line_flags": ["EU-CHP"],
        "type": "other",
        "title": "Common High Priority items",
        "imposer": "EU",
        "targets": [{"jurisdiction": "RU", "scope": "country"}],
        "start": "2023-12-19",
    }
    _folder(
        root,
        "EU-REG-2023-2878",
        _act("EU-REG-2023-2878", "2023-12-19", measures=[chpl, MEASURE]),
        [_row("XL", "", "add", "8542 31"), _row("XVII", "", "add", "7208 10 00")],
    )
    _folder(
        root,
        "EU-REG-2024-1745",
        _act("EU-REG-2024-1745", "2024-06-25"),
        [_row("XL", "", "replace", "8542 31"), _row("XL", "", "replace", "8457 10")],
    )
    _, acts = imp.build(root)
    created = acts["EU-REG-2023-2878"]["measures"]
    assert "line_flags" not in created[0]
    assert created[0]["lines"][0]["flags"] == ["EU-CHP"]
    assert "flags" not in created[1]["lines"][0]
    (added,) = acts["EU-REG-2024-1745"]["changes"]
    assert added["op"] == "add_lines" and added["lines"][0]["flags"] == ["EU-CHP"]
    ActSpec.model_validate(acts["EU-REG-2024-1745"])
