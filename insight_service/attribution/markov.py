"""Exact Markov-chain (removal effect) attribution from transition counts, pure numpy.

This is the ``data_driven`` attribution model of the marts contract. The warehouse aggregates
the conversion paths into first-order transition counts (``marts.fct_markov_transitions``,
per store and month); the service sums the months of a range into :class:`TransitionCounts`
and calls :func:`markov_from_transitions`. Work is proportional to the number of channels,
not of paths. The path-based engine it is checked against (paths in, any chain order) is the
test oracle in pytests/support/markov_oracle.py.

The model
---------
An absorbing first-order Markov chain with the transient states ``(start)`` and one state per
channel, and the absorbing states ``(conversion)`` and ``(null)``. A path ``c1 > ... > cn``
with weight ``w = conversions + null_conversions`` has added ``w`` to the transition counts
``(start)->c1``, ``c1->c2``, ..., ``c(n-1)->cn``, ``conversions`` to ``cn->(conversion)`` and
``null_conversions`` to ``cn->(null)``; repeated channels are self-loops (``seo->seo``),
which change how long the chain stays in a state but never where it is absorbed. Transition
probabilities are the row-normalised counts.

* **Conversion probability** ``P`` is the probability of absorption in ``(conversion)``
  when starting in ``(start)``, computed exactly by solving ``(I - Q) x = r`` where ``Q``
  is the transient-to-transient block of the transition matrix and ``r`` the
  transient-to-``(conversion)`` column (the fundamental-matrix formula, without forming the
  inverse).
* **Removal effect** of channel ``c``: ``RE_c = 1 - P_without_c / P`` where removing ``c``
  redirects every transition into ``c`` to ``(null)``; equivalently its state is deleted
  from the linear system. ``RE_c`` is in ``[0, 1]``. If ``P == 0`` (no chain conversions)
  every ``RE_c`` is defined as ``0``.
* **Credit.** ``conversions_c = chain_conversions * RE_c / sum(RE)`` and
  ``revenue_c = chain_value * RE_c / sum(RE)``; any floating-point residue is put on the
  channel with the largest credit so the credits sum to the chain totals.
* **Zero removal sum.** If ``sum(RE) == 0`` (only possible when the chain has no
  conversions but some paths carry ``conversion_value``), the chain's conversions and value
  are split evenly over ``converting_channels``; with none, the totals are necessarily 0.
* **Passthrough channels** (default ``unattributed``: orders with no touch). Paths that are
  exactly one passthrough channel are not part of the chain: their totals
  (``passthrough_totals``) are credited directly to that channel, so the credited totals
  reconcile with the total orders. Passthrough-only channels have no entry in
  ``removal_effects``.

Everything is exact linear algebra (no simulation): one small linear solve per channel.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "START",
    "CONVERSION",
    "NULL",
    "MarkovChainError",
    "MarkovResult",
    "markov_from_transitions",
    "TransitionCounts",
    "round_preserving_total",
]

START = "(start)"
CONVERSION = "(conversion)"
NULL = "(null)"


class MarkovChainError(ValueError):
    """The absorbing chain cannot be solved (singular ``I - Q``); see ``_absorption_probabilities``."""


@dataclass(frozen=True)
class MarkovResult:
    """Result of :func:`markov_from_transitions`.

    * ``removal_effects``: raw removal effect (0..1) of every chain channel.
    * ``conversions`` / ``revenue``: credited conversions / value of every channel
      (chain channels and passthrough channels); they sum to the totals.
    * ``conversion_probability``: ``P``; ``conversion_probability_without``: ``P_without_c``.
    * ``states`` / ``transition_matrix``: row-stochastic matrix over ``states``, which are
      ``(start)``, the channel states (windows joined by ``' > '`` for ``order > 1``),
      ``(conversion)``, ``(null)``; absorbing rows are identity rows. For debugging.
    """

    removal_effects: dict[str, float]
    conversions: dict[str, float]
    revenue: dict[str, float]
    total_conversions: float
    total_value: float
    conversion_probability: float = 0.0
    conversion_probability_without: dict[str, float] = field(default_factory=dict)
    states: tuple[str, ...] = (START, CONVERSION, NULL)
    transition_matrix: np.ndarray = field(default_factory=lambda: np.eye(3), repr=False)
    order: int = 1
    passthrough: tuple[str, ...] = ("unattributed",)

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(self.conversions)

    def to_dict(self, *, round_to_cents: bool = True, include_matrix: bool = False) -> dict[str, Any]:
        """JSON-ready dict.

        With ``round_to_cents`` credited conversions and revenue are rounded to 2 decimals
        and the rounding residue is put on the largest channel, so the rounded credits sum
        exactly (in cents) to the rounded totals. Removal effects are never rounded.
        """
        total_conversions = self.total_conversions
        total_value = self.total_value
        conversions = dict(self.conversions)
        revenue = dict(self.revenue)
        if round_to_cents:
            total_conversions = round(total_conversions, 2)
            total_value = round(total_value, 2)
            conversions = round_preserving_total(conversions, self.total_conversions)
            revenue = round_preserving_total(revenue, self.total_value)
        out: dict[str, Any] = {
            "model": "data_driven",
            "order": self.order,
            "passthrough": list(self.passthrough),
            "total_conversions": total_conversions,
            "total_value": total_value,
            "conversion_probability": self.conversion_probability,
            "removal_effects": dict(self.removal_effects),
            "conversions": conversions,
            "revenue": revenue,
        }
        if include_matrix:
            out["states"] = list(self.states)
            out["transition_matrix"] = self.transition_matrix.tolist()
            out["conversion_probability_without"] = dict(self.conversion_probability_without)
        return out


def round_preserving_total(values: Mapping[str, float], total: float, digits: int = 2) -> dict[str, float]:
    """Round ``values`` to ``digits`` decimals so that they sum exactly to ``round(total)``.

    Works in integer units of ``10**-digits``; the residue is added to the entry with the
    largest absolute value (ties: first in iteration order).
    """
    if not values:
        return {}
    scale = 10**digits
    units = {key: int(round(value * scale)) for key, value in values.items()}
    residue = int(round(total * scale)) - sum(units.values())
    if residue:
        largest = max(values, key=lambda key: abs(values[key]))
        units[largest] += residue
    return {key: unit / scale for key, unit in units.items()}


def _absorption_probabilities(q: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Solve ``(I - Q) x = r``: ``x[i]`` = probability of absorption via ``r`` from state ``i``.

    For absorbing chains built from observed paths ``I - Q`` is never singular (every state
    lies on a path that ends in an absorbing state). As a guard, a singular system falls
    back to least squares; that solution is used only if it actually solves the system and
    is a probability vector, otherwise :class:`MarkovChainError` is raised.
    """
    n = q.shape[0]
    if n == 0:
        return np.zeros(0)
    a = np.eye(n) - q
    try:
        x = np.linalg.solve(a, r)
    except np.linalg.LinAlgError:
        x, _, rank, _ = np.linalg.lstsq(a, r, rcond=None)
        residual = float(np.max(np.abs(a @ x - r)))
        if residual > 1e-9 or not np.all(np.isfinite(x)) or np.any(x < -1e-9) or np.any(x > 1 + 1e-9):
            raise MarkovChainError(
                f"(I - Q) is singular (rank {rank} of {n}) and the least-squares solution does "
                f"not solve it (max residual {residual:.3g}): some transient state never reaches "
                "an absorbing state; the transition counts are inconsistent"
            ) from None
    if not np.all(np.isfinite(x)) or np.any(x < -1e-9) or np.any(x > 1 + 1e-9):
        raise MarkovChainError("absorption probabilities out of [0, 1]: ill-conditioned (I - Q)")
    return np.clip(x, 0.0, 1.0)


