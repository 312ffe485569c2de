#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), starting from the
# committed seed corpus (fuzz/corpus/<target>/, made from the fixtures).
# cargo-fuzz needs nightly features; RUSTC_BOOTSTRAP lets the stable
# toolchain use them. Installs cargo-fuzz on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
for t in csv_import workbook_import money_parse model_parse; do
  mkdir -p "fuzz/corpus/$t"
  echo "fuzz: $t for ${seconds}s"
  cargo fuzz run "$t" "fuzz/corpus/$t" -- -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048
done
echo "fuzz: no crash"
