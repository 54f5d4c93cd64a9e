"""The baselines: what a skilled analyst writes instead of sanctionscope, in DuckDB SQL
and in Polars, over the tables of ``sanctionscope db build``.

The analyst flattens the bans once (setup, not timed): every line of every import and
export ban, per origin and destination country (bloc targets and union imposers through
their memberships, each over its own period), per 4-digit heading. A screen is then an
equi-join on (heading, origin, destination), a filter on prefix and period, an anti-join
of the code carve-outs and of the suspensions, and the distinct banned rows: the best
plan DuckDB and Polars have for this (a correlated EXISTS runs five times slower).

What they compute is the BANNED flag. sanctionscope computes more per row: the five
verdicts (licensing regimes, unclear targets, coverage), the deciding measure and act,
the reason, the exceptions to attest and the coverage relied on. The baselines leave out
what the store's tables do not hold (targets "all partners less ...", re-bans under a
carve-out): the agreement printed counts the rows where the two differ.
"""

from __future__ import annotations

#: Setup: the bans flattened per (origin, destination, heading), with their periods.
BAN_LINES_SQL = """
CREATE OR REPLACE TEMP TABLE ban_lines AS
WITH lines AS (
  SELECT m.id AS measure_id, m.type, m.imposer, t.jurisdiction AS target, l.line_id, l.code_key,
         greatest(m.start, t.start, l.start) AS start,
         least(coalesce(m."end", DATE '9999-12-31'), coalesce(t."end", DATE '9999-12-31'),
               coalesce(l."end", DATE '9999-12-31')) AS "end"
  FROM measures m
  JOIN measure_targets t ON t.measure_id = m.id AND t.scope IN ('origin', 'country', 'territory')
  JOIN measure_lines l ON l.measure_id = m.id
  WHERE m.type IN ('import_ban', 'export_ban')),
partners AS (  -- a bloc target means its members, each over its membership period
  SELECT l.*, coalesce(b.country, l.target) AS partner,
         greatest(l.start, coalesce(b.start, l.start)) AS p_start,
         least(l."end", coalesce(b."end", DATE '9999-12-31')) AS p_end
  FROM lines l LEFT JOIN memberships b ON b.bloc = l.target),
sides AS (  -- a union's measures bind its members
  SELECT p.*, coalesce(u.country, p.imposer) AS side,
         greatest(p.p_start, coalesce(u.start, p.p_start)) AS s_start,
         least(p.p_end, coalesce(u."end", DATE '9999-12-31')) AS s_end
  FROM partners p LEFT JOIN memberships u ON u.bloc = p.imposer),
headings AS (SELECT lpad(CAST(i AS VARCHAR), 4, '0') AS heading FROM range(10000) r(i))
SELECT measure_id, line_id, code_key, target,
       CASE WHEN type = 'import_ban' THEN partner ELSE side END AS origin,
       CASE WHEN type = 'import_ban' THEN side ELSE partner END AS destination,
       s_start AS start, s_end AS "end", h.heading
FROM sides JOIN headings h
  ON h.heading LIKE sides.code_key || '%' OR sides.code_key LIKE h.heading || '%'
WHERE s_start < s_end;
CREATE OR REPLACE TEMP TABLE carve_outs AS
SELECT measure_id, code_key AS ex_key, start AS ex_start,
       coalesce("end", DATE '9999-12-31') AS ex_end
FROM line_exceptions WHERE depth = 1 AND code_key IS NOT NULL;
CREATE OR REPLACE TEMP TABLE paused AS
SELECT measure_id, record, record_id, start AS p_start,
       coalesce("end", DATE '9999-12-31') AS p_end
FROM suspensions WHERE record IN ('measure', 'line', 'target');
"""

#: The screen: banned rows of ``shipments(row, origin, destination, code, date)``.
SCREEN_SQL = """
WITH hits AS (
  SELECT s.row, s.code, s.date, l.measure_id, l.line_id, l.code_key, l.target
  FROM shipments s JOIN ban_lines l
    ON l.heading = left(s.code, 4) AND l.origin = s.origin AND l.destination = s.destination
  WHERE starts_with(s.code, l.code_key) AND s.date >= l.start AND s.date < l."end"),
carved AS (
  SELECT h.row, h.measure_id, h.line_id FROM hits h
  JOIN carve_outs e ON e.measure_id = h.measure_id
  WHERE length(e.ex_key) > length(h.code_key) AND starts_with(h.code, e.ex_key)
    AND h.date >= e.ex_start AND h.date < e.ex_end
  UNION ALL
  SELECT h.row, h.measure_id, h.line_id FROM hits h
  JOIN paused p ON p.measure_id = h.measure_id
  WHERE h.date >= p.p_start AND h.date < p.p_end
    AND (p.record = 'measure' OR p.record_id = CASE p.record WHEN 'line' THEN h.line_id ELSE h.target END))
SELECT DISTINCT row FROM hits ANTI JOIN carved USING (row, measure_id, line_id)
"""

