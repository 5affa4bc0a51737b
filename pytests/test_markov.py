"""Tests for insight_service.attribution.markov (exact Markov removal-effect attribution) and its
path-based oracle (pytests/support/markov_oracle.py), which the service's engine must match.

Hand-computed expectations: the arithmetic is in the comments. Notation: s(x) = probability
of being absorbed in (conversion) starting from state x; P = s(start).
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from fractions import Fraction as F

import numpy as np
import pytest

from insight_service.attribution import (
    CONVERSION,
    NULL,
    START,
    MarkovChainError,
    MarkovResult,
    TransitionCounts,
    markov_from_transitions,
    round_preserving_total,
)
from insight_service.attribution.markov import _absorption_probabilities
from pytests.support.markov_oracle import PathCount, markov_attribution, parse_path, transition_counts

TOL = 1e-9


def pc(path: str, conversions: float, value: float, nulls: float) -> PathCount:
    return PathCount(parse_path(path), conversions, value, nulls)


def approx_dict(actual: dict, expected: dict, tol: float = TOL) -> None:
    assert set(actual) == set(expected), (actual, expected)
    for key, value in expected.items():
        assert actual[key] == pytest.approx(float(value), abs=tol), (key, actual[key], value)


# ---------------------------------------------------------------------------------------
# Classic example
#   c1 > c2 > c3 : 1 conversion (value 90), 0 null
#   c1           : 0 conversions, 1 null
#   c2 > c3      : 0 conversions, 1 null
# Transition counts (each path adds conversions + nulls = 1 per step):
#   start->c1 2, start->c2 1  => start: c1 2/3, c2 1/3
#   c1->c2 1, c1->null 1      => c1: c2 1/2, null 1/2
#   c2->c3 2                  => c2: c3 1
#   c3->conv 1, c3->null 1    => c3: conv 1/2, null 1/2
# s(c3) = 1/2, s(c2) = 1/2, s(c1) = 1/2 * 1/2 = 1/4
# P = 2/3 * 1/4 + 1/3 * 1/2 = 1/6 + 1/6 = 1/3   (= 1 conversion / 3 path weight)
# Without c1: start->c1 goes to null: P = 1/3 * 1/2 = 1/6 -> RE = 1 - (1/6)/(1/3) = 1/2
# Without c2: every conversion passes c2: P = 0 -> RE = 1;  without c3: P = 0 -> RE = 1
# sum RE = 5/2 -> shares 1/5, 2/5, 2/5 -> conversions 0.2, 0.4, 0.4; value 18, 36, 36
# ---------------------------------------------------------------------------------------
CLASSIC = [pc("c1 > c2 > c3", 1, 90, 0), pc("c1", 0, 0, 1), pc("c2 > c3", 0, 0, 1)]


def test_classic_example():
    r = markov_attribution(CLASSIC)
    assert isinstance(r, MarkovResult)
    assert r.conversion_probability == pytest.approx(1 / 3, abs=TOL)
    approx_dict(r.conversion_probability_without, {"c1": 1 / 6, "c2": 0, "c3": 0})
    approx_dict(r.removal_effects, {"c1": 0.5, "c2": 1.0, "c3": 1.0})
    approx_dict(r.conversions, {"c1": 0.2, "c2": 0.4, "c3": 0.4})
    approx_dict(r.revenue, {"c1": 18, "c2": 36, "c3": 36})
    assert r.total_conversions == 1 and r.total_value == 90


def test_classic_transition_matrix():
    r = markov_attribution(CLASSIC)
    assert r.states == (START, "c1", "c2", "c3", CONVERSION, NULL)
    expected = np.array(
        [
            # start  c1   c2   c3  conv null
            [0, 2 / 3, 1 / 3, 0, 0, 0],  # start
            [0, 0, 1 / 2, 0, 0, 1 / 2],  # c1
            [0, 0, 0, 1, 0, 0],  # c2
            [0, 0, 0, 0, 1 / 2, 1 / 2],  # c3
            [0, 0, 0, 0, 1, 0],  # conversion (absorbing)
            [0, 0, 0, 0, 0, 1],  # null (absorbing)
        ]
    )
    np.testing.assert_allclose(r.transition_matrix, expected, atol=TOL)
    np.testing.assert_allclose(r.transition_matrix.sum(axis=1), 1.0, atol=TOL)


# ---------------------------------------------------------------------------------------
# Revisits and a self-loop
#   A  seo > ads > seo : 2 conv, value 300, 1 null  (weight 3)
#   B  ads             : 1 conv, value  50, 3 null  (weight 4)
#   C  seo > seo       : 0 conv,           2 null  (weight 2)
#   D  email > ads     : 1 conv, value 100, 1 null  (weight 2)
# Counts:
#   start: seo 3+2=5, ads 4, email 2 (total 11)
#   seo:   ads 3 (A), seo 2 (C self-loop), conv 2 (A), null 1 (A) + 2 (C) = 3  -> total 10
#          => seo->seo 0.2, seo->ads 0.3, seo->conv 0.2, seo->null 0.3
#   ads:   seo 3 (A), conv 1 (B) + 1 (D) = 2, null 3 (B) + 1 (D) = 4          -> total 9
#          => ads->seo 1/3, ads->conv 2/9, ads->null 4/9
#   email: ads 2 -> email->ads 1
# Full chain:
#   s = 0.2 s + 0.3 a + 0.2 ;  a = s/3 + 2/9 ;  e = a
#   0.8 s = 0.1 s + 1/15 + 1/5 -> 0.7 s = 4/15 -> s = 8/21 ; a = 8/63 + 14/63 = 22/63
#   P = 5/11 * 24/63 + 4/11 * 22/63 + 2/11 * 22/63 = (120 + 88 + 44) / 693 = 252/693 = 4/11
#   (= 4 conversions / 11 path weight)
# Without seo: a = 2/9, e = a ; P = (4/11 + 2/11) * 2/9 = 4/33 ; RE = 1 - (4/33)/(4/11) = 2/3
# Without ads: s = 0.2 s + 0.2 -> s = 1/4 ; e = 0 ; P = 5/11 * 1/4 = 5/44 ; RE = 1 - 5/16 = 11/16
# Without email: P = 120/693 + 88/693 = 208/693 ; RE = 1 - 208/252 = 44/252 = 11/63
# sum RE = 2/3 + 11/16 + 11/63 = (672 + 693 + 176)/1008 = 1541/1008
# conversions (total 4): seo 4*672/1541, ads 4*693/1541, email 4*176/1541
# value (total 450):     seo 450*672/1541, ads 450*693/1541, email 450*176/1541
# ---------------------------------------------------------------------------------------
REVISITS = [
    pc("seo > ads > seo", 2, 300, 1),
    pc("ads", 1, 50, 3),
    pc("seo > seo", 0, 0, 2),
    pc("email > ads", 1, 100, 1),
]
RE_REVISITS = {"seo": F(2, 3), "ads": F(11, 16), "email": F(11, 63)}
WEIGHTS_REVISITS = {"seo": 672, "ads": 693, "email": 176}


def test_revisits_and_self_loop():
    r = markov_attribution(REVISITS)
    assert r.conversion_probability == pytest.approx(4 / 11, abs=TOL)
    approx_dict(
        r.conversion_probability_without,
        {"seo": F(4, 33), "ads": F(5, 44), "email": F(208, 693)},
    )
    approx_dict(r.removal_effects, RE_REVISITS)
    approx_dict(r.conversions, {c: F(4 * w, 1541) for c, w in WEIGHTS_REVISITS.items()})
    approx_dict(r.revenue, {c: F(450 * w, 1541) for c, w in WEIGHTS_REVISITS.items()})
    seo = r.states.index("seo")
    assert r.transition_matrix[seo, seo] == pytest.approx(0.2, abs=TOL)  # self-loop is kept
    assert r.transition_matrix[seo, r.states.index("ads")] == pytest.approx(0.3, abs=TOL)
    assert r.transition_matrix[seo, r.states.index(CONVERSION)] == pytest.approx(0.2, abs=TOL)


def test_self_loop_does_not_change_absorption():
    # collapsing 'seo > seo' to 'seo' changes the seo row to ads 3/8, conv 2/8, null 3/8,
    # i.e. the same relative odds as 0.3 : 0.2 : 0.3, so nothing downstream changes
    collapsed = [p if p.path != ("seo", "seo") else pc("seo", 0, 0, 2) for p in REVISITS]
    a, b = markov_attribution(REVISITS), markov_attribution(collapsed)
    approx_dict(a.removal_effects, b.removal_effects)
    approx_dict(a.conversions, b.conversions)
    assert a.conversion_probability == pytest.approx(b.conversion_probability, abs=TOL)


def test_conversion_probability_equals_empirical_rate():
    # first-order chains estimated from complete paths reproduce the observed conversion rate
    rng = random.Random(7)
    paths = random_paths(rng, n=200)
    r = markov_attribution(paths)
    conv = sum(p.conversions for p in paths)
    weight = sum(p.conversions + p.null_conversions for p in paths)
    assert r.conversion_probability == pytest.approx(conv / weight, abs=TOL)


# ---------------------------------------------------------------------------------------
# Higher order: paths  a > b (1 conv), c > b (1 null)
# order 1: start a 1/2, c 1/2; a->b, c->b; b: conv 1/2, null 1/2 -> P = 1/2
#   without a: P = 1/2 * 1/2 = 1/4 -> RE 1/2 ; without c: RE 1/2 ; without b: RE 1
# order 2: states a, c, (a,b), (c,b); (a,b)->conv 1, (c,b)->null 1 -> P = 1/2
#   without a: P = 0 -> RE 1 ; without c: P = 1/2 -> RE 0 ; without b: RE 1
# ---------------------------------------------------------------------------------------
def test_order_two_distinguishes_history():
    paths = [pc("a > b", 1, 10, 0), pc("c > b", 0, 0, 1)]
    first = markov_attribution(paths)
    approx_dict(first.removal_effects, {"a": 0.5, "b": 1.0, "c": 0.5})
    approx_dict(first.conversions, {"a": 0.25, "b": 0.5, "c": 0.25})
    second = markov_attribution(paths, order=2)
    assert second.conversion_probability == pytest.approx(0.5, abs=TOL)
    approx_dict(second.removal_effects, {"a": 1.0, "b": 1.0, "c": 0.0})
    approx_dict(second.conversions, {"a": 0.5, "b": 0.5, "c": 0.0})
    approx_dict(second.revenue, {"a": 5, "b": 5, "c": 0})
    assert "a > b" in second.states and "c > b" in second.states


def test_order_two_equals_order_one_on_classic():
    # order 2 states: c1, c1>c2, c2>c3 (path 1), c1 (path 2), c2, c2>c3 (path 3)
    # start: c1 2/3, c2 1/3; c1: c1>c2 1/2, null 1/2; c1>c2 -> c2>c3; c2 -> c2>c3;
    # c2>c3: conv 1/2 -> same numbers as order 1
    r = markov_attribution(CLASSIC, order=2)
    approx_dict(r.removal_effects, {"c1": 0.5, "c2": 1.0, "c3": 1.0})


def test_order_three_states_and_labels():
    # 'a > b > a > b' (1 conv): windows a, a>b, a>b>a, b>a>b ; 'b' (1 null): window b
    # start: a 1/2, b 1/2 ; every window row is deterministic ; b>a>b -> conv, b -> null
    # P = 1/2 ; removing a or b kills the only converting path -> RE 1 each
    r = markov_attribution([pc("a > b > a > b", 1, 8, 0), pc("b", 0, 0, 1)], order=3)
    assert set(r.states) == {START, "a", "b", "a > b", "a > b > a", "b > a > b", CONVERSION, NULL}
    assert r.conversion_probability == pytest.approx(0.5, abs=TOL)
    approx_dict(r.removal_effects, {"a": 1.0, "b": 1.0})
    approx_dict(r.revenue, {"a": 4, "b": 4})
    np.testing.assert_allclose(r.transition_matrix.sum(axis=1), 1.0, atol=TOL)


def test_order_too_high_for_integer_keys():
    with pytest.raises(ValueError, match="too high"):
        markov_attribution(CLASSIC, order=40)


@pytest.mark.parametrize("order", [0, -1, 1.5, True])
def test_invalid_order(order):
    with pytest.raises(ValueError):
        markov_attribution(CLASSIC, order=order)


# ---------------------------------------------------------------------------------------
# Invariances and totals
# ---------------------------------------------------------------------------------------
def test_input_order_does_not_matter():
    rng = random.Random(3)
    paths = random_paths(rng, n=300)
    paths = paths + [PathCount(p.path, p.conversions / 3, p.conversion_value, 0.1) for p in paths[:50]]
    shuffled = list(paths)
    rng.shuffle(shuffled)
    a, b = markov_attribution(paths), markov_attribution(shuffled)
    assert a.removal_effects == b.removal_effects
    assert a.conversions == b.conversions
    assert a.revenue == b.revenue
    np.testing.assert_array_equal(a.transition_matrix, b.transition_matrix)


def test_duplicate_rows_are_summed():
    # the same path in several (store, month) rows == one row with the sums
    split = [pc("c1 > c2 > c3", 0.25, 30, 0), pc("c1 > c2 > c3", 0.75, 60, 0)] + CLASSIC[1:]
    a, b = markov_attribution(split), markov_attribution(CLASSIC)
    approx_dict(a.removal_effects, b.removal_effects)
    approx_dict(a.revenue, b.revenue)


def test_scaling_counts_leaves_removal_effects_unchanged():
    scaled = [PathCount(p.path, 10 * p.conversions, 10 * p.conversion_value, 10 * p.null_conversions) for p in REVISITS]
    a, b = markov_attribution(REVISITS), markov_attribution(scaled)
    approx_dict(b.removal_effects, a.removal_effects)
    approx_dict(b.conversions, {c: 10 * v for c, v in a.conversions.items()})
    approx_dict(b.revenue, {c: 10 * v for c, v in a.revenue.items()}, tol=1e-7)


def test_credited_totals_equal_input_totals():
    rng = random.Random(11)
    paths = random_paths(rng, n=500, with_unattributed=True)
    r = markov_attribution(paths)
    total_conv = math.fsum(p.conversions for p in paths)
    total_value = math.fsum(p.conversion_value for p in paths)
    assert math.isclose(r.total_conversions, total_conv, rel_tol=1e-12)
    assert math.isclose(r.total_value, total_value, rel_tol=1e-12)
    assert math.isclose(math.fsum(r.conversions.values()), total_conv, rel_tol=1e-12)
    assert math.isclose(math.fsum(r.revenue.values()), total_value, rel_tol=1e-12)
    assert all(0.0 <= v <= 1.0 for v in r.removal_effects.values())
    # rounded output is exact to the cent
    d = r.to_dict()
    cents = sum(round(v * 100) for v in d["revenue"].values())
    assert cents == round(total_value * 100)
    assert sum(round(v * 100) for v in d["conversions"].values()) == round(total_conv * 100)
    assert all(round(v, 2) == v for v in d["revenue"].values())


def test_round_preserving_total_puts_residue_on_largest():
    # 100/3 each -> 33.33 * 3 = 99.99; the missing cent goes to the largest ('b', 33.34)
    values = {"a": 100 / 3 - 1e-9, "b": 100 / 3 + 1e-9, "c": 100 / 3 - 2e-9}
    assert round_preserving_total(values, 100.0) == {"a": 33.33, "b": 33.34, "c": 33.33}
    assert round_preserving_total({}, 0.0) == {}


def test_to_dict_shape():
    r = markov_attribution(CLASSIC + [pc("unattributed", 1, 10.005, 0)])
    d = r.to_dict(include_matrix=True)
    assert d["model"] == "data_driven" and d["order"] == 1
    assert d["total_conversions"] == 2 and d["total_value"] == round(100.005, 2)
    assert set(d["removal_effects"]) == {"c1", "c2", "c3"}
    assert set(d["conversions"]) == {"c1", "c2", "c3", "unattributed"}
    assert d["states"][0] == START and len(d["transition_matrix"]) == len(d["states"])
    raw = r.to_dict(round_to_cents=False)
    assert raw["revenue"]["unattributed"] == 10.005
    assert "transition_matrix" not in raw


# ---------------------------------------------------------------------------------------
# Passthrough (orders with no touch)
# ---------------------------------------------------------------------------------------
def test_unattributed_passthrough():
    # 'unattributed' (3 orders, value 60; its null count is meaningless and ignored) is
    # credited directly and does not enter the chain: the chain numbers are those of REVISITS
    paths = REVISITS + [pc("unattributed", 3, 60, 5)]
    r = markov_attribution(paths)
    approx_dict(r.removal_effects, RE_REVISITS)
    assert "unattributed" not in r.removal_effects
    assert "unattributed" not in r.states
    expected_conv = {c: F(4 * w, 1541) for c, w in WEIGHTS_REVISITS.items()} | {"unattributed": 3}
    expected_value = {c: F(450 * w, 1541) for c, w in WEIGHTS_REVISITS.items()} | {"unattributed": 60}
    approx_dict(r.conversions, expected_conv)
    approx_dict(r.revenue, expected_value)
    assert r.total_conversions == 7 and r.total_value == 510
    assert r.conversion_probability == pytest.approx(4 / 11, abs=TOL)


def test_passthrough_can_be_disabled_and_customised():
    paths = CLASSIC + [pc("unattributed", 1, 10, 0)]
    # as an ordinary channel: start->unattributed 1/4, conv 1 ; P = 2/4 = 1/2
    # without unattributed: P = 1/4 (the classic conversion) -> RE 1/2
    r = markov_attribution(paths, passthrough=())
    assert r.removal_effects["unattributed"] == pytest.approx(0.5, abs=TOL)
    # another passthrough channel
    r2 = markov_attribution(CLASSIC + [pc("direct", 2, 20, 0)], passthrough=["direct"])
    assert r2.conversions["direct"] == 2 and r2.revenue["direct"] == 20
    approx_dict(r2.removal_effects, {"c1": 0.5, "c2": 1.0, "c3": 1.0})


def test_only_unattributed():
    r = markov_attribution([pc("unattributed", 4, 80, 0)])
    assert r.removal_effects == {}
    assert r.conversions == {"unattributed": 4} and r.revenue == {"unattributed": 80}
    assert r.total_conversions == 4 and r.total_value == 80


def test_empty_path_is_no_touch():
    r = markov_attribution(CLASSIC + [PathCount((), 2, 40, 0), pc("", 0, 0, 0)])
    assert r.conversions["unattributed"] == 2 and r.revenue["unattributed"] == 40
    with pytest.raises(ValueError):
        markov_attribution([PathCount((), 2, 40, 0)], passthrough=())


# ---------------------------------------------------------------------------------------
# Edge cases
# ---------------------------------------------------------------------------------------
def test_no_paths():
    r = markov_attribution([])
    assert r.removal_effects == {} and r.conversions == {} and r.revenue == {}
    assert r.total_conversions == 0 and r.total_value == 0
    assert r.conversion_probability == 0
    assert r.to_dict()["conversions"] == {}


def test_only_null_conversions():
    r = markov_attribution([pc("seo > ads", 0, 0, 3), pc("email", 0, 0, 1)])
    assert r.conversion_probability == 0
    assert r.removal_effects == {"ads": 0.0, "email": 0.0, "seo": 0.0}
    assert r.conversions == {"ads": 0.0, "email": 0.0, "seo": 0.0}
    assert r.revenue == {"ads": 0.0, "email": 0.0, "seo": 0.0}
    assert r.total_conversions == 0 and r.total_value == 0


def test_single_channel_world():
    # seo: conv 3, null 7 (+ a self-loop): P = 3/10; without seo P = 0 -> RE = 1
    r = markov_attribution([pc("seo", 2, 200, 5), pc("seo > seo", 1, 50, 2)])
    assert r.conversion_probability == pytest.approx(0.3, abs=TOL)
    assert r.removal_effects == {"seo": 1.0}
    assert r.conversions == {"seo": 3.0} and r.revenue == {"seo": 250.0}


def test_zero_removal_sum_splits_evenly_over_converting_paths():
    # no chain conversions -> P = 0 -> every RE = 0; the stray value (100, on a path with
    # conversions = 0) is split evenly over the channels of the paths that carry value:
    # seo and ads get 50 each, email (only in a null path) gets 0
    r = markov_attribution([pc("seo > ads", 0, 100, 3), pc("email", 0, 0, 2)])
    assert r.removal_effects == {"ads": 0.0, "email": 0.0, "seo": 0.0}
    approx_dict(r.revenue, {"ads": 50, "seo": 50, "email": 0})
    approx_dict(r.conversions, {"ads": 0, "seo": 0, "email": 0})
    assert r.total_value == 100


def test_zero_weight_paths_are_ignored_in_chain():
    r = markov_attribution(CLASSIC + [pc("c4 > c1", 0, 0, 0)])
    approx_dict(r.removal_effects, {"c1": 0.5, "c2": 1.0, "c3": 1.0, "c4": 0.0})
    assert "c4" not in r.states


def test_invalid_counts_rejected():
    with pytest.raises(ValueError):
        pc("seo", -1, 0, 0)
    with pytest.raises(ValueError):
        pc("seo", float("nan"), 0, 0)
    with pytest.raises(ValueError):
        pc("seo", 1, "abc", 0)
    with pytest.raises(TypeError):
        markov_attribution([("seo",)])


def test_singular_system_guard():
    # consistent but singular: a closed 2-cycle with no way out; lstsq gives 0 (correct)
    np.testing.assert_allclose(_absorption_probabilities(np.array([[0.0, 1.0], [1.0, 0.0]]), np.zeros(2)), 0.0)
    # inconsistent and singular: clear error
    with pytest.raises(MarkovChainError, match="singular"):
        _absorption_probabilities(np.array([[1.0]]), np.array([0.5]))
    assert _absorption_probabilities(np.zeros((0, 0)), np.zeros(0)).shape == (0,)


# ---------------------------------------------------------------------------------------
# parse_path / PathCount
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("seo > ads", ("seo", "ads")),
        ("  seo>ads >  seo ", ("seo", "ads", "seo")),
        ("unattributed", ("unattributed",)),
        ("", ()),
        ("   ", ()),
        (None, ()),
    ],
)
def test_parse_path(text, expected):
    assert parse_path(text) == expected


def test_pathcount_normalises():
    p = PathCount("seo > ads", 1, 2, None)
    assert p.path == ("seo", "ads") and p.null_conversions == 0.0
    assert PathCount(["seo", " ads "], 1, 2, 3).path == ("seo", "ads")
    row = {"channel_path": "seo > email", "conversions": 2, "conversion_value": 9.5, "null_conversions": None}
    assert PathCount.from_row(row) == PathCount(("seo", "email"), 2.0, 9.5, 0.0)


# ---------------------------------------------------------------------------------------
# Monte Carlo cross-check: an independent brute-force simulation of random walks over the
# empirical transition probabilities. Removal of c = walks that enter c are lost, so
# P_without_c is estimated by the walks that converted without ever visiting c (same walks
# for every c: coupled, low variance).
# ---------------------------------------------------------------------------------------
CHANNELS = ["seo", "influencer", "social", "ads", "email", "referral", "direct"]


def random_paths(rng: random.Random, n: int, with_unattributed: bool = False) -> list[PathCount]:
    out = []
    for _ in range(n):
        length = rng.randint(1, 6)
        path = tuple(rng.choice(CHANNELS) for _ in range(length))
        conv = rng.choice([0, 0, 1, 2, 3])
        out.append(PathCount(path, conv, round(conv * rng.uniform(20, 120), 2), rng.randint(0, 8)))
    if with_unattributed:
        out.append(PathCount(("unattributed",), 17, 1234.56, 0))
    return out


def monte_carlo_removal_effects(paths: list[PathCount], walks: int, seed: int) -> dict[str, float]:
    counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for p in paths:
        w = p.conversions + p.null_conversions
        steps = ["(start)", *p.path]
        for a, b in zip(steps, steps[1:]):
            counts[a][b] += w
        counts[p.path[-1]]["(conversion)"] += p.conversions
        counts[p.path[-1]]["(null)"] += p.null_conversions
    names = ["(start)", *sorted({c for p in paths for c in p.path}), "(conversion)", "(null)"]
    idx = {name: i for i, name in enumerate(names)}
    cum = np.zeros((len(names), len(names)))
    for a, row in counts.items():
        total = sum(row.values())
        for b, w in row.items():
            cum[idx[a], idx[b]] = w / total
    cum = np.cumsum(cum, axis=1)
    conv, null = idx["(conversion)"], idx["(null)"]
    rng = np.random.default_rng(seed)
    state = np.zeros(walks, dtype=np.int64)
    visited = np.zeros((walks, len(names)), dtype=bool)
    active = np.ones(walks, dtype=bool)
    while active.any():
        u = rng.random(int(active.sum()))
        rows = cum[state[active]]
        nxt = np.minimum((rows < u[:, None]).sum(axis=1), len(names) - 1)
        state[active] = nxt
        visited[np.flatnonzero(active), nxt] = True
        active &= (state != conv) & (state != null)
    converted = state == conv
    p = converted.mean()
    return {name: 1.0 - (converted & ~visited[:, i]).mean() / p for name, i in idx.items()
            if name not in ("(start)", "(conversion)", "(null)")}


def test_monte_carlo_cross_check():
    rng = random.Random(2024)
    paths = random_paths(rng, n=60)
    exact = markov_attribution(paths)
    simulated = monte_carlo_removal_effects(paths, walks=100_000, seed=42)
    assert set(simulated) == set(exact.removal_effects)
    for channel, value in simulated.items():
        assert exact.removal_effects[channel] == pytest.approx(value, abs=0.01), channel
    # and on the hand-computed examples
    for paths in (CLASSIC, REVISITS):
        exact = markov_attribution(paths)
        simulated = monte_carlo_removal_effects(paths, walks=100_000, seed=7)
        for channel, value in simulated.items():
            assert exact.removal_effects[channel] == pytest.approx(value, abs=0.01), channel


# ---------------------------------------------------------------------------------------
# Scale: a few thousand distinct paths x 8 channels still reconcile
# (timings are measured by bench/compute_benchmark.py, not asserted here)
# ---------------------------------------------------------------------------------------
def test_thousands_of_paths_reconcile():
    rng = random.Random(5)
    channels = CHANNELS + ["unattributed"]
    seen: set[tuple[str, ...]] = set()
    paths = []
    while len(paths) < 4000:
        path = tuple(rng.choice(channels) for _ in range(rng.randint(1, 8)))
        if path in seen:
            continue
        seen.add(path)
        conv = rng.randint(0, 5)
        paths.append(PathCount(path, conv, conv * 50.0, rng.randint(0, 20)))
    r = markov_attribution(paths)
    assert len(r.removal_effects) == 8
    assert math.isclose(sum(r.conversions.values()), sum(p.conversions for p in paths))
    assert math.isclose(sum(r.revenue.values()), sum(p.conversion_value for p in paths))


# ---------------------------------------------------------------------------------------
# Aggregated transition counts (what the service gets from SQL) give the same result
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_transition_counts_give_the_same_result_as_paths(seed):
    rng = random.Random(seed)
    channels = CHANNELS + ["unattributed"]
    paths = []
    for _ in range(300):
        path = tuple(rng.choice(channels) for _ in range(rng.randint(1, 6)))
        conv = rng.randint(0, 4)
        paths.append(PathCount(path, conv, conv * rng.uniform(20, 90), rng.randint(0, 9)))
    paths.append(PathCount(("unattributed",), 7, 350.0, 0))
    expected = markov_attribution(paths)
    got = markov_from_transitions(transition_counts(paths))
    assert got.removal_effects == pytest.approx(expected.removal_effects, abs=1e-12)
    assert got.conversions == pytest.approx(expected.conversions, abs=1e-9)
    assert got.revenue == pytest.approx(expected.revenue, abs=1e-9)
    assert got.conversion_probability == pytest.approx(expected.conversion_probability, abs=1e-12)
    assert got.total_value == pytest.approx(expected.total_value)


def test_transition_counts_of_the_classic_example():
    got = markov_from_transitions(transition_counts(CLASSIC))
    assert got.removal_effects == pytest.approx(markov_attribution(CLASSIC).removal_effects, abs=1e-12)


def test_transition_counts_reject_negative_weights():
    counts = TransitionCounts({("(start)", "seo"): -1.0, ("seo", "(conversion)"): 1.0}, 1.0, 10.0)
    with pytest.raises(ValueError, match="seo"):
        markov_from_transitions(counts)


def test_transition_counts_with_only_passthrough_orders():
    got = markov_from_transitions(TransitionCounts({}, 0.0, 0.0, {"unattributed": (3.0, 120.0)}))
    assert got.conversions == {"unattributed": 3.0} and got.revenue == {"unattributed": 120.0}
