#!/usr/bin/env python3
"""Writes a generated ledger CSV as a workbook, as a finance system's export
would be: one sheet, dates as Excel dates, account codes and amounts as
numbers, descriptions as shared strings. For scripts/bench-import.sh.

    python3 scripts/csv_to_xlsx.py ledger.csv ledger.xlsx
"""
import csv
import datetime
import sys

import xlsxwriter

src, out = sys.argv[1], sys.argv[2]
wb = xlsxwriter.Workbook(out, {"constant_memory": True})
ws = wb.add_worksheet("ledger")
date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
money = wb.add_format({"num_format": "#,##0.00"})
with open(src, newline="", encoding="utf-8") as f:
    for r, row in enumerate(csv.reader(f)):
        if r == 0:
            ws.write_row(0, 0, row)
            continue
        ws.write_datetime(r, 0, datetime.datetime.strptime(row[0], "%Y-%m-%d"), date_fmt)
        ws.write_string(r, 1, row[1])
        ws.write_string(r, 2, row[2])
        ws.write_number(r, 3, int(row[3]))
        ws.write_string(r, 4, row[4])
        ws.write_number(r, 5, float(row[5]), money)
wb.close()
