#!/usr/bin/env python3
"""Recalculates every report workbook in LibreOffice and checks that each
formula gives the figure costshare cached in it.

costshare writes live formulas (totals, shares, present values, NPV,
score) with their values cached, so that a reader that does not calculate
still sees the figures. This checks the formulas themselves: it strips
every cached value, lets LibreOffice (headless) calculate the workbook
afresh, and compares each formula cell, rounded to the places of the
figure costshare wrote (a present value is cached as the table prints it,
in whole pounds; the sheet holds it unrounded), with that figure.

usage: scripts/recalc-check.py [REPORTS_DIR]   (default: reports)
Exit 0 when all agree, 1 when any differs, 0 with a message when
LibreOffice is not installed.
"""
import decimal
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"[^>]*?>(<f[^>]*>.*?</f>|<f[^>]*/>)<v>([^<]*)</v>', re.S)


def formula_values(path):
    """{(sheet file, cell): cached value} for every formula cell with a number."""
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
                for cell, _f, v in CELL.findall(z.read(name).decode("utf-8")):
                    try:
                        out[(name, cell)] = decimal.Decimal(v)
                    except decimal.InvalidOperation:
                        pass
    return out


def stripped(src, dst):
    """A copy of workbook `src` with no formula's value cached."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                text = re.sub(r"(</f>|<f[^>]*/>)<v>[^<]*</v>", r"\1", text)
                data = text.encode("utf-8")
            zout.writestr(item, data)


def main():
    reports = sys.argv[1] if len(sys.argv) > 1 else "reports"
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("recalc-check: LibreOffice is not installed; skipped")
        return 0
    books = sorted(glob.glob(os.path.join(reports, "*", "*.xlsx")))
    work = tempfile.mkdtemp(prefix="costshare-recalc-")
    bad = checked = 0
    try:
        for book in books:
            want = formula_values(book)
            base = os.path.basename(book)
            src = os.path.join(work, "in", base)
            os.makedirs(os.path.dirname(src), exist_ok=True)
            stripped(book, src)
            subprocess.run(
                [soffice, "--headless", "--calc", "--convert-to", "xlsx",
                 "--outdir", os.path.join(work, "out"), src],
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300,
            )
            got = formula_values(os.path.join(work, "out", base))
            for key, value in sorted(want.items()):
                again = got.get(key)
                places = decimal.Decimal(1).scaleb(value.as_tuple().exponent)
                if again is None or again.quantize(places, decimal.ROUND_HALF_UP) != value:
                    bad += 1
                    print(f"{book}: {key[0]} {key[1]}: cached {value}, LibreOffice gets {again}")
                checked += 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"recalc-check: {checked} formulas in {len(books)} workbooks, {bad} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
