#!/usr/bin/env bash
# Simulates the Planning Support case (default 1,000,000 trials) with
# `costshare bench` (every core, every figure shown exact) and with numpy (floats,
# vectorised, one core: scripts/simulate_numpy.py draws the same inputs),
# and prints each one's trials per second, the median NPV of each (they
# agree to within the noise of different random streams) and the ratio.
# Usage: scripts/bench-simulate.sh [TRIALS]
set -euo pipefail
cd "$(dirname "$0")/.."
trials=${1:-1000000}
cargo build --release -q
python3 -c "import numpy" 2>/dev/null || pip install -q numpy
cs=$(target/release/costshare bench --model models/planning-support.toml --trials "$trials")
np=$(python3 scripts/simulate_numpy.py "$trials")
echo "costshare ($(awk '/^cores/ {print $2}' <<<"$cs") cores, figures exact):"
grep -E "seconds|per second|P50" <<<"$cs" | sed 's/^/  /'
echo "numpy (one core, floats):"
grep -E "seconds|per second|P50" <<<"$np" | sed 's/^/  /'
cs_rate=$(awk '/trials per second/ {print $4}' <<<"$cs")
np_rate=$(awk '/trials per second/ {print $4}' <<<"$np")
awk -v c="$cs_rate" -v n="$np_rate" 'BEGIN {
  printf "ratio costshare / numpy trials per second: %.2f (goal: 1.2 million a second, %.2f of it)\n", c / n, c / 1200000 }'
