"""Bulkheads of the service: a per-store limit on heavy requests running at once, and single flight
of identical cold computations.

* :class:`StoreSlots`: at most ``limit`` heavy requests (budget optimize, insight generation, exports)
  running per store and worker; beyond that 429 with ``Retry-After``, so that one store cannot take
  every request thread. Per worker: with ``--workers 2`` a store may run up to 2 x limit.
* :class:`SingleFlight`: concurrent callers of the same key wait for the first one's result instead of
  computing it again (per process; the response cache shares the result across workers afterwards).
"""
from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from insight_service.api.web.context import state, store_id
from insight_service.api.web.errors import HttpError

T = TypeVar("T")

RETRY_AFTER_S = 2


class TooBusy(HttpError):
    def __init__(self, message: str, retry_after_s: int = RETRY_AFTER_S, details: Any = None):
        super().__init__(429, "too_busy", message, details=details, headers={"Retry-After": str(retry_after_s)})


class StoreSlots:
    """Counts the heavy requests running per store; ``acquire`` refuses beyond ``limit``."""

    def __init__(self, limit: int):
        self.limit = limit
        self._lock = threading.Lock()
        self._running: dict[str, int] = {}

    def acquire(self, store_id: str) -> None:
        with self._lock:
            running = self._running.get(store_id, 0)
            if running >= self.limit:
                raise TooBusy(f"this store already has {running} heavy requests running; retry shortly",
                              details={"running": running, "limit": self.limit})
            self._running[store_id] = running + 1

    def release(self, store_id: str) -> None:
        with self._lock:
            left = self._running.get(store_id, 0) - 1
            if left > 0:
                self._running[store_id] = left
            else:
                self._running.pop(store_id, None)

    def running(self, store_id: str) -> int:
        with self._lock:
            return self._running.get(store_id, 0)


def heavy(view: Callable[..., T]) -> Callable[..., T]:
    """A view that takes one of its store's heavy slots while it runs (429 when none is free)."""
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        slots: StoreSlots = state().slots
        store = store_id()
        slots.acquire(store)
        try:
            return view(*args, **kwargs)
        finally:
            slots.release(store)

    return wrapper


class _Flight:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


class SingleFlight:
    """``do(key, compute)``: one ``compute`` per key at a time; concurrent callers share its outcome."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._flights: dict[str, _Flight] = {}

    def do(self, key: str, compute: Callable[[], T]) -> T:
        with self._lock:
            flight = self._flights.get(key)
            leader = flight is None
            if leader:
                flight = self._flights[key] = _Flight()
        assert flight is not None
        if not leader:
            flight.done.wait()
            if flight.error is not None:
                raise flight.error
            return flight.value
        try:
            flight.value = compute()
            return flight.value
        except BaseException as exc:
            flight.error = exc
            raise
        finally:
            with self._lock:
                self._flights.pop(key, None)
            flight.done.set()
