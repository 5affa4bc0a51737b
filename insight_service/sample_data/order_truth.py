"""What really drove each generated order: the attribution truth of the sample.

customers.py draws a store's orders per local day as baseline demand (direct, referral, organic
and returning customers: no marketing channel caused them) plus, per paid channel,
Poisson(true curve revenue / order value). So every order has exactly one driver, decided
before its journey is drawn; this module only records it (it draws nothing, so the raw rows do
not change). Per world order (history and reserve, so appended days are covered too):

    store_id, order_id, order_date, driver, journey_sessions, driver_sessions

`driver` is `baseline` or one of PAID_CHANNELS. `journey_sessions` is the number of tracked
sessions the generator gave the order's journey (0: phone order, blocked tracker), and
`driver_sessions` how many of them are of the driver's channel. What the generator guarantees
(checked by pytests/test_attribution_truth.py):

* a channel-driven order with a journey holds a session of its channel (usually the first),
  from a source live on the order's day, unless the channel had no live source that day (that
  visit is then direct); its other sessions are of its channel 55 % of the time, direct 27 %,
  referral 3 % and another paid channel 15 %. `driver_sessions > 0` says the journey shows the
  driver at all: no attribution model can credit an order to a channel it never saw.
* the journey's sessions are the order's browser's, after the customer's previous order and
  within 29.5 days (plus a same-day re-timing) before the order;
* baseline orders' journeys are direct or referral visits, with a paid channel on 10 % of the
  sessions of multi-session journeys (people also click ads they did not need).
* 2 % of channel-driven and 11 % of baseline orders have no tracked session at all.

The file is `true_order_drivers.csv` beside `true_curves.json` (loader.write_artifacts).
"""
from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .order_rows import ORDER_NUMBER_BASE
from .stores import PAID_CHANNELS

BASELINE = "baseline"
DRIVERS = (BASELINE,) + PAID_CHANNELS  # index = customers.py's driver code
COLUMNS = ("store_id", "order_id", "order_date", "driver", "journey_sessions", "driver_sessions")
FILE_NAME = "true_order_drivers.csv"


@dataclass(frozen=True)
class StoreOrderTruth:
    """One store's world orders, in order-number order."""

    store_id: str
    code: str
    start: dt.date
    driver: np.ndarray  # codes into DRIVERS
    day: np.ndarray  # local day index from `start`
    journey_sessions: np.ndarray
    driver_sessions: np.ndarray

    @property
    def n(self) -> int:
        return len(self.driver)

    def order_ids(self) -> list[str]:
        prefix = f"ord-{self.code}-"
        return [prefix + str(ORDER_NUMBER_BASE + 1 + i) for i in range(self.n)]

    def rows(self, last_date: dt.date | None = None) -> Iterator[tuple]:
        """(store_id, order_id, order_date, driver, journey_sessions, driver_sessions) per order,
        up to `last_date` (local) when given."""
        last = None if last_date is None else (last_date - self.start).days
        dates = [self.start + dt.timedelta(days=d) for d in range(int(self.day.max()) + 1)] if self.n else []
        ids = self.order_ids()
        for i, (day, drv, journey, on_driver) in enumerate(zip(self.day.tolist(), self.driver.tolist(),
                                                              self.journey_sessions.tolist(),
                                                              self.driver_sessions.tolist())):
            if last is None or day <= last:
                yield self.store_id, ids[i], dates[day], DRIVERS[drv], journey, on_driver


def from_facts(plan, facts: dict) -> StoreOrderTruth:
    """The truth of one simulated store (`journeys.simulate_store(...)["facts"]`)."""
    return StoreOrderTruth(
        store_id=plan.spec.store_id, code=plan.spec.code, start=plan.start,
        driver=facts["drv"].astype(np.int8), day=facts["oday"].astype(np.int32),
        journey_sessions=facts["ntouch"].astype(np.int16), driver_sessions=facts["driver_touches"].astype(np.int16))


def write_order_truth(path: Path, stores: Iterable[StoreOrderTruth]) -> int:
    """Write the CSV (header + one row per world order); returns the number of orders."""
    n = 0
    with Path(path).open("w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(COLUMNS)
        for store in stores:
            for row in store.rows():
                out.writerow((*row[:2], row[2].isoformat(), *row[3:]))
                n += 1
    return n


def read_order_truth(path: Path) -> Iterator[tuple[str, str, dt.date, str, int, int]]:
    """Rows of a file written by `write_order_truth`, typed."""
    with Path(path).open(newline="") as f:
        rows = csv.reader(f)
        if tuple(next(rows, ())) != COLUMNS:
            raise ValueError(f"{path}: not an order truth file (header must be {','.join(COLUMNS)})")
        for store_id, order_id, day, driver, journey, on_driver in rows:
            yield store_id, order_id, dt.date.fromisoformat(day), driver, int(journey), int(on_driver)