def empty_result(order: int, passthrough: tuple[str, ...]) -> MarkovResult:
    return MarkovResult(
        removal_effects={},
        conversions={},
        revenue={},
        total_conversions=0.0,
        total_value=0.0,
        order=order,
        passthrough=passthrough,
    )


def solve_and_credit(
    q: np.ndarray,
    r_conv: np.ndarray,
    r_null: np.ndarray,
    labels: tuple[str, ...],
    channels: list[str],
    keep_masks: Mapping[str, np.ndarray],
    chain_conversions: float,
    chain_value: float,
    eligible: list[str],
    direct: Mapping[str, tuple[float, float]],
    order: int,
    passthrough: tuple[str, ...],
    *,
    solvable: bool,
) -> MarkovResult:
    """Removal effects from the row-stochastic blocks ``q`` / ``r_conv`` / ``r_null`` (state 0
    is ``(start)``; ``keep_masks[c]`` drops the states that contain channel ``c``), then the
    credit: chain totals split by removal effect, passthrough totals credited directly.
    Shared with the path-based test oracle (pytests/support/markov_oracle.py), so both engines
    credit alike and differ only in how they build the chain."""
    n_transient = q.shape[0]
    # ---- exact absorption probabilities ----
    p_conv = float(_absorption_probabilities(q, r_conv)[0]) if solvable else 0.0
    p_without: dict[str, float] = {}
    removal: dict[str, float] = {}
    for channel in channels:
        keep = keep_masks[channel]
        # a channel whose removal drops no state leaves P as it is
        p_wo = p_conv if keep.all() else float(_absorption_probabilities(q[np.ix_(keep, keep)], r_conv[keep])[0])
        p_without[channel] = p_wo
        removal[channel] = min(1.0, max(0.0, 1.0 - p_wo / p_conv)) if p_conv > 0 else 0.0

    # ---- credit ----
    conversions = {channel: 0.0 for channel in channels}
    revenue = {channel: 0.0 for channel in channels}
    re_sum = math.fsum(removal.values())
    if re_sum > 0:
        for channel in channels:
            share = removal[channel] / re_sum
            conversions[channel] = chain_conversions * share
            revenue[channel] = chain_value * share
    else:
        for channel in eligible:
            conversions[channel] = chain_conversions / len(eligible)
            revenue[channel] = chain_value / len(eligible)
    _fix_residue(conversions, chain_conversions)
    _fix_residue(revenue, chain_value)

    for channel, (conv, value) in sorted(direct.items()):
        conversions[channel] = conversions.get(channel, 0.0) + conv
        revenue[channel] = revenue.get(channel, 0.0) + value
    conversions = dict(sorted(conversions.items()))
    revenue = dict(sorted(revenue.items()))

    total_conversions = chain_conversions + math.fsum(c for c, _ in direct.values())
    total_value = chain_value + math.fsum(v for _, v in direct.values())
    assert math.isclose(math.fsum(conversions.values()), total_conversions, rel_tol=1e-9, abs_tol=1e-9)
    assert math.isclose(math.fsum(revenue.values()), total_value, rel_tol=1e-9, abs_tol=1e-9)

    # ---- debugging matrix over (start), states, (conversion), (null) ----
    n_all = n_transient + 2
    matrix = np.zeros((n_all, n_all))
    matrix[:n_transient, :n_transient] = q
    matrix[:n_transient, n_transient] = r_conv
    matrix[:n_transient, n_transient + 1] = r_null
    matrix[n_transient, n_transient] = 1.0
    matrix[n_transient + 1, n_transient + 1] = 1.0

    return MarkovResult(
        removal_effects=removal,
        conversions=conversions,
        revenue=revenue,
        total_conversions=total_conversions,
        total_value=total_value,
        conversion_probability=p_conv,
        conversion_probability_without=p_without,
        states=(*labels, CONVERSION, NULL),
        transition_matrix=matrix,
        order=order,
        passthrough=passthrough,
    )


