"""gunicorn's configuration for ``insights serve`` (``--config python:insight_service.cli.gunicorn_conf``):
its error log as JSON lines (the app logs one line per request, so gunicorn's access log stays off),
and the clean-up of a dead worker's metric files in multiprocess mode."""
from __future__ import annotations

import os

from insight_service.telemetry.logs import gunicorn_logconfig

_level = os.environ.get("INSIGHTS_LOG_LEVEL", "INFO").strip().upper()
logconfig_dict = gunicorn_logconfig(_level if _level in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL") else "INFO")


def child_exit(server, worker) -> None:
    """A worker ended: its live gauges (pool use, breaker state) no longer count."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
