"""bench/optimizer_truth.py's oracle inputs: the revenue it feeds the optimizer instead of the
attributed revenue (`--revenue causal|poisson`) must be exactly the generator's expected
incremental revenue, or Poisson order counts around it, on the history's own dates; a bad
`--seed` list is refused by name."""
from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from insight_service.optimizer import ChannelHistory
from insight_service.sample_data.generator import generate
from insight_service.sample_data.planning import NET_REVENUE_FACTOR

BENCH = Path(__file__).resolve().parents[1] / "bench" / "optimizer_truth.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("optimizer_truth", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # (its dataclasses look their module up there)
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


@pytest.fixture(scope="module")
def plan():
    return generate(seed=3, scale=0.05, months=3, end_date=dt.date(2025, 6, 30)).plans[0]


def histories(plan, first: int, days: int) -> list[ChannelHistory]:
    """Attributed-looking histories of days [first, first + days) with a marker revenue of -1,
    plus an unpaid channel that has no true curve."""
    dates = np.datetime64(plan.start.isoformat(), "D") + first + np.arange(days)

    def cost(c):  # (zero past the generated days)
        x = plan.drivers[c][first : first + days]
        return np.concatenate([x, np.zeros(days - x.size)])

    out = [ChannelHistory(c, dates, cost(c), np.full(days, -1.0))
           for c in sorted(plan.channel_revenue)]
    return out + [ChannelHistory("direct", dates, np.zeros(days), np.full(days, 7.0))]


def test_causal_input_is_the_expected_incremental_revenue_on_the_same_days(bench, plan):
    hs = histories(plan, 20, 45)
    out = bench.substitute_revenue(hs, plan, "causal")
    assert [h.channel for h in out] == [h.channel for h in hs]
    for before, after in zip(hs, out):
        np.testing.assert_array_equal(after.dates, before.dates)
        np.testing.assert_array_equal(after.cost, before.cost)
        if before.channel == "direct":
            np.testing.assert_array_equal(after.revenue, before.revenue)
        else:
            np.testing.assert_allclose(after.revenue, plan.channel_revenue[before.channel][20:65])
            assert after.revenue.sum() > 0


def test_poisson_input_is_whole_orders_around_the_expected_revenue(bench, plan):
    per_order = plan.spec.aov * NET_REVENUE_FACTOR
    rng = np.random.default_rng(1)
    draws = [bench.substitute_revenue(histories(plan, 0, plan.n_days), plan, "poisson", rng) for _ in range(200)]
    for i, channel in enumerate(sorted(plan.channel_revenue)):
        revenue = np.array([d[i].revenue for d in draws])  # (draws, days)
        orders = revenue / per_order
        np.testing.assert_allclose(orders, np.round(orders), atol=1e-9)  # whole orders
        expected = plan.channel_lambda[channel].sum()
        total = orders.sum(axis=1)  # Poisson(expected) per draw
        assert abs(total.mean() - expected) < 4 * np.sqrt(expected / len(draws)) + 1e-9, channel
        if expected > 5:
            assert total.std() > 0.5 * np.sqrt(expected), channel  # real noise, not the mean
    assert not np.array_equal(draws[0][0].revenue, draws[1][0].revenue)


def test_attributed_input_is_left_alone_and_bad_modes_are_refused(bench, plan):
    hs = histories(plan, 0, 30)
    assert bench.substitute_revenue(hs, plan, "attributed") == hs
    with pytest.raises(ValueError, match="revenue input must be one of"):
        bench.substitute_revenue(hs, plan, "modelled")
    with pytest.raises(ValueError, match="random generator"):
        bench.substitute_revenue(hs, plan, "poisson")
    late = histories(plan, plan.n_days - 10, 30)  # runs past the generated days
    with pytest.raises(ValueError, match="outside the generated days"):
        bench.substitute_revenue(late, plan, "causal")


def test_seed_lists_are_parsed_and_bad_ones_are_refused_by_name(bench, capsys):
    assert bench.seed_list("42") == [42]
    assert bench.seed_list("42, 7,1,7") == [42, 7, 1]
    for bad, says in (("42,x", "integers separated by commas"), (",", "at least one seed")):
        with pytest.raises(SystemExit) as exc:
            bench.main(["--seed", bad])
        assert exc.value.code == 2
        assert says in capsys.readouterr().err
    with pytest.raises(SystemExit):  # one database holds one built sample
        bench.main(["--seed", "42,7", "--skip-build"])
    assert "--skip-build needs a single --seed" in capsys.readouterr().err
