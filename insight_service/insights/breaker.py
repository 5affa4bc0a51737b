"""The LLM circuit breaker, one per process.

After ``failures`` consecutive failed LLM calls (timeout, HTTP or connection error, malformed answer)
it opens for ``open_s`` seconds: generation then uses the templates at once (reason ``circuit_open``),
without a call. After that time one trial call is let through (half-open): success closes it, a
failure opens it again. A call whose service answered (a refusal, a truncated answer) is no failure.
Its state is the gauge insights_circuit_breaker_state{dependency="llm"}.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable

from insight_service.insights.config import BreakerConfig
from insight_service.telemetry.metrics import CIRCUIT_BREAKER_STATE

CLOSED, OPEN, HALF_OPEN = 0, 1, 2


class CircuitBreaker:
    def __init__(self, failures: int, open_s: float, dependency: str = "llm",
                 clock: Callable[[], float] = time.monotonic):
        self.failures = failures
        self.open_s = open_s
        self.dependency = dependency
        self.clock = clock
        self._lock = threading.Lock()
        self._state = CLOSED
        self._consecutive = 0
        self._opened_at = 0.0
        self._trial_running = False
        self._publish()

    @property
    def state(self) -> int:
        with self._lock:
            return self._current()

    def _current(self) -> int:
        if self._state == OPEN and self.clock() - self._opened_at >= self.open_s:
            self._state = HALF_OPEN
            self._trial_running = False
            self._publish()
        return self._state

    def _publish(self) -> None:
        CIRCUIT_BREAKER_STATE.labels(dependency=self.dependency).set(self._state)

    def allow(self) -> bool:
        """Whether a call may go out now (in half-open: only the one trial call)."""
        with self._lock:
            state = self._current()
            if state == CLOSED:
                return True
            if state == HALF_OPEN and not self._trial_running:
                self._trial_running = True
                return True
            return False

    def record_success(self) -> None:
        with self._lock:
            self._consecutive = 0
            self._trial_running = False
            if self._state != CLOSED:
                self._state = CLOSED
                self._publish()

    def record_failure(self) -> None:
        with self._lock:
            self._consecutive += 1
            self._trial_running = False
            if self._state == HALF_OPEN or self._consecutive >= self.failures:
                self._state = OPEN
                self._opened_at = self.clock()
                self._publish()


_process_breaker: CircuitBreaker | None = None
_process_lock = threading.Lock()


def llm_breaker() -> CircuitBreaker:
    """This process's breaker of the LLM dependency (settings INSIGHTS_LLM_BREAKER_*)."""
    global _process_breaker
    with _process_lock:
        if _process_breaker is None:
            config = BreakerConfig.from_env()
            _process_breaker = CircuitBreaker(config.failures, config.open_s)
        return _process_breaker


def reset_llm_breaker(breaker: CircuitBreaker | None = None) -> CircuitBreaker:
    """Replace this process's breaker (a fresh closed one by default), e.g. after a settings change."""
    global _process_breaker
    with _process_lock:
        if breaker is None:
            config = BreakerConfig.from_env()
            breaker = CircuitBreaker(config.failures, config.open_s)
        _process_breaker = breaker
        breaker._publish()
        return breaker
