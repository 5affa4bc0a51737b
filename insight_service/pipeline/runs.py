"""Records of pipeline runs in ``app.pipeline_runs`` (migration 003_pipeline_runs.sql).

A run is inserted ``running`` when it has the lock and updated after every step (so a long
run can be watched), then finished ``success`` or ``failed``. A refresh that finds the lock
taken inserts one finished ``skipped_locked`` row. Rows left ``running`` by a process that
died are marked ``failed`` by the next refresh that holds the lock (it alone may run, so any
other ``running`` row is dead): they never block anything in the meantime.

Every finished step, and the run's end, is also one log record of the ``insight_service.pipeline``
logger with the fields ``run_id``, ``step``, ``status`` and ``duration_s`` as ``extra`` (one JSON
line each under the JSON formatter of the CLI; see README "Operating it").
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import socket
import time
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

STATUSES = ("running", "success", "failed", "skipped_locked")
TRIGGERS = ("cli", "schedule")

log = logging.getLogger("insight_service.pipeline")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclasses.dataclass
class Step:
    """One step of a run as stored in ``steps``: name, start, duration, result and details."""

    name: str
    started_at: dt.datetime = dataclasses.field(default_factory=utcnow)
    result: str = "running"
    details: dict[str, Any] = dataclasses.field(default_factory=dict)
    duration_s: float | None = None
    _t0: float = dataclasses.field(default_factory=time.monotonic, repr=False)
    logged: bool = dataclasses.field(default=False, repr=False)  # its log record was written

    def finish(self, result: str, **details: Any) -> Step:
        self.result = result
        self.details.update(details)
        self.duration_s = round(time.monotonic() - self._t0, 3)
        return self

    def elapsed(self) -> float:
        return time.monotonic() - self._t0

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "started_at": self.started_at.isoformat(), "duration_s": self.duration_s,
                "result": self.result, "details": self.details}


class RunRecorder:
    """Writes one run's row. Every write is its own autocommit statement on ``conn``."""

    def __init__(self, conn: psycopg.Connection, trigger: str, dbt_args: list[str]):
        if trigger not in TRIGGERS:
            raise ValueError(f"trigger must be one of {', '.join(TRIGGERS)}, got {trigger!r}")
        self.conn = conn
        self.trigger = trigger
        self.dbt_args = list(dbt_args)
        self.run_id: int | None = None
        self.steps: list[Step] = []
        self._t0 = time.monotonic()

    def _one(self, query: str, params: Any) -> dict[str, Any] | None:
        with self.conn.cursor(row_factory=dict_row) as cur:
            return cur.execute(query, params).fetchone()

    def start(self) -> int:
        row = self._one(
            "insert into app.pipeline_runs (status, trigger, dbt_args, host, pid) "
            "values ('running', %s, %s, %s, %s) returning run_id",
            (self.trigger, self.dbt_args, socket.gethostname(), os.getpid()))
        self.run_id = int(row["run_id"])
        return self.run_id

    def skipped_locked(self, reason: str) -> int:
        row = self._one(
            "insert into app.pipeline_runs (status, trigger, dbt_args, host, pid, finished_at, error, summary) "
            "values ('skipped_locked', %s, %s, %s, %s, now(), %s, %s) returning run_id",
            (self.trigger, self.dbt_args, socket.gethostname(), os.getpid(), reason, reason))
        self.run_id = int(row["run_id"])
        return self.run_id

    def abandon_stale(self) -> list[int]:
        """Mark rows still ``running`` from dead processes as failed (call while holding the lock)."""
        with self.conn.cursor() as cur:
            rows = cur.execute(
                "update app.pipeline_runs set status = 'failed', finished_at = now(), "
                "error = coalesce(error, 'abandoned: the process ended before finishing the run (found by run ' "
                "  || %s::text || ')') "
                "where status = 'running' and run_id <> %s returning run_id",
                (self.run_id, self.run_id)).fetchall()
        return [int(r[0]) for r in rows]

    def step(self, name: str) -> Step:
        step = Step(name)
        self.steps.append(step)
        self.save_steps()
        return step

    def save_steps(self, **columns: Any) -> None:
        """Persist the steps (and any other columns given, e.g. ``raw_signature``)."""
        values = {"steps": Jsonb([s.to_json() for s in self.steps]), **_adapt(columns)}
        _check_columns(values)
        assignments = sql.SQL(", ").join(
            sql.SQL("{} = {}").format(sql.Identifier(name), sql.Placeholder(name)) for name in values)
        self.conn.execute(sql.SQL("update app.pipeline_runs set {} where run_id = %(run_id)s").format(assignments),
                          {**values, "run_id": self.run_id})
        self._log_finished_steps()

    def _log_finished_steps(self) -> None:
        # a step is finished by Step.finish and recorded by the next save: log it then, once
        for step in self.steps:
            if step.duration_s is not None and not step.logged:
                step.logged = True
                # INFO: a failed step is reported by the run's own error line; logs are for aggregation
                log.info("pipeline step %s %s in %.1fs", step.name, step.result, step.duration_s,
                         extra={"run_id": self.run_id, "step": step.name, "status": step.result,
                                "duration_s": step.duration_s})

    def finish(self, status: str, **columns: Any) -> None:
        if status not in ("success", "failed"):
            raise ValueError(f"a run finishes success or failed, not {status!r}")
        self.save_steps(status=status, finished_at=utcnow(), **columns)
        duration = round(time.monotonic() - self._t0, 3)
        log.info("pipeline run %s %s in %.1fs", self.run_id, status, duration,
                 extra={"run_id": self.run_id, "step": "run", "status": status, "duration_s": duration,
                        "trigger": self.trigger})


# columns a run may set (the names are composed into the UPDATE as identifiers)
_COLUMNS = {"steps", "status", "finished_at", "rows_written", "dbt_invocation_id", "error", "no_new_data",
            "summary", "raw_signature", "signature_digest", "marts_watermark", "changed_stores", "build_id"}


def _check_columns(values: dict[str, Any]) -> None:
    unknown = set(values) - _COLUMNS
    if unknown:
        raise ValueError(f"unknown pipeline_runs column(s): {', '.join(sorted(unknown))}")


def _adapt(columns: dict[str, Any]) -> dict[str, Any]:
    return {k: (Jsonb(v) if isinstance(v, (dict, list)) and k != "changed_stores" else v)
            for k, v in columns.items()}


# ---- reading -----------------------------------------------------------------------------

def last_success(conn: psycopg.Connection) -> dict[str, Any] | None:
    """The latest successful run (its signature and watermark are the baseline of the next)."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "select run_id, started_at, finished_at, raw_signature, signature_digest, marts_watermark, build_id "
            "from app.pipeline_runs where status = 'success' order by run_id desc limit 1").fetchone()


def running_run(conn: psycopg.Connection) -> dict[str, Any] | None:
    """The newest row still ``running`` (for the "busy" message)."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "select run_id, started_at, trigger, host, pid from app.pipeline_runs "
            "where status = 'running' order by run_id desc limit 1").fetchone()


def last_finished(conn: psycopg.Connection) -> dict[str, Any] | None:
    """The latest run that finished success or failed (``skipped_locked`` rows are refusals, not runs)."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "select run_id, status, started_at, finished_at, error, summary from app.pipeline_runs "
            "where status in ('success', 'failed') order by finished_at desc limit 1").fetchone()
