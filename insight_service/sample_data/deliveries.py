"""When each row of the simulated world reaches the raw tables, and with which values.

The generator simulates a *world* (every store from the first day of history to `reserve_days`
after the end date) and keeps each raw table as `Deliveries`: one `Frame` row per natural
key (the values that never change) plus one entry per delivery of that key:

    row    which key (index into the frame)
    day    the local day whose morning sync delivers it (day index from the history start;
           the sync of day d runs at d + 1, 06:00 UTC, after every store's day d has ended)
    slot   minutes after that sync's start: orders two deliveries of one key on one sync
    values the columns that evolve (an order's status, an article's status, a delivery's
           metrics...), as they were when this delivery was made

A load *as of* a cutoff day C takes, per key, the latest delivery with day <= C (the state
of the world at the end of day C). An append of days (C, C+N] takes every delivery in that
window, in (day, slot) order: new rows, late rows of earlier days, status changes and
unchanged re-deliveries of earlier keys.
"""
from __future__ import annotations

import numpy as np

from .tabular import Frame

SYNC_HOUR = 6  # the daily sync of day d runs at (d + 1) 06:00 UTC
CLEAN_SLOT = 10  # minutes after the sync: clean deliveries (dirty copies go before or after)
# why a delivery happened (for the append report)
FIRST, CHANGED, REDELIVERED = 0, 1, 2