#: End to end, one statement: a CSV file in, the same rows with a verdict column out.
#: The analyst maps ISO3 spellings to ISO2 with a small table (``iso``, set up before),
#: reads the code as text (auto-detection would read it as a number and drop leading
#: zeros) and decides each distinct (origin, destination, code, day) once.
FILE_SQL = """
COPY (
  WITH s AS (SELECT * FROM {reader}),
  keys AS (
    SELECT DISTINCT s.origin AS o_in, s.destination AS d_in, s.hs_code AS code, s.date,
           coalesce(io.iso2, s.origin) AS origin, coalesce(id.iso2, s.destination) AS destination
    FROM (SELECT DISTINCT origin, destination, hs_code, date FROM s) s
    LEFT JOIN iso io ON io.name = s.origin LEFT JOIN iso id ON id.name = s.destination),
  hits AS (
    SELECT k.o_in, k.d_in, k.code, k.date, l.measure_id, l.line_id, l.code_key, l.target
    FROM keys k JOIN ban_lines l
      ON l.heading = left(k.code, 4) AND l.origin = k.origin AND l.destination = k.destination
    WHERE starts_with(k.code, l.code_key) AND k.date >= l.start AND k.date < l."end"),
  carved AS (
    SELECT h.o_in, h.d_in, h.code, h.date, h.measure_id, h.line_id FROM hits h
    JOIN carve_outs e ON e.measure_id = h.measure_id
    WHERE length(e.ex_key) > length(h.code_key) AND starts_with(h.code, e.ex_key)
      AND h.date >= e.ex_start AND h.date < e.ex_end
    UNION ALL
    SELECT h.o_in, h.d_in, h.code, h.date, h.measure_id, h.line_id FROM hits h
    JOIN paused p ON p.measure_id = h.measure_id
    WHERE h.date >= p.p_start AND h.date < p.p_end
      AND (p.record = 'measure' OR p.record_id = CASE p.record WHEN 'line' THEN h.line_id ELSE h.target END)),
  banned AS (
    SELECT DISTINCT o_in, d_in, code, date
    FROM hits ANTI JOIN carved USING (o_in, d_in, code, date, measure_id, line_id))
  SELECT s.*, CASE WHEN b.code IS NULL THEN 'ALLOWED' ELSE 'BANNED' END AS verdict
  FROM s LEFT JOIN banned b
    ON b.o_in = s.origin AND b.d_in = s.destination AND b.code = s.hs_code AND b.date = s.date
) TO '{output}' (FORMAT parquet)
"""

CSV_READER = "read_csv('{path}', header = true, types = {{'hs_code': 'VARCHAR'}})"
PARQUET_READER = "read_parquet('{path}')"

#: The same plan in Polars (``frame``: row, origin, destination, code, date).
POLARS_TEXT = """
hits = (
    frame.with_columns(pl.col("code").str.slice(0, 4).alias("heading"))
    .join(lines, on=["heading", "origin", "destination"])
    .filter(
        pl.col("code").str.starts_with(pl.col("code_key"))
        & (pl.col("date") >= pl.col("start"))
        & (pl.col("date") < pl.col("end"))
    )
)
carved = (
    hits.join(carve, on="measure_id")
    .filter(
        (pl.col("ex_key").str.len_chars() > pl.col("code_key").str.len_chars())
        & pl.col("code").str.starts_with(pl.col("ex_key"))
        & (pl.col("date") >= pl.col("ex_start"))
        & (pl.col("date") < pl.col("ex_end"))
    )
    .select("row", "line_id", "measure_id")
)
paused_hits = (
    hits.join(paused, on="measure_id")
    .filter(
        (pl.col("date") >= pl.col("p_start"))
        & (pl.col("date") < pl.col("p_end"))
        & (
            (pl.col("record") == "measure")
            | ((pl.col("record") == "line") & (pl.col("record_id") == pl.col("line_id")))
            | ((pl.col("record") == "target") & (pl.col("record_id") == pl.col("target")))
        )
    )
    .select("row", "line_id", "measure_id")
)
carved = pl.concat([carved, paused_hits])
banned_rows = hits.join(carved, on=["row", "line_id", "measure_id"], how="anti")["row"].unique()
"""
