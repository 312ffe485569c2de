#!/usr/bin/env bash
# Reads a generated ledger workbook (default 300,000 lines, six columns)
# with costshare (reconcile, which imports every cell with its origin) and
# with fastexcel (calamine underneath, read into Arrow and totalled by
# pyarrow), checks both find the same total to the penny, and prints each
# one's time, the ratio, and the memory costshare holds per cell (its peak
# less its peak on a one-line workbook, over the cells read).
# Usage: scripts/bench-import.sh [ROWS]
# The generated files stay in $TMPDIR/costshare-bench-import-ROWS for the
# next run: delete the folder when done.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-300000}
dir=${TMPDIR:-/tmp}/costshare-bench-import-$rows
cargo build --release -q
bin=target/release/costshare
python3 -c "import fastexcel, pyarrow, xlsxwriter" 2>/dev/null || pip install -q fastexcel pyarrow xlsxwriter
if [ ! -f "$dir/ledger.xlsx" ]; then
  "$bin" generate-ledger --rows "$rows" --seed 1 --out "$dir" --force > /dev/null 2>&1
  python3 scripts/csv_to_xlsx.py "$dir/ledger.csv" "$dir/ledger.xlsx"
  head -2 "$dir/ledger.csv" > "$dir/one.csv"
  python3 scripts/csv_to_xlsx.py "$dir/one.csv" "$dir/one.xlsx"
fi
cat "$dir/ledger.xlsx" > /dev/null
run() {
  /usr/bin/time -f "%e %M" -o "$dir/cs.time" "$bin" reconcile --actuals "$1" --map "$dir/map.csv" \
    --budget "$dir/budget.csv" --format csv > "$dir/costshare.csv" 2> "$dir/costshare.err" || true
  cat "$dir/cs.time"
}
read -r _ base_kb <<<"$(run "$dir/one.xlsx")"
read -r cs_s cs_kb <<<"$(run "$dir/ledger.xlsx")"
cs_total=$(awk -F, '$1=="Total" {print $4}' "$dir/costshare.csv")
fx=$(python3 scripts/import_fastexcel.py "$dir/ledger.xlsx")
fx_s=$(awk '/^seconds/ {print $2}' <<<"$fx")
fx_total=$(awk '/^total/ {print $2}' <<<"$fx")
cells=$(awk '/^cells/ {print $2}' <<<"$fx")
python3 - "$rows" "$cells" "$cs_s" "$cs_kb" "$base_kb" "$fx_s" "$cs_total" "$fx_total" <<'PY'
import sys
rows, cells, cs_s, cs_kb, base_kb, fx_s, cs_total, fx_total = sys.argv[1:]
rows, cells = int(rows), int(cells)
cs_s, fx_s = float(cs_s), float(fx_s)
held = (int(cs_kb) - int(base_kb)) * 1024
print(f"workbook: {rows:,} lines, {cells:,} cells")
print(f"costshare: {cs_s:.2f} s (with start-up, the map and the budgets), peak {int(cs_kb) / 1024:,.0f} MB, {held / cells:,.0f} bytes a cell")
print(f"fastexcel: {fx_s:.2f} s (read into Arrow and totalled)")
print(f"ratio costshare / fastexcel time: {cs_s / fx_s:.2f}")
same = abs(float(cs_total) - float(fx_total)) < 0.005
print(f"total: costshare {cs_total}, fastexcel {fx_total}: {'same' if same else 'DIFFERENT'}")
PY
