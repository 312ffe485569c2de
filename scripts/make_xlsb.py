#!/usr/bin/env python3
"""Writes small .xlsb workbooks record by record (MS-XLSB BIFF12), for the
tests and the fuzz seed corpus: no spreadsheet library writes xlsb.

    python3 scripts/make_xlsb.py   # writes fixtures/messy/budget.xlsb and fixtures/bad/xlsb-*.xlsb
"""
import struct, zipfile, pathlib

def rec(typ, body=b""):
    # Record type: 7 bits a byte, low first; length likewise (MS-XLSB 2.1.4).
    t = bytes([typ]) if typ < 0x80 else bytes([(typ & 0x7F) | 0x80, typ >> 7])
    n, ln = len(body), bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        ln.append(b | (0x80 if n else 0))
        if not n:
            break
    return t + bytes(ln) + body

def wide(s):
    return struct.pack("<I", len(s)) + s.encode("utf-16-le")

def workbook(sheet_name="budget"):
    bundle = struct.pack("<II", 0, 1) + wide("rId1") + wide(sheet_name)
    return rec(0x009C, bundle) + rec(0x0090) + rec(0x009D, b"\0" * 8)

def row(r):
    return rec(0x0000, struct.pack("<I", r) + b"\0" * 13)

def real(col, v):
    return rec(0x0005, struct.pack("<IId", col, 0, v))

def text(col, s):
    return rec(0x0006, struct.pack("<II", col, 0) + wide(s))

def sheet(cells, dim=(0, 0, 0, 0)):
    body = rec(0x0081) + rec(0x0094, struct.pack("<IIII", *dim)) + rec(0x0091)
    return body + cells + rec(0x0092) + rec(0x0082)

RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.bin"/></Relationships>')
TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>')

def write(path, sheet_bin):
    path = pathlib.Path(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in [("[Content_Types].xml", TYPES), ("xl/_rels/workbook.bin.rels", RELS),
                           ("xl/workbook.bin", workbook()), ("xl/worksheets/sheet1.bin", sheet_bin)]:
            info = zipfile.ZipInfo(name, (2013, 6, 12, 0, 0, 0))  # fixed: byte-identical
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)

if __name__ == "__main__":
    root = pathlib.Path(__file__).resolve().parent.parent
    good = (row(0) + text(0, "authority") + text(1, "service") + text(2, "budget")
            + row(1) + text(0, "MBC") + text(1, "Audit") + real(2, 299700)
            + row(2) + text(0, "SBC") + text(1, "Audit") + real(2, 1234.5))
    write(root / "fixtures/messy/budget.xlsb", sheet(good, (0, 2, 0, 2)))
    # Column 0xFFFFFFFF: the width overflowed and the sheet came back empty.
    write(root / "fixtures/bad/xlsb-far-column.xlsb",
          sheet(row(0) + real(0, 1) + real(0xFFFFFFFF, 2)))
    # A number record 4 bytes short: read from the last record's bytes, an invented 0.
    short = rec(0x0005, struct.pack("<II", 1, 0) + b"\0" * 4)
    write(root / "fixtures/bad/xlsb-short-record.xlsb",
          sheet(row(0) + real(0, 7) + row(1) + short))
    # Two cells 1,048,575 rows and 16,383 columns apart: a 17-billion-cell range.
    write(root / "fixtures/bad/xlsb-huge-span.xlsb",
          sheet(row(0) + real(0, 1) + row(1048575) + real(16383, 2)))
