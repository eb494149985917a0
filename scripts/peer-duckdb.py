"""The segmentation benchmark's peer: the same computations as Clef, written
as SQL in DuckDB, on the CSV files Clef exported (customers.csv, revenue.csv).

    python3 scripts/peer-duckdb.py DATA_DIR RESULT.json

Measures, with DuckDB on 2 threads:
  figures_csv_s     portfolio figures (12-month revenue and margin, the 12
                    before, growth, 3-year trend, margin rate, share of
                    wallet, rank, cumulative share) plus the per-criterion
                    percentiles segmentation reads, straight from the CSV files;
  load_s            loading the two CSV files into typed DuckDB tables
                    (amounts in cents, months as numbers, as Clef stores them);
  figures_table_s   the same computation from those tables;
  whatif_ms         one what-if over every customer (weighted scores, 3x3
                    matrix, ABC classes, tiers, movers, Pareto points), the
                    median of 11 runs with different weights.
"""
import json
import statistics
import sys
import time

import duckdb

data, out = sys.argv[1], sys.argv[2]
con = duckdb.connect()
con.execute("SET threads TO 2")

CUSTOMERS = f"read_csv('{data}/customers.csv', header=true, all_varchar=true)"
REVENUE = f"read_csv('{data}/revenue.csv', header=true, all_varchar=true)"


def typed_revenue(src):
    """Revenue lines as Clef stores them: cents and a month number."""
    return f"""(SELECT CAST(customer_id AS BIGINT) AS customer_id,
         CAST(substr(period, 1, 4) AS INTEGER) * 12 + CAST(substr(period, 6, 2) AS INTEGER) - 1 AS m,
         CAST(round(CAST(revenue AS DOUBLE) * 100) AS BIGINT) AS rev,
         CAST(round(CAST(margin AS DOUBLE) * 100) AS BIGINT) AS mar
  FROM {src})"""


def typed_customers(src):
    return f"""(SELECT CAST(id AS BIGINT) AS id,
         CAST(round(CAST(NULLIF(wallet, '') AS DOUBLE) * 100) AS BIGINT) AS wallet,
         NULLIF(threat, '') AS threat, NULLIF(competitive_position, '') AS position,
         CAST(NULLIF(satisfaction, '') AS INTEGER) AS satisfaction,
         NULLIF(strategic_segment, '') AS segment, tier
  FROM {src})"""


def figures_sql(customers, revenue):
    return f"""
CREATE OR REPLACE TABLE figures AS
WITH lines AS (SELECT * FROM {revenue}),
last AS (SELECT max(m) AS mx FROM lines),
agg AS (
  SELECT customer_id,
    sum(CASE WHEN m > mx - 12 THEN rev ELSE 0 END) AS r12,
    sum(CASE WHEN m > mx - 12 THEN mar ELSE 0 END) AS m12,
    sum(CASE WHEN m > mx - 24 AND m <= mx - 12 THEN rev ELSE 0 END) AS rp,
    sum(CASE WHEN m > mx - 24 AND m <= mx - 12 THEN mar ELSE 0 END) AS mp,
    sum(CASE WHEN m <= mx - 24 THEN rev ELSE 0 END) AS r3
  FROM lines, last WHERE m > mx - 36 GROUP BY customer_id),
c AS (SELECT * FROM {customers}),
x AS (
  SELECT c.id AS customer_id, c.wallet, c.threat, c.position, c.satisfaction, c.segment, c.tier,
    coalesce(r12, 0) AS revenue_12, coalesce(m12, 0) AS margin_12, coalesce(rp, 0) AS revenue_prev_12,
    coalesce(mp, 0) AS margin_prev_12, coalesce(r3, 0) AS revenue_y3,
    CASE WHEN rp > 0 THEN (r12 - rp) / rp END AS growth,
    CASE WHEN r3 > 0 AND rp > 0 AND r12 > 0 THEN (r12 - r3) * 1.5 / (r12 + rp + r3) END AS trend,
    CASE WHEN r12 > 0 THEN m12 / r12 END AS margin_rate,
    CASE WHEN c.wallet > 0 THEN coalesce(r12, 0) / c.wallet END AS share_of_wallet
  FROM c LEFT JOIN agg ON agg.customer_id = c.id)
SELECT *,
  row_number() OVER (ORDER BY revenue_12 DESC, customer_id) AS revenue_rank,
  coalesce(sum(greatest(revenue_12, 0)) OVER (ORDER BY revenue_12 DESC, customer_id ROWS UNBOUNDED PRECEDING)
           / nullif(sum(greatest(revenue_12, 0)) OVER (), 0), 0) AS cumulative_share
FROM x;

CREATE OR REPLACE TABLE seg AS
SELECT customer_id, revenue_12, tier,
  percent_rank() OVER (ORDER BY revenue_12) AS p_revenue,
  percent_rank() OVER (ORDER BY margin_12) AS p_margin,
  CASE WHEN wallet IS NULL THEN NULL ELSE percent_rank() OVER (PARTITION BY wallet IS NULL ORDER BY wallet) END AS p_wallet,
  CASE WHEN wallet IS NULL THEN NULL ELSE percent_rank() OVER (PARTITION BY wallet IS NULL ORDER BY greatest(wallet - revenue_12, 0)) END AS p_potential,
  CASE WHEN growth IS NULL THEN NULL ELSE percent_rank() OVER (PARTITION BY growth IS NULL ORDER BY growth) END AS p_growth,
  CASE WHEN trend IS NULL THEN NULL ELSE percent_rank() OVER (PARTITION BY trend IS NULL ORDER BY trend) END AS p_trend,
  CASE WHEN margin_rate IS NULL THEN NULL ELSE percent_rank() OVER (PARTITION BY margin_rate IS NULL ORDER BY margin_rate) END AS p_margin_rate,
  CASE WHEN share_of_wallet IS NULL THEN NULL ELSE percent_rank() OVER (PARTITION BY share_of_wallet IS NULL ORDER BY share_of_wallet) END AS p_sow,
  CASE threat WHEN 'none' THEN 0 WHEN 'low' THEN 1 / 3 WHEN 'medium' THEN 2 / 3 WHEN 'high' THEN 1 END AS threat,
  CASE position WHEN 'weak' THEN 0 WHEN 'average' THEN 1 / 3 WHEN 'strong' THEN 2 / 3 WHEN 'leader' THEN 1 END AS position,
  satisfaction / 10 AS satisfaction,
  CASE WHEN lower(segment) IN ('strategic') THEN 1.0 ELSE 0.0 END AS in_target
FROM figures;
"""


