#!/usr/bin/env python3
"""Writes the ODS fixtures of fixtures/bad/: rows repeated past a sheet's last row
(fixtures/bad/ods-*.ods): a ledger line repeated 2,000,000 times, of which
951,425 lie past row 1,048,576; and one line after 1,048,575 empty padding
rows. calamine capped the repeats and dropped those lines with only a log
line. Also a sheet padded with empty rows to its end, as LibreOffice writes
one, which must still be read. And budgets with a cell shown as a
percentage (0.5 as 50%) and one in euros (€1,312,270): both were read as
pounds (£0.50, £1,312,270); one in pounds (GBP) is still read. And the
same two with no text in the cell (read as blank, the line set aside).

    python3 scripts/make_ods_fixtures.py
"""
import pathlib, zipfile

out = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "bad"
NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def make(name, body):
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS} '
               f'office:version="1.2"><office:body><office:spreadsheet>{body}'
               '</office:spreadsheet></office:body></office:document-content>')
    with zipfile.ZipFile(out / name, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                   'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                   '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                   '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
                   'manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                   '</manifest:manifest>')
        z.writestr("content.xml", content)


def text(t):
    return f'<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>'


def num(v):
    return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'


head = f'<table:table-row>{text("authority")}{text("cost_centre")}{text("amount")}</table:table-row>'
line = f'{text("ADC")}{text("A-A-01")}{num(1)}'
empty = '<table:table-row table:number-rows-repeated="{}"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
make("ods-rows-past-last.ods", f'<table:table table:name="Ledger">{head}'
     f'<table:table-row table:number-rows-repeated="2000000">{line}</table:table-row></table:table>')
make("ods-line-past-last.ods", f'<table:table table:name="Ledger">{head}'
     f'<table:table-row>{line}</table:table-row>{empty.format(1048574)}'
     f'<table:table-row>{line}</table:table-row></table:table>')
make("ods-padded-to-the-end.ods", f'<table:table table:name="Ledger">{head}'
     f'<table:table-row>{line}</table:table-row>{empty.format(1048574)}</table:table>')


def typed(kind, value, shown, currency=None):
    cur = f' office:currency="{currency}"' if currency else ""
    text_p = f'<text:p>{shown}</text:p>' if shown else ""
    return (f'<table:table-cell office:value-type="{kind}"{cur} office:value="{value}">'
            f'{text_p}</table:table-cell>')


budget_head = f'<table:table-row>{text("authority")}{text("service")}{text("budget")}</table:table-row>'
for name, cell in [("ods-budget-percentage.ods", typed("percentage", "0.5", "50%")),
                   ("ods-budget-euros.ods", typed("currency", "1312270", "€1,312,270", "EUR")),
                   ("ods-budget-pounds.ods", typed("currency", "1312270", "£1,312,270", "GBP")),
                   # The code in lower case: pounds still (it was refused).
                   ("ods-budget-pounds-lower-case.ods", typed("currency", "1312270", "£1,312,270", "gbp")),
                   # The same with no text shown: they were read as blank cells.
                   ("ods-budget-percentage-no-text.ods", typed("percentage", "0.5", "")),
                   ("ods-budget-euros-no-text.ods", typed("currency", "1312270", "", "EUR"))]:
    make(name, f'<table:table table:name="Budget">{budget_head}'
         f'<table:table-row>{text("MBC")}{text("Audit")}{cell}</table:table-row></table:table>')
