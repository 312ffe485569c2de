#!/usr/bin/env bash
# Reconciles a generated ledger (default 10,000,000 lines) with costshare and
# with DuckDB on the same file, checks both find the same total to the penny,
# and prints rows per second, peak memory and the ratio of the two times.
# FORMAT csv (default) reads ledger.csv; parquet reads ledger.parquet, and
# also prints the peak memory of `generate-ledger --parquet` writing it;
# parquet-one reads ledger-one.parquet, the same lines written by DuckDB as
# one row group (one page a column), the hardest shape to read in bounded memory;
# parquet-dec reads ledger-dec.parquet, the same again with amounts as DECIMAL(18,2).
# Usage: scripts/bench-reconcile.sh [ROWS] [THREADS_FOR_DUCKDB] [csv|parquet|parquet-one|parquet-dec]
# The generated files stay in $TMPDIR/costshare-bench-ROWS for the next run
# (about 2.2 GB at 30 million lines): delete the folder when done.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-10000000}
threads=${2:-2}
format=${3:-csv}
dir=${TMPDIR:-/tmp}/costshare-bench-$rows
cargo build --release -q
bin=target/release/costshare
[ -f "$dir/ledger.csv" ] || "$bin" generate-ledger --rows "$rows" --seed 1 --out "$dir"
if [ "$format" = parquet ] && [ ! -f "$dir/ledger.parquet" ]; then
  /usr/bin/time -f "%e %M" -o "$dir/gen.time" "$bin" generate-ledger --rows "$rows" --seed 1 \
    --out "$dir" --parquet --force > /dev/null
  read -r gen_s gen_kb < "$dir/gen.time"
  echo "generate-ledger --parquet: $gen_s s, peak $((gen_kb / 1024)) MB"
fi
python3 -c "import duckdb" 2>/dev/null || pip install -q duckdb
ledger="$dir/ledger.$format"
if [ "$format" = parquet-one ] || [ "$format" = parquet-dec ]; then
  ledger="$dir/ledger-${format#parquet-}.parquet"
  amount=$([ "$format" = parquet-dec ] && echo "replace (cast(amount as decimal(18,2)) as amount)" || true)
  [ -f "$ledger" ] || python3 -c "import duckdb, sys; duckdb.sql(f\"copy (select * {sys.argv[4]} from read_csv('{sys.argv[1]}/ledger.csv', all_varchar=true)) to '{sys.argv[2]}' (format parquet, row_group_size {int(sys.argv[3]) + 1})\")" "$dir" "$ledger" "$rows" "$amount"
fi
size=$(stat -c %s "$ledger")

# Warm the page cache so both read from memory, as a second run would.
cat "$ledger" > /dev/null

/usr/bin/time -f "%e %M" -o "$dir/cs.time" "$bin" reconcile --actuals "$ledger" \
  --map "$dir/map.csv" --budget "$dir/budget.csv" --format csv > "$dir/costshare.csv"
/usr/bin/time -f "%e %M" -o "$dir/duck.time" python3 scripts/reconcile_duckdb.py "$dir" "$threads" \
  "$format" > "$dir/duckdb.csv" 2> "$dir/duckdb.err"

read -r cs_s cs_kb < "$dir/cs.time"
read -r dk_wall dk_kb < "$dir/duck.time"
dk_s=$(awk '/^seconds/ {print $2}' "$dir/duckdb.err")
dk_total=$(awk '/^total/ {print $2}' "$dir/duckdb.err")
cs_total=$(awk -F, '$1=="Total" {print $4}' "$dir/costshare.csv")
python3 - "$rows" "$size" "$cs_s" "$cs_kb" "$dk_s" "$dk_wall" "$dk_kb" "$cs_total" "$dk_total" "$format" <<'PY'
import sys
rows, size, cs_s, cs_kb, dk_s, dk_wall, dk_kb, cs_total, dk_total = sys.argv[1:10]
rows, size = int(rows), int(size)
cs_s, dk_s, dk_wall = float(cs_s), float(dk_s), float(dk_wall)
print(f"ledger ({sys.argv[10]}): {rows:,} lines, {size / 1e6:,.0f} MB")
print(f"costshare: {cs_s:.2f} s, {rows / cs_s:,.0f} rows/s, {size / 1e6 / cs_s:,.0f} MB/s, peak {int(cs_kb) / 1024:,.0f} MB")
print(f"duckdb:    {dk_s:.2f} s query ({dk_wall:.2f} s with Python start-up), {rows / dk_s:,.0f} rows/s, peak {int(dk_kb) / 1024:,.0f} MB")
print(f"ratio costshare / duckdb query time: {cs_s / dk_s:.2f}")
print(f"total out-turn: costshare {cs_total}, duckdb {dk_total}: {'same' if cs_total == dk_total else 'DIFFERENT'}")
PY