def timed(sql):
    t0 = time.perf_counter()
    con.execute(sql)
    return time.perf_counter() - t0


res = {}
res["figures_csv_s"] = timed(figures_sql(typed_customers(CUSTOMERS), typed_revenue(REVENUE)))
res["customers"] = con.execute("SELECT count(*) FROM figures").fetchone()[0]
t0 = time.perf_counter()
con.execute(f"CREATE OR REPLACE TABLE customers_t AS SELECT * FROM {typed_customers(CUSTOMERS)}")
con.execute(f"CREATE OR REPLACE TABLE revenue_t AS SELECT * FROM {typed_revenue(REVENUE)}")
res["load_s"] = time.perf_counter() - t0
res["revenue_lines"] = con.execute("SELECT count(*) FROM revenue_t").fetchone()[0]
res["figures_table_s"] = timed(figures_sql("customers_t", "revenue_t"))


def whatif(w):
    a = (w["potential"], w["growth"], w["segment"], w["revenue"])
    p = (w["sow"], w["position"], w["satisfaction"], w["threat"])
    sa, sp = sum(a), sum(p)
    return f"""
CREATE OR REPLACE TEMP TABLE t AS
WITH s AS (
  SELECT customer_id, revenue_12, tier,
    ({a[0]} * coalesce(p_potential, 0.5) + {a[1]} * coalesce(p_growth, 0.5) + {a[2]} * in_target
      + {a[3]} * coalesce(p_revenue, 0.5)) / {sa} AS att,
    ({p[0]} * coalesce(p_sow, 0.5) + {p[1]} * coalesce(position, 0.5) + {p[2]} * coalesce(satisfaction, 0.5)
      + {p[3]} * (1 - coalesce(threat, 0.5))) / {sp} AS pos
  FROM seg),
c AS (
  SELECT *, CAST(att >= 0.4 AS INT) + CAST(att >= 0.6 AS INT) AS r, CAST(pos >= 0.4 AS INT) + CAST(pos >= 0.6 AS INT) AS k,
    coalesce(sum(greatest(revenue_12, 0)) OVER (ORDER BY revenue_12 DESC, customer_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before_,
    sum(greatest(revenue_12, 0)) OVER () AS total,
    row_number() OVER (ORDER BY revenue_12 DESC, customer_id) AS n
  FROM s),
a AS (
  SELECT *, CASE WHEN revenue_12 > 0 AND before_ * 100.0 / total < {w['cut_a']} THEN 'A'
                 WHEN revenue_12 > 0 AND before_ * 100.0 / total < 95 THEN 'B' ELSE 'C' END AS abc
  FROM c)
SELECT *, CASE WHEN abc = 'A' OR (r = 2 AND k >= 1) THEN 'gold'
               WHEN abc = 'B' OR (r = 2 AND k = 0) OR (r = 1 AND k >= 1) OR (r = 0 AND k = 2) THEN 'silver'
               ELSE 'bronze' END AS new_tier
FROM a;
SELECT r, k, count(*), sum(revenue_12) FROM t GROUP BY r, k;
SELECT abc, count(*), sum(greatest(revenue_12, 0)) FROM t GROUP BY abc;
SELECT new_tier, count(*) FROM t GROUP BY new_tier;
SELECT count(*) FROM t WHERE new_tier <> tier;
SELECT customer_id, tier, new_tier FROM t WHERE new_tier <> tier ORDER BY revenue_12 DESC, customer_id LIMIT 50;
SELECT n, (before_ + greatest(revenue_12, 0)) / total FROM t WHERE n % (SELECT greatest(count(*) // 200, 1) FROM t) = 0;
"""


runs = []
for i in range(11):
    w = dict(potential=40 + i, growth=25, segment=20, revenue=15 + i % 3, sow=40, position=30 - i % 4,
             satisfaction=15, threat=15, cut_a=80 - i % 5)
    t0 = time.perf_counter()
    for stmt in [s for s in whatif(w).split(";") if s.strip()]:
        con.execute(stmt).fetchall()
    runs.append((time.perf_counter() - t0) * 1000)
res["whatif_ms"] = statistics.median(runs)
res["whatif_runs_ms"] = runs
res["duckdb_version"] = duckdb.__version__
with open(out, "w") as f:
    json.dump(res, f, indent=1)
print(json.dumps({k: v for k, v in res.items() if k != "whatif_runs_ms"}))
