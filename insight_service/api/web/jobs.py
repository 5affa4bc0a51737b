"""Background jobs: a bounded executor, separate from the request threads, whose jobs live in
``app.jobs`` (migration 007) so that a poll on any gunicorn worker finds them.

``submit`` records the job ``queued`` and hands it to this worker's executor (``job_workers``
threads); at most ``job_workers + job_queue`` jobs wait or run per worker, beyond that 429 with
``Retry-After``. The job's store holds one of its heavy slots (bulkhead.StoreSlots) until it ends.
A job sees no request: whatever it needs is bound into its function when it is submitted.
A worker that dies takes its queued and running jobs with it: they stay ``queued``/``running`` and a
poll reports them ``failed`` (``lost``) once they are older than ``LOST_AFTER``.
"""
from __future__ import annotations

import json
import logging
import re
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from psycopg import sql

from insight_service.api.web.bulkhead import StoreSlots, TooBusy
from insight_service.api.web.cache import dumps
from insight_service.core.errors import DomainError
from insight_service.core.warehouse import Warehouse

log = logging.getLogger("insight_service.api.web.jobs")

JOB_ID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
LOST_AFTER = "30 minutes"
KEEP_FINISHED = "1 day"


class JobRunner:
    def __init__(self, warehouse: Warehouse, slots: StoreSlots, workers: int, queue: int):
        self.warehouse = warehouse
        self.slots = slots
        self.capacity = workers + queue
        self._taken = threading.BoundedSemaphore(self.capacity)
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="insights-job")
        self.a = warehouse.a

    def submit(self, store_id: str, kind: str, work: Callable[[], Any]) -> dict[str, Any]:
        """Record and queue ``work`` for the store; ``{job_id, status}`` (429 when full or the store is busy)."""
        if not self._taken.acquire(blocking=False):
            raise TooBusy("too many background jobs are waiting; retry shortly", retry_after_s=5,
                          details={"capacity": self.capacity})
        try:
            self.slots.acquire(store_id)
        except TooBusy:
            self._taken.release()
            raise
        job_id = str(uuid.uuid4())
        try:
            self.warehouse.fetch(sql.SQL(
                "with old as (delete from {a}.jobs where finished_at < now() - %s::interval) "
                "insert into {a}.jobs (job_id, store_id, kind, status) values (%s, %s, %s, 'queued') "
                "returning job_id").format(a=self.a), (KEEP_FINISHED, job_id, store_id, kind))
            self._executor.submit(self._run, job_id, store_id, work)
        except BaseException:
            self.slots.release(store_id)
            self._taken.release()
            raise
        return {"job_id": job_id, "status": "queued"}

    def _run(self, job_id: str, store_id: str, work: Callable[[], Any]) -> None:
        try:
            self._set(job_id, "running", started=True)
            try:
                result = work()
            except DomainError as exc:
                self._set(job_id, "failed", error={"code": exc.code, "message": exc.message, "details": exc.details})
                return
            except Exception:
                log.exception("job %s failed", job_id)
                self._set(job_id, "failed", error={"code": "internal_error", "message": "internal error",
                                                   "details": {"job_id": job_id}})
                return
            self._set(job_id, "done", result=dumps(result))
        except Exception:  # the job's row could not be written (warehouse away): logged, never raised
            log.exception("job %s: cannot record its state", job_id)
        finally:
            self.slots.release(store_id)
            self._taken.release()

    def _set(self, job_id: str, status: str, *, started: bool = False, result: str | None = None,
             error: dict[str, Any] | None = None) -> None:
        finished = status in ("done", "failed")
        self.warehouse.fetch(sql.SQL(
            "update {a}.jobs set status = %s, result = %s::jsonb, error = %s::jsonb, "
            "started_at = case when %s then now() else started_at end, "
            "finished_at = case when %s then now() else finished_at end "
            "where job_id = %s returning job_id").format(a=self.a),
            (status, result, json.dumps(error) if error is not None else None, started, finished, job_id))

    def get(self, store_id: str, job_id: str) -> dict[str, Any] | None:
        """The store's job (None for an unknown id or another store's)."""
        if not JOB_ID_RE.fullmatch(job_id):
            return None
        row = self.warehouse.one(sql.SQL(
            "select job_id::text as job_id, kind, status, result, error, created_at, started_at, finished_at, "
            "  status in ('queued', 'running') and created_at < now() - %s::interval as lost "
            "from {a}.jobs where job_id = %s and store_id = %s").format(a=self.a), (LOST_AFTER, job_id, store_id))
        if row is None:
            return None
        if row.pop("lost"):
            row.update(status="failed", error={"code": "lost", "message": "the worker running this job stopped; "
                                               "submit it again", "details": None})
        return row

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
