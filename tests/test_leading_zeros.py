"""Codes as users type them (design.md): a code of 3, 5 or 7 digits has lost a leading zero.

Every interface refuses it, naming the field and — when the nomenclature has the
zero-padded code — the likely intended code; on request the zero is restored and the
answer (or the screen's output) says so. Even-length codes and 9-digit national codes
are taken as written, and the data's own codes are validated as data.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctionscope.codes import LOST_ZERO, LeadingZeroLost, normalise_code, user_code
from sanctionscope.encode import Encoder
from sanctionscope.engine.catalog import Catalog
from sanctionscope.errors import InputError
from sanctionscope.load import DEFAULT_DATA, load_dataset
from sanctionscope.screen import RESTORED, Screening, parse_mapping, screen_file
from sanctionscope.web.app import create_app

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

REAL = Catalog(load_dataset(DEFAULT_DATA))
KNOWS = REAL.knows_code
TODAY = date(2026, 11, 30)
EXE = shutil.which("sanctionscope") or str(Path(sys.executable).with_name("sanctionscope"))
APPLES = ("PL", "RU", "2014-08-10")  # Polish apples in Russia, 10 August 2014: BANNED
RESTORED_NOTE = "Code 80810 was read as 0808 10: a leading zero was restored on request."

# -- codes.user_code ---------------------------------------------------------------------
#: codes with a leading zero that the nomenclature has (HS heading and subheading level),
#: and 8-digit national codes below them
PADDED = sorted(c for e in REAL.dataset.nomenclature.codes.values() for c in e if c[0] == "0" and len(c) > 2)
with_zero = st.one_of(
    st.sampled_from(PADDED),
    st.builds(
        lambda c, t: c + t,
        st.sampled_from([c for c in PADDED if len(c) == 6]),
        st.text("0123456789", min_size=2, max_size=2),
    ),
)


@pytest.mark.parametrize(
    ("raw", "suggestion"),
    [
        ("80810", "080810"),
        ("808", "0808"),
        ("8081010", "08081010"),
        ("808 10", "080810"),
        ("808.10", "080810"),
        (" 703 10 ", "070310"),
    ],
)
def test_a_lost_zero_is_refused_naming_field_value_and_likely_code(raw: str, suggestion: str) -> None:
    with pytest.raises(LeadingZeroLost) as err:
        user_code(raw, "hs", KNOWS)
    assert isinstance(err.value, InputError)  # every interface already answers these
    assert (err.value.field, err.value.value, err.value.code) == ("hs", raw, "leading_zero_lost")
    assert err.value.suggestion == suggestion
    assert str(err.value).startswith(f"hs: {raw!r} has ")
    assert str(err.value).endswith(f"did you mean {suggestion}?")


@pytest.mark.parametrize("raw", ["99999", "999", "9999999", "10099"])
def test_no_code_is_suggested_that_the_nomenclature_lacks(raw: str) -> None:
    with pytest.raises(LeadingZeroLost) as err:
        user_code(raw, "hs_code", KNOWS)
    assert err.value.suggestion is None
    assert "a leading zero was probably lost" in err.value.reason
    assert "did you mean" not in err.value.reason


@pytest.mark.parametrize("restore", [False, True])
@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("08", "08"),
        ("0808", "0808"),
        ("080810", "080810"),
        ("0808 10 10", "08081010"),
        ("0703101100", "0703101100"),
        ("070200000", "070200000"),  # TN VED 0702 00 000: 9 digits, as written
        ("0702 00 000", "070200000"),
        ("123456789", "123456789"),
    ],
)
def test_even_and_nine_digit_codes_are_taken_as_written(raw: str, code: str, restore: bool) -> None:
    assert user_code(raw, "hs", KNOWS, restore) == (code, None)


@pytest.mark.parametrize(
    ("raw", "code"), [("80810", "080810"), ("808 10", "080810"), ("808", "0808"), ("99999", "099999")]
)
def test_restoring_pads_the_code_and_keeps_it_as_written(raw: str, code: str) -> None:
    assert user_code(raw, "hs", KNOWS, restore=True) == (code, raw.strip())


@pytest.mark.parametrize("restore", [False, True])
@pytest.mark.parametrize("raw", ["8", "", "08081011001", "80a10", "808-10"])
def test_other_bad_codes_keep_their_own_errors(raw: str, restore: bool) -> None:
    with pytest.raises(InputError) as err:
        user_code(raw, "hs", KNOWS, restore)
    assert not isinstance(err.value, LeadingZeroLost) and err.value.code is None


@pytest.mark.parametrize("raw", ["80810", "808", "8081010"])
def test_the_data_codes_are_validated_as_data(raw: str) -> None:
    assert normalise_code(raw, "code") == raw  # acts.py: data codes are not user input


@settings(max_examples=300, deadline=None)
@given(with_zero)
def test_stripping_the_zero_of_a_known_code_suggests_it_and_restoring_gives_it_back(code: str) -> None:
    stripped = code[1:]
    assert len(stripped) in LOST_ZERO
    with pytest.raises(LeadingZeroLost) as err:
        user_code(stripped, "hs", KNOWS)
    assert err.value.suggestion == code
    assert user_code(stripped, "hs", KNOWS, restore=True) == (code, stripped)
    assert user_code(code, "hs", KNOWS) == (code, None)


@given(st.text("0123456789", min_size=9, max_size=9), st.booleans())
def test_nine_digit_codes_are_accepted_as_written(code: str, restore: bool) -> None:
    assert user_code(code, "hs", KNOWS, restore) == (code, None)


@given(st.text("0123456789", min_size=2, max_size=10), st.booleans())
def test_a_code_is_refused_exactly_when_it_has_three_five_or_seven_digits(code: str, restore: bool) -> None:
    if len(code) in LOST_ZERO and not restore:
        with pytest.raises(LeadingZeroLost):
            user_code(code, "hs", KNOWS, restore)
    else:
        found, written = user_code(code, "hs", KNOWS, restore)
        assert found == ("0" + code if len(code) in LOST_ZERO else code)
        assert written == (code if len(code) in LOST_ZERO else None)


# -- Catalog.question (the engine's entry point) ---------------------------------------
def test_the_question_refuses_or_restores_and_the_answer_says_so() -> None:
    with pytest.raises(LeadingZeroLost, match="did you mean 080810"):
        REAL.question("PL", "RU", "80810", date(2014, 8, 10))
    q = REAL.question("PL", "RU", "80810", date(2014, 8, 10), restore_leading_zeros=True)
    assert (q.code, q.code_as_written) == ("080810", "80810")
    answer = REAL.check(q)
    assert answer.verdict.value == "BANNED"
    assert answer.explanation.startswith(RESTORED_NOTE)
    plain = REAL.question("PL", "RU", "080810", date(2014, 8, 10), restore_leading_zeros=True)
    assert plain.code_as_written is None


# -- CLI check -------------------------------------------------------------------------
def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=60, check=False)


def _check(hs: str, *extra: str) -> subprocess.CompletedProcess[str]:
    origin, destination, day = APPLES
    return run("check", "--origin", origin, "--destination", destination, "--hs", hs, "--date", day, *extra)


@pytest.mark.parametrize(("hs", "hint"), [("80810", "080810"), ("808 10", "080810"), ("808", "0808")])
def test_cli_check_exits_2_with_one_line_naming_the_likely_code(hs: str, hint: str) -> None:
    done = _check(hs)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"error: hs: {hs!r} has {len(hs.replace(' ', ''))} digits, so a leading zero was probably lost;"
        f" did you mean {hint}?"
    ]


def test_cli_check_restores_the_zero_on_request_and_says_so() -> None:
    done = _check("80810", "--restore-leading-zeros")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("BANNED")
    assert RESTORED_NOTE in done.stdout
    doc = json.loads(_check("80810", "--restore-leading-zeros", "--json").stdout)
    assert doc["verdict"] == "BANNED"
    assert (doc["query"]["hs"], doc["query"]["hs_as_written"]) == ("080810", "80810")
    assert doc["explanation"].startswith(RESTORED_NOTE)


# -- screen ----------------------------------------------------------------------------
HEADER = ("origin", "destination", "hs_code", "date")
ROWS = [
    ("PL", "RU", "0808 10", "2014-08-10"),
    ("PL", "RU", "80810", "2014-08-10"),
    ("JP", "RU", "0808", "2014-08-10"),
]


def _write(path: Path, rows: list[tuple[str, ...]], header: tuple[str, ...] = HEADER) -> Path:
    if path.suffix == ".parquet":
        pq.write_table(pa.table({n: [r[i] for r in rows] for i, n in enumerate(header)}), path)
        return path
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(("fmt", "line"), [("csv", 3), ("parquet", 2)])
def test_screen_rejects_a_lost_zero_with_its_line_and_reason_code(
    tmp_path: Path, fmt: str, line: int
) -> None:
    src = _write(tmp_path / f"in.{fmt}", ROWS)
    summary = screen_file(REAL, src, tmp_path / "out.csv", tmp_path / "rej.csv", parse_mapping(None), TODAY)
    assert (summary.read, summary.answered, summary.rejected) == (3, 2, 1)
    (reject,) = _read(tmp_path / "rej.csv")
    assert (int(reject["line"]), reject["column"], reject["value"]) == (line, "hs_code", "80810")
    assert reject["reason"].startswith("leading_zero_lost: ")
    assert reject["reason"].endswith("did you mean 080810?")
    out = _read(tmp_path / "out.csv")
    assert RESTORED not in out[0]  # the output's columns change only on request
    assert [r["verdict"] for r in out] == ["BANNED", "ALLOWED"]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize(("chunk_rows", "threads"), [(1, 1), (2, 2), (1000, 1)])
def test_screen_restores_on_request_and_says_so_in_a_column(
    tmp_path: Path, fmt: str, chunk_rows: int, threads: int
) -> None:
    src = _write(
        tmp_path / f"in.{fmt}", [*ROWS, ("PL", "RU", "808 10", "2014-08-10"), ("PL", "RU", "8", "2014-08-10")]
    )
    summary = screen_file(
        REAL,
        src,
        tmp_path / "out.csv",
        tmp_path / "rej.csv",
        parse_mapping(None),
        TODAY,
        None,
        chunk_rows,
        threads,
        restore_leading_zeros=True,
    )
    assert (summary.read, summary.answered, summary.rejected, summary.restored) == (5, 4, 1, 2)
    out = _read(tmp_path / "out.csv")
    assert [(r["hs_code"], r["verdict"], r[RESTORED]) for r in out] == [
        ("0808 10", "BANNED", ""),
        ("80810", "BANNED", "080810"),
        ("0808", "ALLOWED", ""),
        ("808 10", "BANNED", "080810"),
    ]
    assert list(out[0])[-1] == RESTORED  # after the verdict columns
    assert [r["value"] for r in _read(tmp_path / "rej.csv")] == ["8"]  # 1 digit: not a lost zero


def test_screen_with_restore_equals_check_with_restore_row_by_row(tmp_path: Path) -> None:
    rnd = random.Random(5)
    codes = [c for c in PADDED if c < "25"]
    origins = ["PL", "DE", "JP", "US", "NO", "TR", "GB", "UA", "CN"]
    rows = []
    for _ in range(1500):
        code = rnd.choice(codes) + rnd.choice(["", "10", "0000"])
        written = code[1:] if rnd.random() < 0.5 else code
        day = date(2013, 1, 1).toordinal() + rnd.randrange(5000)
        rows.append((rnd.choice(origins), "RU", written, date.fromordinal(day).isoformat()))
    src = _write(tmp_path / "in.csv", rows)
    screen_file(REAL, src, tmp_path / "out.csv", None, parse_mapping(None), TODAY, restore_leading_zeros=True)
    for row, out in zip(rows, _read(tmp_path / "out.csv"), strict=True):
        q = REAL.question(
            row[0], row[1], row[2], date.fromisoformat(row[3]), TODAY, restore_leading_zeros=True
        )
        answer = REAL.check(q)
        assert (out["verdict"], out["reason_code"]) == (answer.verdict.value, answer.reason.value), row
        assert out[RESTORED] == (q.code if q.code_as_written else ""), row


def test_screen_refuses_an_input_that_already_has_the_restored_column(tmp_path: Path) -> None:
    src = _write(tmp_path / "in.csv", [(*ROWS[0], "x")], (*HEADER, RESTORED))
    screen_file(REAL, src, tmp_path / "plain.csv", None, parse_mapping(None), TODAY)  # no clash without it
    with pytest.raises(InputError, match="already in the input"):
        screen_file(
            REAL, src, tmp_path / "o.csv", None, parse_mapping(None), TODAY, restore_leading_zeros=True
        )


def test_arrow_batches_screen_alike_with_mapped_columns() -> None:
    batch = pa.RecordBatch.from_pydict({"c": ["PL"], "d": ["RU"], "tnved": ["80810"], "day": ["2014-08-10"]})
    mapping = parse_mapping("origin=c,destination=d,hs_code=tnved,date=day")
    refused, bad = Screening(REAL, TODAY, batch.schema.names, batch.schema, mapping).batch(batch, 1)
    assert refused.num_rows == 0 and bad.column("column").to_pylist() == ["tnved"]
    assert bad.column("reason").to_pylist()[0].startswith("leading_zero_lost:")
    answered, bad = Screening(REAL, TODAY, batch.schema.names, batch.schema, mapping, True).batch(batch, 1)
    assert bad.num_rows == 0
    assert answered.column("verdict").to_pylist() == ["BANNED"]
    assert answered.column(RESTORED).to_pylist() == ["080810"]


def test_cli_screen_flag_and_report(tmp_path: Path) -> None:
    src = _write(tmp_path / "in.csv", ROWS)
    known = ("--as-known-on", TODAY.isoformat())
    done = run("screen", str(src), "-o", str(tmp_path / "a.csv"), *known)
    assert done.returncode == 0, done.stderr
    assert "answered 2 + rejected 1" in done.stderr
    assert _read(tmp_path / "a.rejects.csv")[0]["reason"].startswith("leading_zero_lost:")
    done = run("screen", str(src), "-o", str(tmp_path / "b.csv"), *known, "--restore-leading-zeros")
    assert done.returncode == 0, done.stderr
    assert "answered 3 + rejected 0" in done.stderr
    assert "leading zeros restored in 1 answered rows (column hs_code_restored)" in done.stderr
    assert [r[RESTORED] for r in _read(tmp_path / "b.csv")] == ["", "080810", ""]


codes = st.one_of(
    st.sampled_from(PADDED).map(lambda c: c[1:]),
    st.text("0123456789", min_size=1, max_size=10),
    st.text(st.sampled_from("0123456789 .\u00a0\u2009a"), max_size=12),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(codes, min_size=1, max_size=30), st.booleans())
def test_codes_and_restored_column_in_bulk_equal_one_by_one(values: list[str], restore: bool) -> None:
    encoder = Encoder(REAL, REAL.kernel(TODAY), restore)
    column = pa.array(values, pa.string())
    assert encoder._code_keys(column).tolist() == [encoder._code(v) for v in values]
    restored = encoder.restored(column, "hs_code").to_pylist()
    assert restored == [encoder._restored(v) for v in values]
    for value, code in zip(values, restored, strict=True):
        assert code == (_restored_by_hand(value) if restore else "")


def _restored_by_hand(value: str) -> str:
    try:
        code, written = user_code(value, "hs_code", None, restore=True)
    except InputError:
        return ""
    return code if written is not None else ""


# -- HTTP API and web page --------------------------------------------------------------
@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(create_app(REAL, tmp_path_factory.mktemp("state"))) as c:
        yield c


def _params(hs: str, **extra: str) -> dict[str, str]:
    origin, destination, day = APPLES
    return {"origin": origin, "destination": destination, "hs": hs, "date": day, **extra}


@pytest.mark.parametrize(
    ("hs", "suggestion"), [("80810", "080810"), ("808 10", "080810"), ("808", "0808"), ("99999", None)]
)
def test_api_check_answers_a_problem_naming_field_value_and_hint(
    client: TestClient, hs: str, suggestion: str | None
) -> None:
    r = client.get("/v1/check", params=_params(hs))
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert (body["field"], body["value"], body["code"]) == ("hs", hs, "leading_zero_lost")
    assert body.get("suggestion") == suggestion
    assert body["detail"].startswith(f"hs: {hs!r} has ")
    assert ("did you mean" in body["detail"]) == (suggestion is not None)
    assert body["dataset_version"] == REAL.version


@pytest.mark.parametrize("flag", ["true", "1"])
def test_api_check_restores_on_request_and_says_so(client: TestClient, flag: str) -> None:
    r = client.get("/v1/check", params=_params("80810", restore_leading_zeros=flag))
    assert r.status_code == 200
    doc = r.json()
    assert doc["verdict"] == "BANNED"
    assert (doc["query"]["hs"], doc["query"]["hs_as_written"]) == ("080810", "80810")
    assert doc["explanation"].startswith(RESTORED_NOTE)
    assert client.get("/v1/check", params=_params("080810")).json()["query"]["hs_as_written"] is None


@pytest.mark.parametrize("how", ["none", "query", "form"])
def test_api_screen_rejects_or_restores(client: TestClient, how: str) -> None:
    body = "origin,destination,hs_code,date\n" + "\n".join(",".join(r) for r in ROWS) + "\n"
    params = {
        "as_known_on": TODAY.isoformat(),
        **({"restore_leading_zeros": "true"} if how == "query" else {}),
    }
    data = {"restore_leading_zeros": "true"} if how == "form" else {}
    r = client.post("/v1/screen", params=params, data=data, files={"file": ("in.csv", body, "text/csv")})
    assert r.status_code == 200, r.text
    doc = r.json()
    rows = list(csv.DictReader(client.get(doc["download"]).text.splitlines()))
    rejects = list(csv.DictReader(client.get(doc["rejects"]).text.splitlines()))
    if how == "none":
        assert (doc["answered"], doc["rejected"]) == (2, 1) and "leading_zeros_restored" not in doc
        assert rejects[0]["reason"].startswith("leading_zero_lost:") and rejects[0]["line"] == "3"
        assert RESTORED not in rows[0]
    else:
        assert (doc["answered"], doc["rejected"], doc["leading_zeros_restored"]) == (3, 0, 1)
        assert [(r["verdict"], r[RESTORED]) for r in rows][1] == ("BANNED", "080810")


def test_page_shows_the_hint_next_to_the_code_and_a_checkbox_to_restore(client: TestClient) -> None:
    r = client.get("/business", params=_params("80810"))
    assert r.status_code == 400
    html = r.text
    hint = html[html.index('id="hs-error"') :]
    assert "did you mean 080810?" in hint[: hint.index("</p>")]
    assert html.index('id="hs"') < html.index('id="hs-error"') < html.index('id="date"')
    start = html.index('<input type="checkbox" id="restore_leading_zeros"')
    assert "checked" not in html[start : html.index(">", start)]
    assert "restore leading zeros" in html[start : html.index("</label>", start)]
    assert 'aria-describedby="hs-help hs-error"' in html


def test_page_restores_on_request_and_says_so(client: TestClient) -> None:
    r = client.get("/business", params=_params("80810", restore_leading_zeros="true"))
    assert r.status_code == 200
    html = r.text
    assert "BANNED" in html and RESTORED_NOTE in html
    assert 'id="hs-error"' not in html
    start = html.index('id="restore_leading_zeros"')
    assert "checked" in html[start : html.index(">", start)]


def test_page_without_a_lost_zero_shows_no_restore_box(client: TestClient) -> None:
    html = client.get("/business", params=_params("080810")).text
    assert 'id="restore_leading_zeros"' not in html
