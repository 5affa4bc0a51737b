"""Test oracle: Markov removal-effect attribution computed from the paths themselves.

The service computes the ``data_driven`` model from transition counts the warehouse has
aggregated (insight_service/attribution/markov.py, `markov_from_transitions`). This engine
starts one step earlier, from the paths of ``fct_conversion_paths`` (one row per (store_id, month_start, channel_path)
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
from dataclasses import dataclass
from typing import Any

import numpy as np

from insight_service.attribution.markov import (
    CONVERSION,
    NULL,
    START,
    MarkovResult,
    TransitionCounts,
    empty_result,
    solve_and_credit,
)

PATH_SEPARATOR = " > "


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
        return empty_result(order, passthrough)

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
    return solve_and_credit(
        q, r_conv, r_null, labels, channels, keep_masks, chain_conversions, chain_value, eligible,
        {channel: (math.fsum(conv), math.fsum(value)) for channel, (conv, value) in direct.items()},
        order, passthrough, solvable=bool(steps.size),
    )


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
