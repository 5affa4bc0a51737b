"""Exact Markov-chain (removal effect) attribution, pure numpy.

This is the ``data_driven`` attribution model of the marts contract: it is computed by the
service from ``fct_conversion_paths`` (one row per (store_id, month_start, channel_path)
with ``conversions, conversion_value, null_conversions``, the ChannelAttribution input
format). The caller filters/aggregates the rows it wants (a store, a date range) and passes
them as :class:`PathCount` values; rows with the same path are summed here.

The model
---------
An absorbing Markov chain with the transient states ``(start)`` and one state per channel
(per window of ``order`` channels for higher orders, see below) and the absorbing states
``(conversion)`` and ``(null)``. Each path ``c1 > c2 > ... > cn`` with weight
``w = conversions + null_conversions`` adds ``w`` to the transition counts
``(start)->c1``, ``c1->c2``, ..., ``c(n-1)->cn``, ``conversions`` to ``cn->(conversion)``
and ``null_conversions`` to ``cn->(null)``. Transition probabilities are the row-normalised
counts.

* **Self-loops.** Repeated consecutive channels (``seo > seo``) are kept as a self-loop
  ``seo->seo`` (ChannelAttribution's default). A self-loop only changes how long the chain
  stays in a state, never where it is absorbed, so keeping or collapsing repeats gives the
  same conversion probability and removal effects; we keep them so that the transition
  matrix reflects the observed data.
* **Conversion probability** ``P`` is the probability of absorption in ``(conversion)``
  when starting in ``(start)``, computed exactly by solving ``(I - Q) x = r`` where ``Q``
  is the transient-to-transient block of the transition matrix and ``r`` the
  transient-to-``(conversion)`` column (the fundamental-matrix formula, without forming the
  inverse). For a first-order chain estimated from complete paths ``P`` equals
  ``total conversions / total (conversions + null_conversions)`` of the chain paths.
* **Removal effect** of channel ``c``: ``RE_c = 1 - P_without_c / P`` where removing ``c``
  redirects every transition into (a state containing) ``c`` to ``(null)``; equivalently the
  states are deleted from the linear system. ``RE_c`` is in ``[0, 1]``. If ``P == 0`` (no
  chain conversions) every ``RE_c`` is defined as ``0``.
* **Credit.** ``conversions_c = chain_conversions * RE_c / sum(RE)`` and
  ``revenue_c = chain_value * RE_c / sum(RE)``; any floating-point residue is put on the
  channel with the largest credit so the credits sum to the chain totals.
* **Zero removal sum.** If ``sum(RE) == 0`` (only possible when the chain has no
  conversions, i.e. when some rows carry ``conversion_value`` but ``conversions == 0``),
  the chain's conversions and value are split evenly over the channels that appear in a
  path with ``conversions > 0`` or ``conversion_value > 0``; if there is no such channel
  the totals are necessarily 0 and every channel gets 0.
* **Passthrough channels** (default ``unattributed``: orders with no touch). A path that is
  exactly one passthrough channel is not part of the chain: its conversions and value are
  credited directly to that channel (its ``null_conversions`` are meaningless and ignored),
  so the credited totals reconcile with the total orders. A passthrough channel that occurs
  inside a longer path is treated as an ordinary channel there. An empty path (no touch at
  all) is treated like a path made of the first passthrough channel; with no passthrough
  channels an empty path with non-zero counts is an error.
  Passthrough-only channels have no entry in ``removal_effects``.
* **Higher orders** (``order=k > 1``): the state after the i-th touch is the window of the
  last ``min(i, k)`` channels (so short paths and path beginnings use shorter windows, and
  ``order=1`` is the classic chain). Removing a channel removes every state whose window
  contains it.

Everything is exact linear algebra (no simulation). Rows are aggregated and the transition
counts built with numpy (``bincount`` over integer-encoded states; the only Python loops
are over the input rows and a flattening of the distinct paths), then one small linear
solve per channel: ~4000 distinct paths over 8 channels take ~15 ms. Rows are summed in a
canonical order, so the result is bit-for-bit independent of the order of the input.
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
    "PathCount",
    "markov_attribution",
    "markov_from_transitions",
    "parse_path",
    "TransitionCounts",
    "transition_counts",
    "round_preserving_total",
]

START = "(start)"
CONVERSION = "(conversion)"
NULL = "(null)"
PATH_SEPARATOR = " > "


class MarkovChainError(ValueError):
    """The absorbing chain cannot be solved (singular ``I - Q``); see ``_absorption_probabilities``."""


def parse_path(channel_path: str | None) -> tuple[str, ...]:
    """``'seo > ads'`` -> ``('seo', 'ads')``.

    Splits on ``>``, strips surrounding whitespace and drops empty segments, so ``''``,
    ``None`` and ``'  '`` give ``()`` and ``'seo>ads'`` is accepted too.
    """
    if channel_path is None:
        return ()
    return tuple(part.strip() for part in str(channel_path).split(">") if part.strip())


def _as_count(name: str, value: Any) -> float:
    try:
        number = float(value if value is not None else 0.0)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"PathCount.{name} must be a number, got {value!r}") from exc
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"PathCount.{name} must be finite and >= 0, got {value!r}")
    return number


@dataclass(frozen=True)
class PathCount:
    """One row of ``fct_conversion_paths`` (or an aggregate of several with the same path).

    ``path`` may also be given as a ``channel_path`` string or a list; it is normalised to a
    tuple. Counts must be finite and non-negative (``None`` is read as 0).
    """

    path: tuple[str, ...]
    conversions: float
    conversion_value: float
    null_conversions: float

    def __post_init__(self) -> None:
        path = self.path
        if path is None or isinstance(path, str):
            path = parse_path(path)
        else:
            path = tuple(str(channel).strip() for channel in path if str(channel).strip())
        object.__setattr__(self, "path", path)
        for name in ("conversions", "conversion_value", "null_conversions"):
            object.__setattr__(self, name, _as_count(name, getattr(self, name)))

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> PathCount:
        """Build from a ``fct_conversion_paths`` row (a mapping with ``channel_path``)."""
        # the string goes straight in: __post_init__ parses it once
        return cls(
            path=row["channel_path"],
            conversions=row.get("conversions") or 0.0,
            conversion_value=row.get("conversion_value") or 0.0,
            null_conversions=row.get("null_conversions") or 0.0,
        )


@dataclass(frozen=True)
class MarkovResult:
    """Result of :func:`markov_attribution`.

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


