#!/usr/bin/env python3
"""The peer of costshare's workbook import: fastexcel (calamine underneath,
as costshare) reads the ledger sheet into Arrow; pyarrow then totals the
amounts by authority and cost centre, so both do the same job. Prints the
read time, the grand total and the cells read, for scripts/bench-import.sh.

    python3 scripts/import_fastexcel.py ledger.xlsx
"""
import sys
import time

import fastexcel
import pyarrow

t0 = time.perf_counter()
sheet = fastexcel.read_excel(sys.argv[1]).load_sheet(0)
table = pyarrow.Table.from_batches([sheet.to_arrow()])
by_key = table.group_by(["authority", "cost_centre"]).aggregate([("amount", "sum")])
elapsed = time.perf_counter() - t0
total = sum(by_key.column("amount_sum").to_pylist())
print(f"seconds {elapsed:.3f}")
print(f"total {total:.2f}")
print(f"cells {table.num_rows * table.num_columns}")
