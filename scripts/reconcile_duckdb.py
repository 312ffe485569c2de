"""The same reconciliation (of ledger.csv, or ledger.parquet when the third
argument is "parquet", ledger-one.parquet when "parquet-one", ledger-dec.parquet
when "parquet-dec") as `costshare reconcile --map --budget`, in DuckDB:
out-turn by authority and service (unmapped cost centres in rows of their own),
exact DECIMAL sums, full join with the budgets. Prints the rows as CSV on stdout
and, on stderr, the grand total and the query's own time in seconds."""
import sys
import time

import duckdb

d = sys.argv[1]
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
fmt = sys.argv[3] if len(sys.argv) > 3 else "csv"
ledger = (f"read_parquet('{d}/ledger.parquet')" if fmt == "parquet"
          else f"read_parquet('{d}/ledger-one.parquet')" if fmt == "parquet-one"
          else f"read_parquet('{d}/ledger-dec.parquet')" if fmt == "parquet-dec"
          else f"read_csv('{d}/ledger.csv', header=true, all_varchar=true)")
con = duckdb.connect()
con.execute(f"PRAGMA threads={threads}")
q = f"""
WITH gl AS (
  SELECT authority, cost_centre, CAST(amount AS DECIMAL(18,2)) AS amount
  FROM {ledger}
),
m AS (SELECT cost_centre, service FROM read_csv('{d}/map.csv', header=true, all_varchar=true)),
o AS (
  SELECT gl.authority AS authority,
         COALESCE(m.service, 'Unmapped cost centre ' || gl.cost_centre) AS service,
         SUM(gl.amount) AS outturn
  FROM gl LEFT JOIN m ON gl.cost_centre = m.cost_centre
  GROUP BY ALL
),
b AS (
  SELECT authority, service, CAST(budget AS DECIMAL(18,2)) AS budget
  FROM read_csv('{d}/budget.csv', header=true, all_varchar=true)
)
SELECT COALESCE(o.authority, b.authority), COALESCE(o.service, b.service),
       b.budget, o.outturn, o.outturn - b.budget
FROM o FULL OUTER JOIN b ON o.authority = b.authority AND o.service = b.service
ORDER BY 1, 2
"""
t0 = time.perf_counter()
rows = con.execute(q).fetchall()
elapsed = time.perf_counter() - t0
for r in rows:
    print(",".join("" if v is None else str(v) for v in r))
total = sum((r[3] or 0) for r in rows)
print(f"total {total}", file=sys.stderr)
print(f"seconds {elapsed:.3f}", file=sys.stderr)