@dataclass(frozen=True)
class TransitionCounts:
    """First-order chain input already aggregated from paths (e.g. by SQL in the warehouse).

    * ``edges``: ``(from_state, to_state) -> weight`` where ``from_state`` is ``START`` or a
      channel and ``to_state`` a channel, ``CONVERSION`` or ``NULL``; a path ``c1 > ... > cn``
      of weight ``w = conversions + null_conversions`` adds ``w`` to ``START->c1`` and to
      every ``ci->ci+1``, its conversions to ``cn->CONVERSION`` and its nulls to ``cn->NULL``.
    * ``chain_conversions`` / ``chain_value``: totals of the chain paths.
    * ``passthrough_totals``: ``channel -> (conversions, value)`` of paths that are exactly a
      passthrough channel (credited directly).
    * ``converting_channels``: channels of chain paths with conversions or value (used only
      when every removal effect is 0).
    """

    edges: Mapping[tuple[str, str], float]
    chain_conversions: float
    chain_value: float
    passthrough_totals: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    converting_channels: tuple[str, ...] = ()


def markov_from_transitions(counts: TransitionCounts, *,
                            passthrough: Iterable[str] = ("unattributed",)) -> MarkovResult:
    """First-order removal-effect attribution from aggregated transition counts (see the module
    docstring); work proportional to the number of channels, not of paths."""
    passthrough = tuple(dict.fromkeys(str(channel).strip() for channel in passthrough))
    for (source, target), weight in counts.edges.items():
        if not math.isfinite(weight) or weight < 0:
            raise ValueError(f"transition {source}->{target} has weight {weight!r}; must be finite and >= 0")
    channels = sorted({state for edge in counts.edges for state in edge} - {START, CONVERSION, NULL})
    if not channels and not counts.passthrough_totals:
        return empty_result(1, passthrough)
    index = {channel: k + 1 for k, channel in enumerate(channels)}
    index[START] = 0
    n = len(channels) + 1
    flows = np.zeros((n, n))
    conv = np.zeros(n)
    null = np.zeros(n)
    for (source, target), weight in counts.edges.items():
        if target == CONVERSION:
            conv[index[source]] += weight
        elif target == NULL:
            null[index[source]] += weight
        else:
            flows[index[source], index[target]] += weight
    row_total = flows.sum(axis=1) + conv + null
    nz = row_total > 0
    q = np.zeros((n, n))
    r_conv = np.zeros(n)
    r_null = np.zeros(n)
    q[nz] = flows[nz] / row_total[nz, None]
    r_conv[nz] = conv[nz] / row_total[nz]
    r_null[nz] = null[nz] / row_total[nz]
    keep_masks = {channel: np.arange(n) != index[channel] for channel in channels}
    return solve_and_credit(
        q, r_conv, r_null, (START, *channels), channels, keep_masks, counts.chain_conversions,
        counts.chain_value, sorted(counts.converting_channels), dict(counts.passthrough_totals), 1,
        passthrough, solvable=bool(nz[0]),
    )


def _fix_residue(credits: dict[str, float], total: float) -> None:
    """Put the float residue ``total - sum(credits)`` on the largest credit (in place)."""
    if not credits:
        return
    residue = total - math.fsum(credits.values())
    if residue:
        largest = max(credits, key=lambda key: abs(credits[key]))
        credits[largest] += residue
