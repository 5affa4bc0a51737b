"""Vectorised local-time <-> UTC conversion for one store timezone over the history window."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np

DAY = 86400
EPOCH = dt.date(1970, 1, 1)


def epoch_day(d: dt.date) -> int:
    return (d - EPOCH).days


class LocalClock:
    """UTC offsets of a timezone tabulated per UTC hour from (start - 5 days) to (end + 40 days).

    Timestamps are int64 epoch seconds (UTC); "local seconds" are the same count on the
    store's wall clock (so local_seconds // 86400 is the local epoch day).
    """

    def __init__(self, tz_name: str, start_day: int, n_days: int):
        self.tz = ZoneInfo(tz_name)
        self.start_day = start_day
        self.base = (start_day - 5) * DAY
        hours = (n_days + 45) * 24
        utc = dt.UTC
        offs = np.empty(hours, dtype=np.int64)
        for h in range(hours):
            t = dt.datetime.fromtimestamp(self.base + h * 3600, utc).astimezone(self.tz)
            offs[h] = int(t.utcoffset().total_seconds())
        self.offsets = offs

    def _off(self, t) -> np.ndarray:
        idx = (np.asarray(t, dtype=np.int64) - self.base) // 3600
        return self.offsets[np.clip(idx, 0, len(self.offsets) - 1)]

    def to_utc(self, local_seconds) -> np.ndarray:
        local = np.asarray(local_seconds, dtype=np.int64)
        guess = local - self._off(local)
        return local - self._off(guess)

    def to_local(self, utc) -> np.ndarray:
        utc = np.asarray(utc, dtype=np.int64)
        return utc + self._off(utc)

    def day_index(self, utc) -> np.ndarray:
        """Local day of a UTC instant, as an index from the history start (may be < 0)."""
        return self.to_local(utc) // DAY - self.start_day

    def local_midnight_utc(self, day_index) -> np.ndarray:
        return self.to_utc((self.start_day + np.asarray(day_index, dtype=np.int64)) * DAY)

    def dst_days(self, n_days: int) -> list[int]:
        """Day indexes (0..n_days-1) on which the UTC offset changes."""
        changes = np.flatnonzero(np.diff(self.offsets)) + 1
        days = sorted({int(d) for d in self.day_index(self.base + changes * 3600)})
        return [d for d in days if 0 <= d < n_days]


def sample_seconds_of_day(rng: np.random.Generator, profile: np.ndarray, n: int) -> np.ndarray:
    """Local seconds after midnight following an hour-of-day profile."""
    p = profile / profile.sum()
    hours = rng.choice(24, size=n, p=p)
    return hours.astype(np.int64) * 3600 + rng.integers(0, 3600, size=n)
