"""`insights schedule`: a long-running loop that runs `refresh` and the daily insights.

* A refresh at start, then at least every ``--every`` (default 5 min) counted from the start
  of the previous run, and as soon as the raw signature differs from the one the last run saw
  (polled every ``--poll`` s, default 30; ``--poll 0`` is a strict cadence). A failing run is
  therefore retried at the cadence, not in a tight loop (its data has not changed since).
* The daily insights (daily.py) at ``--insights-hour`` store-local, checked on every wake.
* One process, one loop: runs never overlap inside it; the refresh's advisory lock keeps it
  apart from `insights refresh` run by hand or by cron, and a scheduler lock refuses a second
  scheduler on the same warehouse (exit 75).
* SIGTERM / SIGINT: a running dbt build is interrupted (its run is recorded failed,
  "interrupted (SIGTERM)"), insight generation stops after the current store, every lock is
  released and the process exits 0.
* One log line per run (and per daily-insights batch) on stdout, UTC timestamps.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time
from collections.abc import Callable

import psycopg

from insight_service.pipeline import EXIT_BUSY, EXIT_OK
from insight_service.pipeline.cancel import Cancel
from insight_service.pipeline.lock import REFRESH_LOCK, SCHEDULER_LOCK, AdvisoryLock
from insight_service.pipeline.refresh import RefreshOptions, connect, marts_schema, refresh
from insight_service.pipeline.signature import current_signature

DAILY_CHECK_EVERY_S = 60.0
ERROR_LOG_EVERY_S = 60.0
INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h)?\s*$", re.IGNORECASE)


def parse_interval(text: str, default_unit: str = "m") -> float:
    """``5m`` / ``300s`` / ``1h`` / ``5`` (minutes) -> seconds (> 0)."""
    match = INTERVAL.match(str(text))
    if not match:
        raise ValueError(f"invalid interval {text!r}: use e.g. 5m, 90s or 1h")
    value = float(match.group(1))
    unit = (match.group(2) or default_unit).lower()[0]
    seconds = value * {"s": 1, "m": 60, "h": 3600}[unit]
    if seconds <= 0:
        raise ValueError(f"invalid interval {text!r}: must be > 0")
    return seconds


def utc_stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclasses.dataclass
class ScheduleOptions:
    every_s: float = 300.0
    poll_s: float = 30.0           # 0: no polling, strict cadence
    insights_hour: int | None = 2  # None: no daily insights
    verbose: bool = False


class Scheduler:
    def __init__(self, options: ScheduleOptions, cancel: Cancel, log: Callable[[str], None]):
        self.options = options
        self.cancel = cancel
        self.log = lambda msg: log(f"{utc_stamp()} {msg}")
        self.conn: psycopg.Connection | None = None
        self.lock: AdvisoryLock | None = None
        self.last_seen: str | None = None   # signature digest the last refresh saw
        self._last_error_log = -float("inf")

    # ---- connection + the scheduler lock ---------------------------------------------------

    def _ensure_connection(self) -> bool:
        """An open connection holding the scheduler lock; False when another scheduler has it."""
        if self.conn is None or self.conn.closed or self.conn.broken:
            if self.conn is not None:
                self.conn.close()
            self.conn = connect()
            self.lock = AdvisoryLock(self.conn, SCHEDULER_LOCK)
            self.lock.try_acquire()
        return bool(self.lock and self.lock.held)

    def _displaced(self) -> bool:
        """True when another scheduler holds the scheduler lock (this one must exit). A warehouse
        that does not answer is logged and retried: the scheduler keeps running."""
        try:
            if self._ensure_connection():
                return False
        except psycopg.Error as exc:
            self._error("schedule: connecting to the warehouse", exc)
            return False
        self.log("schedule: another `insights schedule` holds the scheduler lock on this warehouse; exiting")
        return True

    def _error(self, what: str, exc: BaseException) -> None:
        now = time.monotonic()
        if now - self._last_error_log >= ERROR_LOG_EVERY_S:  # a down warehouse logs once a minute
            self._last_error_log = now
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            self.log(f"{what} failed: {type(exc).__name__}: {first}")
        if self.conn is not None and (self.conn.closed or self.conn.broken):
            self.conn = None

    # ---- the loop ----------------------------------------------------------------------------

    def run(self) -> int:
        opts = self.options
        if self._displaced():
            return EXIT_BUSY
        daily = f"daily insights at {opts.insights_hour:02d}:00 store-local" if opts.insights_hour is not None \
            else "no daily insights"
        self.log(f"schedule: refresh every {opts.every_s:g}s"
                 + (f", raw data polled every {opts.poll_s:g}s" if opts.poll_s > 0 else ", no polling")
                 + f", {daily}; SIGTERM stops it")
        next_run = time.monotonic()          # a refresh at start
        next_poll = time.monotonic() + opts.poll_s
        next_daily = time.monotonic()
        try:
            while not self.cancel.is_set():
                if self._displaced():
                    return EXIT_BUSY
                now = time.monotonic()
                reason = None
                if now >= next_run:
                    reason = "interval" if self.last_seen is not None else "start"
                elif opts.poll_s > 0 and now >= next_poll:
                    next_poll = now + opts.poll_s
                    if self._new_data():
                        reason = "new data"
                if reason:
                    started = time.monotonic()
                    self._refresh(reason)
                    next_run = started + opts.every_s
                    next_poll = time.monotonic() + opts.poll_s
                if self.cancel.is_set():
                    break
                if opts.insights_hour is not None and time.monotonic() >= next_daily:
                    self._daily()
                    next_daily = time.monotonic() + DAILY_CHECK_EVERY_S
                wake = [next_run, next_daily if opts.insights_hour is not None else next_run]
                if opts.poll_s > 0:
                    wake.append(next_poll)
                self.cancel.wait(max(0.0, min(wake) - time.monotonic()))
        finally:
            if self.lock is not None:
                self.lock.release()
            if self.conn is not None:
                self.conn.close()
        self.log(f"schedule: stopped ({self.cancel.reason or 'done'})")
        return EXIT_OK

    def _new_data(self) -> bool:
        if self.conn is None:
            return False
        try:
            return current_signature(self.conn, []).digest != self.last_seen
        except psycopg.Error as exc:
            self._error("schedule: polling the raw tables", exc)
            return False

    def _refresh(self, reason: str) -> None:
        say = (lambda m: self.log(m.strip())) if self.options.verbose else None
        try:
            outcome = refresh(RefreshOptions(trigger="schedule", verbose=self.options.verbose),
                              cancel=self.cancel, say=say)
        except Exception as exc:  # warehouse unreachable: logged (every run), retried at the next interval
            first = (str(exc).strip().splitlines() or [""])[0]
            self.log(f"refresh could not run: {type(exc).__name__}: {first} [{reason}]")
            if self.conn is not None and (self.conn.closed or self.conn.broken):
                self.conn = None
            return
        if outcome.signature_digest:
            self.last_seen = outcome.signature_digest
        self.log(f"{outcome.summary} [{reason}]")

    def _daily(self) -> None:
        from insight_service.pipeline.daily import run_daily
        from insight_service.pipeline.store_insights import generate_for, service_generator

        try:
            conn = connect()
        except psycopg.Error as exc:
            self._error("daily insights", exc)
            return
        try:
            from insight_service.warehouse.migrations import migrate

            migrate(conn)  # app.pipeline_daily_insights, also when no refresh could run yet
            lock = AdvisoryLock(conn, REFRESH_LOCK)
            if not lock.try_acquire():
                return  # a refresh is running (here or by hand): retried at the next wake
            try:
                generator: dict[str, Callable] = {}

                def generate(stores: list[str]):
                    generator["fn"], generator["close"] = service_generator()
                    return generate_for(stores, generator["fn"], cancel=self.cancel)

                started = time.monotonic()
                try:
                    results = run_daily(conn, dt.datetime.now(dt.UTC), self.options.insights_hour,
                                        generate, marts_schema())
                finally:
                    if "close" in generator:
                        generator["close"]()
            finally:
                lock.release()
            if results:
                ok = [f"{r['store_id']} ({r['local_date']}, {r.get('insights', 0)})" for r in results
                      if r["result"] == "ok"]
                bad = [f"{r['store_id']}: {r.get('error', r['result'])}" for r in results if r["result"] != "ok"]
                self.log(f"daily insights in {time.monotonic() - started:.1f}s: "
                         + (f"generated for {', '.join(ok)}" if ok else "none generated")
                         + (f"; not generated: {'; '.join(bad)}" if bad else ""))
        except Exception as exc:
            self._error("daily insights", exc)
        finally:
            conn.close()
