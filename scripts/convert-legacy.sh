#!/usr/bin/env bash
# Saves the annual report workbook as old-Excel .xls and LibreOffice .ods,
# with LibreOffice itself, for the messy-input corpus. Needs LibreOffice
# (apt-get install libreoffice-calc-nogui); the results are committed, so the
# tests do not need it.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
cp fixtures/mkip-2012-13.xlsx "$tmp/"
(cd "$tmp" && soffice --headless --convert-to xls mkip-2012-13.xlsx >/dev/null \
           && soffice --headless --convert-to ods mkip-2012-13.xlsx >/dev/null)
cp "$tmp/mkip-2012-13.xls" fixtures/messy/legacy-excel.xls
cp "$tmp/mkip-2012-13.ods" fixtures/messy/libreoffice.ods
rm -rf "$tmp"
echo "wrote fixtures/messy/legacy-excel.xls and fixtures/messy/libreoffice.ods"