def _empty_result(order: int, passthrough: tuple[str, ...]) -> MarkovResult:
    return MarkovResult(
        removal_effects={},
        conversions={},
        revenue={},
        total_conversions=0.0,
        total_value=0.0,
        order=order,
        passthrough=passthrough,
    )


def markov_attribution(
    paths: Iterable[PathCount],
    *,
    order: int = 1,
    passthrough: Iterable[str] = ("unattributed",),
) -> MarkovResult:
    """Markov removal-effect attribution of ``paths`` (see the module docstring)."""
    if isinstance(order, bool) or not isinstance(order, int) or order < 1:
        raise ValueError(f"order must be an integer >= 1, got {order!r}")
    passthrough = tuple(dict.fromkeys(str(channel).strip() for channel in passthrough))

    # ---- aggregate rows by path ----
    path_index: dict[tuple[str, ...], int] = {}
    row_path: list[int] = []
    row_counts: list[tuple[float, float, float]] = []
    direct: dict[str, tuple[list[float], list[float]]] = {}
    for item in paths:
        if not isinstance(item, PathCount):
            raise TypeError(f"expected PathCount, got {type(item).__name__}")
        path = item.path
        if not path:
            if item.conversions == 0 and item.conversion_value == 0 and item.null_conversions == 0:
                continue
            if not passthrough:
                raise ValueError("empty channel path with non-zero counts and no passthrough channel")
            path = (passthrough[0],)
        if len(path) == 1 and path[0] in passthrough:
            conv, value = direct.setdefault(path[0], ([], []))
            conv.append(item.conversions)
            value.append(item.conversion_value)
            continue
        row_path.append(path_index.setdefault(path, len(path_index)))
        row_counts.append((item.conversions, item.conversion_value, item.null_conversions))

    if not path_index and not direct:
        return _empty_result(order, passthrough)

    # paths in sorted order and rows summed in a canonical order (by path, then by values),
    # so that the result is bit-for-bit independent of the input order
    chain_paths = sorted(path_index)
    rank = np.empty(len(chain_paths), dtype=np.int64)
    rank[np.fromiter((path_index[p] for p in chain_paths), dtype=np.int64, count=len(chain_paths))] = np.arange(
        len(chain_paths)
    )
    counts_arr = np.array(row_counts, dtype=float).reshape(-1, 3)
    row_rank = rank[np.array(row_path, dtype=np.int64)]
    canonical = np.lexsort((counts_arr[:, 2], counts_arr[:, 1], counts_arr[:, 0], row_rank))
    row_rank, counts_arr = row_rank[canonical], counts_arr[canonical]
    conv_w, value_w, null_w = (
        np.bincount(row_rank, weights=counts_arr[:, j], minlength=len(chain_paths)) for j in range(3)
    )
    chain_conversions = math.fsum(conv_w)
    chain_value = math.fsum(value_w)

    # ---- encode every step of every chain path as a channel id (one pass over the steps) ----
    flat_names = [channel for p in chain_paths for channel in p]
    channels = sorted(set(flat_names))
    channel_id = {channel: k for k, channel in enumerate(channels)}
    lengths = np.fromiter((len(p) for p in chain_paths), dtype=np.int64, count=len(chain_paths))
    steps = np.fromiter((channel_id[c] for c in flat_names), dtype=np.int64, count=len(flat_names))
    weight = conv_w + null_w
    live = weight > 0  # zero-weight paths add nothing to the chain
    step_live = np.repeat(live, lengths)
    steps, lengths = steps[step_live], lengths[live]
    ends = np.cumsum(lengths)
    starts = ends - lengths

    # ---- states: the window of the last min(i, order) channels, as an integer key ----
    # key = sum_j (id of the channel j steps back + 1) * base**j, 0 digits past the path start
    base = len(channels) + 1
    if float(base) ** order >= 2.0**62:
        raise ValueError(f"order {order} is too high for {len(channels)} channels")
    position = np.arange(steps.size, dtype=np.int64) - np.repeat(starts, lengths)
    keys = steps + 1
    for lag in range(1, order):
        lagged = np.zeros_like(steps)
        lagged[lag:] = steps[:-lag] + 1
        lagged[position < lag] = 0
        keys = keys + lagged * base**lag
    state_keys, ids = np.unique(keys, return_inverse=True)
    ids = ids.reshape(-1).astype(np.int64) + 1  # 0 is (start)
    # digits[s, j] = channel id j steps back in state s (-1: none)
    digits = (state_keys[:, None] // base ** np.arange(order)[None, :]) % base - 1
    n_transient = state_keys.size + 1

    q = np.zeros((n_transient, n_transient))
    r_conv = np.zeros(n_transient)
    r_null = np.zeros(n_transient)
    if steps.size:
        # sources: (start) for the first step of a path, else the previous state
        prev = np.empty_like(ids)
        prev[1:] = ids[:-1]
        prev[starts] = 0
        step_w = np.repeat(weight[live], lengths)
        counts = np.bincount(
            prev * n_transient + ids, weights=step_w, minlength=n_transient * n_transient
        ).reshape(n_transient, n_transient)
        last = ids[ends - 1]
        conv_counts = np.bincount(last, weights=conv_w[live], minlength=n_transient)
        null_counts = np.bincount(last, weights=null_w[live], minlength=n_transient)
        row_total = counts.sum(axis=1) + conv_counts + null_counts
        nz = row_total > 0
        q[nz] = counts[nz] / row_total[nz, None]
        r_conv[nz] = conv_counts[nz] / row_total[nz]
        r_null[nz] = null_counts[nz] / row_total[nz]

    labels = (
        START,
        *(PATH_SEPARATOR.join(channels[d] for d in row[::-1] if d >= 0) for row in digits.tolist()),
    )
    keep_masks = {
        channel: np.concatenate(([True], ~(digits == k).any(axis=1))) for k, channel in enumerate(channels)
    }
    eligible = sorted({c for i, p in enumerate(chain_paths) if conv_w[i] > 0 or value_w[i] > 0 for c in p})
    return _solve_and_credit(
        q, r_conv, r_null, labels, channels, keep_masks, chain_conversions, chain_value, eligible,
        {channel: (math.fsum(conv), math.fsum(value)) for channel, (conv, value) in direct.items()},
        order, passthrough, solvable=bool(steps.size),
    )


def _solve_and_credit(
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
    credit: chain totals split by removal effect, passthrough totals credited directly."""
    n_transient = q.shape[0]
    # ---- exact absorption probabilities ----
    p_conv = float(_absorption_probabilities(q, r_conv)[0]) if solvable else 0.0
    p_without: dict[str, float] = {}
    removal: dict[str, float] = {}
    for channel in channels:
        keep = keep_masks[channel]
        if keep.all():
            p_wo = p_conv
        else:
            p_wo = float(_absorption_probabilities(q[np.ix_(keep, keep)], r_conv[keep])[0])
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


def transition_counts(paths: Iterable[PathCount], passthrough: Iterable[str] = ("unattributed",)) -> TransitionCounts:
    """Aggregate paths into first-order :class:`TransitionCounts` (the Python twin of the
    service's SQL aggregation; ``markov_from_transitions(transition_counts(p))`` equals
    ``markov_attribution(p)``)."""
    passthrough = tuple(passthrough)
    edges: dict[tuple[str, str], float] = {}
    direct: dict[str, list[float]] = {}
    chain_conv = chain_value = 0.0
    converting: set[str] = set()
    for item in paths:
        path = item.path or ((passthrough[0],) if passthrough else ())
        if not path:
            continue
        if len(path) == 1 and path[0] in passthrough:
            totals = direct.setdefault(path[0], [0.0, 0.0])
            totals[0] += item.conversions
            totals[1] += item.conversion_value
            continue
        weight = item.conversions + item.null_conversions
        chain_conv += item.conversions
        chain_value += item.conversion_value
        if item.conversions > 0 or item.conversion_value > 0:
            converting.update(path)
        for source, target in zip((START, *path[:-1]), path):
            edges[(source, target)] = edges.get((source, target), 0.0) + weight
        edges[(path[-1], CONVERSION)] = edges.get((path[-1], CONVERSION), 0.0) + item.conversions
        edges[(path[-1], NULL)] = edges.get((path[-1], NULL), 0.0) + item.null_conversions
    return TransitionCounts(edges, chain_conv, chain_value, {c: (v[0], v[1]) for c, v in direct.items()},
                            tuple(sorted(converting)))


def markov_from_transitions(counts: TransitionCounts, *, passthrough: Iterable[str] = ("unattributed",)) -> MarkovResult:
    """First-order removal-effect attribution from aggregated transition counts: the same
    result as :func:`markov_attribution` on the paths they were counted from, with work
    proportional to the number of channels instead of the number of paths."""
    passthrough = tuple(dict.fromkeys(str(channel).strip() for channel in passthrough))
    for (source, target), weight in counts.edges.items():
        if not math.isfinite(weight) or weight < 0:
            raise ValueError(f"transition {source}->{target} has weight {weight!r}; must be finite and >= 0")
    channels = sorted({state for edge in counts.edges for state in edge} - {START, CONVERSION, NULL})
    if not channels and not counts.passthrough_totals:
        return _empty_result(1, passthrough)
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
    return _solve_and_credit(
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
