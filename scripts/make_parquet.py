#!/usr/bin/env python3
"""Writes small Parquet ledgers with other writers than polars (pyarrow and
DuckDB), so the tests read files laid out as real exports are: dictionary
pages, data page v2, zstd, several row groups, DECIMAL money, an empty file.

    pip install pyarrow duckdb && python3 scripts/make_parquet.py
"""
import decimal, pathlib
import pyarrow as pa, pyarrow.parquet as pq, duckdb

out = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "parquet"
out.mkdir(exist_ok=True)
# 300 lines: authority cycles A, B, C; cost centre X1 for even lines, X2 for
# odd; amount of line i (0-based) is i pounds and i pence, negative when i
# is a multiple of 7; every fifth authority is missing (null).
rows = range(300)
auth = [None if i % 5 == 4 else "ABC"[i % 3] for i in rows]
cc = ["X1" if i % 2 == 0 else "X2" for i in rows]
amt = [decimal.Decimal(i * 101) / 100 * (-1 if i % 7 == 0 else 1) for i in rows]
t = pa.table({"authority": auth, "cost_centre": cc,
              "amount": pa.array(amt, pa.decimal128(12, 2))})
pq.write_table(t, out / "pyarrow-v2-zstd.parquet", compression="zstd",
               data_page_version="2.0", row_group_size=70, data_page_size=256)
pq.write_table(t.slice(0, 0), out / "pyarrow-empty.parquet")
con = duckdb.connect()
con.register("t", t)
con.execute(f"copy (select authority, cost_centre, amount::double as amount from t) "
            f"to '{out / 'duckdb-float.parquet'}' (format parquet, row_group_size 100)")
