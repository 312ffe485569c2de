#!/usr/bin/env python3
"""The peer of `costshare bench --model models/planning-support.toml`: the same
trials in numpy, vectorised, in floats (not exact), on one core.

Each trial draws what `bench` draws: the redundancy allowance for 2014/15
(triangular, £58,500 to £234,000, most likely £117,000), the share of savings
realised (triangular 0.6 to 1.0, most likely 0.9), optimism bias on every
investment cost (uniform 0 to 40 %) and months late (uniform 0 to 12). It works
out what `simulate` does: the case total and its tolerance, costs and savings by
year, NPV at 3.5 %, the investment score, the payback year and each partner's
own NPV (its share of the costs by baseline budget against its own saving).
Prints trials per second and the median NPV, for scripts/bench-simulate.sh.

    python3 scripts/simulate_numpy.py TRIALS
"""
import sys
import time

import numpy as np

trials = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
rng = np.random.default_rng(42)

# models/planning-support.toml: costs by year 2013/14 .. 2017/18 without the
# redundancy allowance (drawn), the allowance's year, and the central budget.
case_items = np.array([16400.0, 27300.0, 20000.0, 15000.0, 0.0])
central = np.array([15000.0, 5000.0, 0.0, 0.0, 0.0])
redundancy_year = 1
baseline = np.array([253753.0, 303926.0, 403716.0])
cost_share = np.array([207299.0, 248287.0, 329808.0])
already = np.array([0.0, 21940.0, 0.0])
net_saving = baseline - cost_share - already  # per partner, per annum
start = 1  # savings from 2014/15
years = 5
df = 1.0 / 1.035 ** np.arange(years)
weights = baseline / baseline.sum()
approved = case_items.sum() + 117000.0
tolerance_max = approved * 1.10

CHUNK = 1 << 20


def chunk(n):
    red = rng.triangular(58500.0, 117000.0, 234000.0, n)
    real = rng.triangular(0.6, 0.9, 1.0, n)
    ob = rng.uniform(0.0, 0.40, n)
    slip = rng.uniform(0.0, 12.0, n)
    items = np.tile(case_items, (n, 1))
    items[:, redundancy_year] += red
    uplift = (1.0 + ob)[:, None]
    costs = (items + central) * uplift
    case_total = items.sum(axis=1) * (1.0 + ob)
    # Savings: a full year's from the start year, the first year cut by the
    # months late (a year late: none that year).
    frac = np.ones((n, years))
    frac[:, :start] = 0.0
    frac[:, start] = np.clip((12.0 - slip) / 12.0, 0.0, 1.0)
    per_year = net_saving.sum() * real
    savings = frac * per_year[:, None]
    pvc = costs @ df
    pvs = savings @ df
    npv = pvs - pvc
    score = np.divide(pvs, pvc, out=np.full(n, np.inf), where=pvc != 0)
    cum = np.cumsum(savings - costs, axis=1)
    paid = cum >= 0
    payback = np.where(paid.any(axis=1), paid.argmax(axis=1), years)
    # Each partner: its share of the costs against its own saving.
    own_pvc = pvc[:, None] * weights[None, :]
    own_pvs = (frac @ df)[:, None] * (net_saving[None, :] * real[:, None])
    worse = ((own_pvs - own_pvc) < 0).sum(axis=0)
    return npv, score, payback, case_total > tolerance_max, worse


t0 = time.perf_counter()
npvs, breaches, worse = [], 0, np.zeros(3)
done = 0
while done < trials:
    n = min(CHUNK, trials - done)
    npv, score, payback, breach, w = chunk(n)
    npvs.append(npv)
    breaches += int(breach.sum())
    worse += w
    done += n
npv = np.sort(np.concatenate(npvs))
elapsed = time.perf_counter() - t0
print(f"trials: {trials}")
print(f"seconds: {elapsed:.3f}")
print(f"trials per second: {trials / elapsed:.0f}")
print(f"P50 NPV: £{npv[len(npv) // 2]:,.0f}")
