"""`db build`: the compiled data as DuckDB tables and views, for SQL users.

Tables (all periods half-open ``[start, end)``; NULL end = open-ended):

- ``acts``: one row per act with titles, dates, first source URL.
- ``measures``: one row per measure with its term as compiled (prolongations applied).
- ``measure_targets``: each target with its own period and the act that added it.
- ``measure_lines``: each product line (``code`` as written, ``code_key`` its significant digits).
- ``line_exceptions``: each exception (``code`` NULL for exceptions by description).
- ``suspensions``: each suspension by a later act of a measure (``record`` 'measure',
  ``record_id`` NULL), or of one of its lines, targets or exceptions (``record`` 'line',
  'target' or 'exception'; ``record_id`` the line id, the target's jurisdiction or the
  exception id) over ``[start, end)``; the record applies again from ``end``.
- ``memberships``: bloc members with periods.
- ``coverage_declarations``: one row per coverage declaration (what the data set vouches
  for holding: imposer, direction ``import``/``export``, period, ``partners`` (empty: all),
  ``regimes`` held, product scope as code prefixes in and out (``scope_include`` empty: all
  goods), ``left_out``, ``reviewed_on``, sources as parallel lists of URLs and notes).
- ``meta``: ``dataset_version`` and the ``as_known_on`` day.

Macro ``banned_on(d)``: (measure_id, imposer, target, code_key, line_id) rows in force
on day d (none of measure, target or line suspended that day).
Rows are inserted in a fixed order, so the same data gives the same table contents.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.compile import Index
from sanctionscope.relational import tables

SCHEMA = """
CREATE TABLE meta (dataset_version VARCHAR, as_known_on DATE);
CREATE TABLE acts (id VARCHAR PRIMARY KEY, issuer VARCHAR, authority VARCHAR, kind VARCHAR,
  number VARCHAR, title_original VARCHAR, title_lang VARCHAR, title_en VARCHAR, signed DATE,
  published DATE, in_force DATE, source_url VARCHAR, summary VARCHAR);
CREATE TABLE measures (id VARCHAR PRIMARY KEY, act_id VARCHAR, type VARCHAR, title VARCHAR,
  imposer VARCHAR, start DATE, "end" DATE, term_set_by VARCHAR, product_scope VARCHAR,
  in_response_to VARCHAR[]);
CREATE TABLE measure_targets (measure_id VARCHAR, jurisdiction VARCHAR, scope VARCHAR,
  start DATE, "end" DATE, act_id VARCHAR);
CREATE TABLE measure_lines (measure_id VARCHAR, line_id VARCHAR, code VARCHAR, code_key VARCHAR,
  wording_original VARCHAR, wording_en VARCHAR, start DATE, "end" DATE, act_id VARCHAR);
CREATE TABLE line_exceptions (measure_id VARCHAR, exception_id VARCHAR, code VARCHAR,
  code_key VARCHAR, lines VARCHAR[], depth INTEGER, wording_en VARCHAR, start DATE, "end" DATE,
  act_id VARCHAR);
CREATE TABLE suspensions (measure_id VARCHAR, record VARCHAR, record_id VARCHAR, start DATE,
  "end" DATE, act_id VARCHAR);
CREATE TABLE memberships (bloc VARCHAR, country VARCHAR, start DATE, "end" DATE);
CREATE TABLE coverage_declarations (id VARCHAR PRIMARY KEY, imposer VARCHAR, direction VARCHAR,
  start DATE, "end" DATE, partners VARCHAR[], regimes VARCHAR[], scope_include VARCHAR[],
  scope_exclude VARCHAR[], left_out VARCHAR[], reviewed_on DATE, source_urls VARCHAR[],
  source_notes VARCHAR[], note VARCHAR);
CREATE MACRO banned_on(d) AS TABLE
  SELECT m.id AS measure_id, m.imposer, t.jurisdiction AS target, l.code_key, l.line_id
  FROM measures m
  JOIN measure_targets t ON t.measure_id = m.id
  JOIN measure_lines l ON l.measure_id = m.id
  WHERE m.type = 'import_ban' AND m.start <= d AND (m."end" IS NULL OR d < m."end")
    AND t.start <= d AND (t."end" IS NULL OR d < t."end")
    AND l.start <= d AND (l."end" IS NULL OR d < l."end")
    AND NOT EXISTS (SELECT 1 FROM suspensions s
      WHERE s.measure_id = m.id AND s.start <= d AND (s."end" IS NULL OR d < s."end")
        AND (s.record = 'measure' OR (s.record = 'line' AND s.record_id = l.line_id)
             OR (s.record = 'target' AND s.record_id = t.jurisdiction)));
"""


def build(catalog: Catalog, path: Path, as_known_on: date) -> dict[str, int]:
    """Write the DuckDB file at ``path`` (replaced if present); return row counts."""
    index = catalog.index(as_known_on)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        con.execute(SCHEMA)
        con.execute("INSERT INTO meta VALUES (?, ?)", [catalog.version, as_known_on])
        _fill(con, catalog, index)
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in _TABLES}  # type: ignore[index]
    finally:
        con.close()
    tmp.replace(path)
    return counts


_TABLES = (
    "acts",
    "measures",
    "measure_targets",
    "measure_lines",
    "line_exceptions",
    "suspensions",
    "memberships",
    "coverage_declarations",
)


def _fill(con: duckdb.DuckDBPyConnection, catalog: Catalog, index: Index) -> None:
    for name, rows in tables(index).items():
        if rows:
            marks = ",".join("?" * len(rows[0]))
            con.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)
