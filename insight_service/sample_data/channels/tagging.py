"""The referrer and UTM columns of web sessions, filled channel by channel, and the weighted draws
of their messy variants ("google", "Google", " google")."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def choice(rng, values, p, n):
    """n draws of `values` with weights `p` (object array)."""
    values = np.asarray(values, dtype=object)
    p = np.asarray(p, dtype=float)
    return values[rng.choice(len(values), size=n, p=p / p.sum())]


def variants(rng, n, options):
    """options: list of (value, weight); returns an object array of n draws."""
    vals = [v for v, _ in options]
    w = [p for _, p in options]
    return choice(rng, vals, w, n)


@dataclass
class SessionTags:
    """Per session: referrer host and UTM parameters (None when absent)."""
    referrer: np.ndarray
    utm_source: np.ndarray
    utm_medium: np.ndarray
    utm_campaign: np.ndarray
    utm_content: np.ndarray

    @classmethod
    def empty(cls, n: int) -> SessionTags:
        return cls(*(np.full(n, None, dtype=object) for _ in range(5)))