class Deliveries:
    """Every delivery of one world table (see the module docstring). Sorted by (row, day, slot)."""

    __slots__ = ("frame", "row", "day", "slot", "values", "nulls", "_first_day")

    def __init__(self, frame: Frame, row, day, values: dict | None = None, nulls: dict | None = None, slot=None):
        row = np.asarray(row, dtype=np.int64)
        day = np.asarray(day, dtype=np.int64)
        slot = np.full(len(row), CLEAN_SLOT, dtype=np.int64) if slot is None else np.asarray(slot, dtype=np.int64)
        values = {c: np.asarray(v) for c, v in (values or {}).items()}
        nulls = {c: np.asarray(m, dtype=bool) for c, m in (nulls or {}).items()}
        if len(row) > 1 and not (row[1:] > row[:-1]).all():  # one delivery per row in row order: sorted already
            order = np.lexsort((slot, day, row))
            row, day, slot = row[order], day[order], slot[order]
            values = {c: v[order] for c, v in values.items()}
            nulls = {c: m[order] for c, m in nulls.items()}
        self.frame = frame
        self.row, self.day, self.slot = row, day, slot
        self.values, self.nulls = values, nulls
        self._first_day = None

    @property
    def n(self) -> int:
        return len(self.row)

    # ---- builders ----
    @classmethod
    def once(cls, frame: Frame, day) -> Deliveries:
        """One delivery per row (events that never change: sessions, daily stats, ledger rows)."""
        return cls(frame, np.arange(frame.n), np.broadcast_to(np.asarray(day, dtype=np.int64), (frame.n,)))

    @classmethod
    def from_events(cls, frame: Frame, row, day, order, values: dict, nulls: dict | None = None) -> Deliveries:
        """State changes -> deliveries: each day with a change delivers the state at the end of that day.

        row/day/order/values: one entry per event; `order` sorts a row's events in time."""
        row, day, order = (np.asarray(a, dtype=np.int64) for a in (row, day, order))
        s = np.lexsort((order, row))
        row, day = row[s], day[s]
        values = {c: np.asarray(v)[s] for c, v in values.items()}
        nulls = {c: np.asarray(m, dtype=bool)[s] for c, m in (nulls or {}).items()}
        # the last event of a (row, day) is what that day's sync delivers
        last = np.ones(len(row), dtype=bool)
        last[:-1] = (row[1:] != row[:-1]) | (day[1:] != day[:-1])
        return cls(frame, row[last], day[last], {c: v[last] for c, v in values.items()},
                   {c: m[last] for c, m in nulls.items()})

    def with_redeliveries(self, row, day, slot=None) -> Deliveries:
        """Add unchanged re-deliveries (connector re-syncs, records touched upstream): each repeats
        the row's state as of its day. Ignored before the row's first delivery or on a day that
        already delivers the row."""
        row = np.asarray(row, dtype=np.int64)
        day = np.asarray(day, dtype=np.int64)
        slot = np.full(len(row), CLEAN_SLOT, dtype=np.int64) if slot is None else np.asarray(slot, dtype=np.int64)
        # index of the row's latest delivery on or before `day` (deliveries are sorted by row, day, slot)
        key = self.row * (1 << 32) + self.day
        prev = np.searchsorted(key, row * (1 << 32) + day, side="right") - 1
        ok = (prev >= 0) & (self.row[np.maximum(prev, 0)] == row) & (self.day[np.maximum(prev, 0)] < day)
        prev, row, day, slot = prev[ok], row[ok], day[ok], slot[ok]
        # one re-delivery per (row, day)
        uniq = np.unique(np.stack([row, day]), axis=1, return_index=True)[1] if len(row) else np.zeros(0, np.int64)
        prev, row, day, slot = prev[uniq], row[uniq], day[uniq], slot[uniq]
        return Deliveries(
            self.frame, np.concatenate([self.row, row]), np.concatenate([self.day, day]),
            {c: np.concatenate([v, v[prev]]) for c, v in self.values.items()},
            {c: np.concatenate([m, m[prev]]) for c, m in self.nulls.items()},
            np.concatenate([self.slot, slot]))

    # ---- selections (arrays of delivery indexes) ----
    def latest(self, last_day: int) -> np.ndarray:
        """Per row, its latest delivery with day <= last_day (the world as of the end of that day)."""
        ok = self.day <= last_day
        nxt_other = np.ones(self.n, dtype=bool)
        nxt_other[:-1] = (self.row[1:] != self.row[:-1]) | ~ok[1:]
        return np.flatnonzero(ok & nxt_other)

    def window(self, after_day: int, last_day: int) -> np.ndarray:
        """Every delivery with after_day < day <= last_day, in delivery order (day, slot, row)."""
        idx = np.flatnonzero((self.day > after_day) & (self.day <= last_day))
        return idx[np.lexsort((self.row[idx], self.slot[idx], self.day[idx]))]

    def delivered_between(self, rows, after_days, last_day: int) -> np.ndarray:
        """Per (row, after_day): does the row have a delivery with after_day < day <= last_day?"""
        key = self.row * (1 << 32) + self.day
        rows = np.asarray(rows, dtype=np.int64)
        lo = np.searchsorted(key, rows * (1 << 32) + np.asarray(after_days, dtype=np.int64), side="right")
        hi = np.searchsorted(key, rows * (1 << 32) + last_day, side="right")
        return hi > lo

    def first_day(self) -> np.ndarray:
        """Per row: the day of its first delivery (a large number if never delivered)."""
        if self._first_day is None:
            out = np.full(self.frame.n, np.iinfo(np.int64).max // 4, dtype=np.int64)
            first = np.ones(self.n, dtype=bool)
            first[1:] = self.row[1:] != self.row[:-1]
            out[self.row[first]] = self.day[first]
            self._first_day = out
        return self._first_day

    def why(self, idx) -> np.ndarray:
        """FIRST, CHANGED (an evolving value differs from the row's previous delivery) or REDELIVERED."""
        idx = np.asarray(idx, dtype=np.int64)
        out = np.full(len(idx), FIRST, dtype=np.int8)
        prev = idx - 1
        has_prev = (idx > 0) & (self.row[np.maximum(prev, 0)] == self.row[idx])
        changed = np.zeros(len(idx), dtype=bool)
        p, i = prev[has_prev], idx[has_prev]
        for v in self.values.values():
            changed[has_prev] |= _differs(v[p], v[i])
        for m in self.nulls.values():
            changed[has_prev] |= m[p] != m[i]
        out[has_prev] = np.where(changed[has_prev], CHANGED, REDELIVERED)
        return out

    def take(self, idx, loaded_at) -> Frame:
        """The rows of these deliveries, with their evolving values and the given `_loaded_at`."""
        idx = np.asarray(idx, dtype=np.int64)
        f = self.frame.take(self.row[idx])
        for c, v in self.values.items():
            f.data[c] = v[idx]
        for c, m in self.nulls.items():
            f.masks[c] = m[idx]
        f.data["_loaded_at"] = np.broadcast_to(np.asarray(loaded_at, dtype=np.int64), (len(idx),)).copy()
        return f


def _differs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if a.dtype == object:
        return np.array([x != y for x, y in zip(a.tolist(), b.tolist())], dtype=bool)
    return a != b


def touch_days(rng: np.random.Generator, first: np.ndarray, last: np.ndarray, p: float):
    """Random days on which records are touched upstream (re-delivered unchanged): each row is
    touched on each day of [first, last) with probability p. Returns (row, day) arrays."""
    first = np.asarray(first, dtype=np.int64)
    span = np.maximum(np.asarray(last, dtype=np.int64) - first, 0)
    hits = rng.binomial(span, p)
    rows = np.repeat(np.arange(len(first)), hits)
    # a uniform day of each row's span per hit (duplicates collapse in with_redeliveries)
    days = first[rows] + np.floor(rng.random(len(rows)) * span[rows]).astype(np.int64)
    return rows, days


RESYNC_P = 0.3  # share of mornings on which a platform connector re-syncs the two previous days


def resync_days(drng, n_days: int, days: np.ndarray, group: np.ndarray, n_groups: int):
    """Rows re-synced by a connector: on RESYNC_P of the mornings (per connector `group`), the
    sync re-delivers the two previous days. Returns (row, sync day) of every re-delivery."""
    resyncs = drng.random((max(n_groups, 1), n_days + 3)) < RESYNC_P
    rows, when = [], []
    for lag in (1, 2):
        hit = np.flatnonzero(resyncs[group, days + lag])
        rows.append(hit)
        when.append(days[hit] + lag)
    return np.concatenate(rows), np.concatenate(when)
