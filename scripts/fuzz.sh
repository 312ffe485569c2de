#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), starting from the
# committed seed corpus (fuzz/corpus/<target>/), optimised and with debug
# assertions, so integer overflow is a crash too. TARGETS may name some.
# cargo-fuzz needs nightly features; RUSTC_BOOTSTRAP lets the stable
# toolchain use them. Installs cargo-fuzz on first use.
#
#   scripts/fuzz.sh 600                    # every target, 10 minutes each
#   scripts/fuzz.sh 60 ledger_csv money_parse
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
all="csv_import workbook_import money_parse model_parse ledger_csv scenario_set reconcile_arith parquet_ledger"
targets=${*:-$all}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
for t in $targets; do
  features=()
  leaks=()
  # The Parquet target builds polars; the others do not need it. It reads
  # with threads, and LeakSanitizer can catch a finished thread before glibc
  # frees its thread-exit list (32 bytes from __cxa_thread_atexit_impl, not
  # costshare's): leak checks are off for it.
  [ "$t" = parquet_ledger ] && features=(--features parquet) && leaks=(-detect_leaks=0)
  mkdir -p "fuzz/corpus/$t"
  echo "fuzz: $t for ${seconds}s"
  cargo fuzz run -O --debug-assertions "${features[@]}" "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -malloc_limit_mb=512 -timeout=10 \
    "${leaks[@]}"
done
echo "fuzz: no crash"
