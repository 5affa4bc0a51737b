"""Benchmark of the service's in-process computations (prints figures; not a test).

    .venv/bin/python bench/compute_benchmark.py

- Markov removal-effect attribution on 4,000 distinct paths over 8 channels: the service's
  engine (`markov_from_transitions`) on the paths aggregated into transition counts by the
  test oracle's `transition_counts` (the Python twin of the warehouse's SQL aggregation);
- the budget optimizer on 5 channels x 90 days with 200 bootstrap samples.
"""
from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from insight_service.attribution.markov import markov_from_transitions
from insight_service.optimizer import ChannelHistory, optimize
from insight_service.optimizer.response import ResponseCurve

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for pytests.support
from pytests.support.markov_oracle import PathCount, transition_counts  # noqa: E402

CHANNELS = ["seo", "influencer", "social", "ads", "email", "referral", "direct", "unattributed"]


def timed(fn, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def markov_paths(n: int = 4000) -> list[PathCount]:
    rng = random.Random(5)
    seen, paths = set(), []
    while len(paths) < n:
        path = tuple(rng.choice(CHANNELS) for _ in range(rng.randint(1, 8)))
        if path not in seen:
            seen.add(path)
            conv = rng.randint(0, 5)
            paths.append(PathCount(path, conv, conv * 50.0, rng.randint(0, 20)))
    return paths


def optimizer_histories(days: int = 90) -> list[ChannelHistory]:
    rng = np.random.default_rng(3)
    dates = np.arange(np.datetime64("2025-01-01"), np.datetime64("2025-01-01") + days)
    curves = [ResponseCurve(c, beta=b, half_saturation=k, shape=s, carryover=a)
              for c, b, k, s, a in [("ads", 3000, 400, 1.5, 0.3), ("social", 1500, 200, 1.0, 0.2),
                                     ("seo", 2000, 300, 1.2, 0.6), ("influencer", 1200, 250, 2.0, 0.5),
                                     ("email", 800, 60, 0.9, 0.1)]]
    out = []
    for curve in curves:
        cost = np.maximum(0, curve.half_saturation * (0.6 + 0.5 * rng.random(days)))
        revenue = curve.daily_revenue(cost) * rng.normal(1, 0.15, days)
        out.append(ChannelHistory(curve.channel, dates, cost, np.maximum(revenue, 0)))
    return out


def report(name: str, seconds: list[float]) -> None:
    ms = sorted(s * 1000 for s in seconds)
    print(f"{name:<44} runs {len(ms):>3}  median {statistics.median(ms):8.1f} ms  best {ms[0]:8.1f} ms  "
          f"worst {ms[-1]:8.1f} ms")


def main() -> None:
    paths = markov_paths()
    report("markov: 4,000 paths x 8 channels", timed(lambda: markov_from_transitions(transition_counts(paths)), 20))
    histories = optimizer_histories()
    total = float(sum(h.cost[-30:].sum() for h in histories))
    report("optimizer: 5 channels x 90 days, 200 bootstrap", timed(lambda: optimize(histories, total), 5))


if __name__ == "__main__":
    main()
