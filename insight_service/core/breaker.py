"""The warehouse circuit breaker: fail fast while the database is away, probe it in the background.

A connection failure or a pool timeout opens it. While open, every warehouse call fails at once
(the web layer answers 503 with ``Retry-After``) instead of waiting the pool timeout and queueing
behind other waiting requests. One background thread probes the database every ``probe_s``
seconds (one probe at a time, a short connect timeout) and closes the breaker when a probe
succeeds; requests never probe. Its state is the gauge
insights_circuit_breaker_state{dependency="warehouse"} (0 closed, 1 open).
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from insight_service.telemetry.metrics import CIRCUIT_BREAKER_STATE

log = logging.getLogger("insight_service.core.breaker")

CLOSED, OPEN = 0, 1


class ProbedBreaker:
    """Open on ``trip()``; closed again by the first successful ``probe()`` of a background thread."""

    def __init__(self, probe: Callable[[], None], probe_s: float, dependency: str = "warehouse"):
        self.probe = probe
        self.probe_s = probe_s
        self.dependency = dependency
        self._lock = threading.Lock()
        self._open = False
        self._stop = threading.Event()
        self._prober: threading.Thread | None = None
        CIRCUIT_BREAKER_STATE.labels(dependency=dependency).set(CLOSED)

    @property
    def is_open(self) -> bool:
        return self._open  # a plain read: the fast path of every request takes no lock

    def trip(self, reason: str) -> None:
        """Open (if closed) and start the prober (if none runs)."""
        with self._lock:
            if not self._open:
                log.warning("%s circuit opened: %s", self.dependency, reason)
                self._open = True
                CIRCUIT_BREAKER_STATE.labels(dependency=self.dependency).set(OPEN)
            if self._prober is None and not self._stop.is_set():
                self._prober = threading.Thread(target=self._probe_until_closed, daemon=True,
                                                name=f"{self.dependency}-breaker-probe")
                self._prober.start()

    def _close(self) -> None:
        with self._lock:
            self._open = False
            self._prober = None
            CIRCUIT_BREAKER_STATE.labels(dependency=self.dependency).set(CLOSED)
        log.warning("%s circuit closed: the probe succeeded", self.dependency)

    def _probe_until_closed(self) -> None:
        while not self._stop.wait(self.probe_s):
            try:
                self.probe()
            except Exception as exc:  # still away: keep failing fast
                log.info("%s probe failed: %s", self.dependency, type(exc).__name__)
                continue
            self._close()
            return
        with self._lock:
            self._prober = None

    def stop(self) -> None:
        """End the prober (the app is closing)."""
        self._stop.set()
