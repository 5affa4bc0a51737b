"""A cancellation token shared by the steps of a run: set by the SIGTERM/SIGINT handlers of
`insights refresh` and `insights schedule`, checked between steps (and between stores), and
forwarded to the running dbt subprocess, which cancels its queries and exits.

``set`` runs inside a signal handler, so it takes no lock (a ``threading.Event`` would: the
handler could deadlock on the lock the interrupted code holds); ``wait`` sleeps in short
slices instead."""
from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator

WAIT_SLICE_S = 0.2


class Cancelled(Exception):
    """The run was asked to stop (the reason is the signal's name)."""


class Cancel:
    def __init__(self) -> None:
        self._set = False
        self.reason: str | None = None
        self._callbacks: list[Callable[[], None]] = []

    def set(self, reason: str) -> None:
        if self._set:
            return
        self.reason = reason
        self._set = True
        for callback in list(self._callbacks):
            callback()

    def is_set(self) -> bool:
        return self._set

    def wait(self, timeout: float) -> bool:
        """Sleep up to ``timeout`` seconds; returns True as soon as the token is set."""
        deadline = time.monotonic() + max(0.0, timeout)
        while not self._set:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            time.sleep(min(WAIT_SLICE_S, remaining))
        return self._set

    def check(self) -> None:
        if self._set:
            raise Cancelled(self.reason or "cancelled")

    @contextlib.contextmanager
    def on_cancel(self, callback: Callable[[], None]) -> Iterator[None]:
        """Run ``callback`` if the token is set while inside the block (at once if already set)."""
        self._callbacks.append(callback)
        try:
            if self._set:
                callback()
            yield
        finally:
            self._callbacks.remove(callback)


@contextlib.contextmanager
def stop_on_signals(cancel: Cancel) -> Iterator[Cancel]:
    """SIGTERM and SIGINT set ``cancel`` (reason "SIGTERM" / "SIGINT") inside the block."""
    import signal

    def handler(signum: int, _frame: object) -> None:
        cancel.set(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield cancel
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
