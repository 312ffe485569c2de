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
# One row group each, for the reader of big row groups (read a page at a
# time; the unit tests treat any group as big): DuckDB with the amount as
# text, one page a column, and a fee of (i % 4 + 1) * 2.50 as text in a
# dictionary, and the amount as DECIMAL in 4, 8 and 16 bytes; pyarrow with v2 pages of a few
# values, amounts as plain text (no dictionary) and as whole pounds in
# 64- and 32-bit integers (line i: i pounds, negative when i % 7 == 0).
con.execute(f"copy (select authority, cost_centre, amount::varchar as amount, "
            f"((row_number() over () - 1) % 4 + 1) * 2.50 || '' as fee, "
            f"amount::decimal(9,2) as dec9, amount::decimal(18,2) as dec18, "
            f"amount::decimal(38,3) as dec38 from t) "
            f"to '{out / 'duckdb-one-group.parquet'}' (format parquet, row_group_size 1000)")
pounds = [i * (-1 if i % 7 == 0 else 1) for i in rows]
t2 = pa.table({"authority": auth, "cost_centre": cc,
               "amount": pa.array([str(a) for a in amt], pa.string()),
               "pounds": pa.array(pounds, pa.int64()),
               "pounds32": pa.array(pounds, pa.int32())})
pq.write_table(t2, out / "pyarrow-one-group.parquet", compression="snappy",
               data_page_version="2.0", data_page_size=128,
               use_dictionary=["authority", "cost_centre", "pounds32"])
# Page checksums (CRC-32 in each page header): 40 lines, line i of
# i % 1000 - 500 pounds (total -£19,220), and a copy with one bit of an
# amount flipped, which pyarrow refuses and costshare must too.
t3 = pa.table({"authority": ["MBC"] * 40,
               "cost_centre": [f"C{i % 13}" for i in range(40)],
               "amount": pa.array([i % 1000 - 500 for i in range(40)], pa.int64())})
pq.write_table(t3, out / "pyarrow-page-crc.parquet", write_page_checksum=True,
               compression="none", use_dictionary=False)
c = pq.ParquetFile(out / "pyarrow-page-crc.parquet").metadata.row_group(0).column(2)
b = bytearray((out / "pyarrow-page-crc.parquet").read_bytes())
b[c.data_page_offset + c.total_compressed_size // 2 + 1] ^= 1
(out / "pyarrow-page-crc-flipped.parquet").write_bytes(bytes(b))
