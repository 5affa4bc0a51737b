"""``insights serve``: the insight API under gunicorn (after the app schema migrations), with a fresh
folder for the workers' metric files (PROMETHEUS_MULTIPROC_DIR) and JSON logs (gunicorn_conf.py)."""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import sys
import tempfile

from insight_service.cli import CliError, warn
from insight_service.cli.keys import connect_and_migrate
from insight_service.core.settings import SECRET_KEY_ENV

GUNICORN_CONFIG = "python:insight_service.cli.gunicorn_conf"
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def gunicorn_argv(host: str, port: int, workers: int, timeout: int = 60, threads: int = 4,
                  access_log: bool = False) -> list[str]:
    """gunicorn command line; threads > 1 selects the gthread worker (I/O-bound requests). The app logs
    one JSON line per request, so gunicorn's own access log is off unless asked for."""
    return [
        sys.executable, "-m", "gunicorn",
        "--config", GUNICORN_CONFIG,
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        "--threads", str(threads),
        "--timeout", str(timeout),
        "--limit-request-line", "8190",
        "--graceful-timeout", "20",
        *(["--access-logfile", "-"] if access_log else []),
        "--error-logfile", "-",
        "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        "insight_service.api.wsgi:app",
    ]


def fresh_metrics_dir(given: str | None) -> str:
    """An empty folder for the workers' metric files: ``given`` emptied (counts of an earlier server
    must not add up with this one's), else a new temporary folder."""
    if not given:
        return tempfile.mkdtemp(prefix="insights-metrics-")
    os.makedirs(given, exist_ok=True)
    for name in os.listdir(given):
        path = os.path.join(given, name)
        if name.endswith(".db") and os.path.isfile(path):
            os.remove(path)
        elif os.path.isdir(path):
            shutil.rmtree(path)
    return given


def ensure_secret_key(configured: str | None) -> None:
    """Without INSIGHTS_SECRET_KEY, one random secret for every worker (they inherit the environment), so a
    session cookie signed by one worker is valid in the others; it dies with the server."""
    if configured:
        return
    os.environ[SECRET_KEY_ENV] = secrets.token_urlsafe(32)
    warn(f"note: {SECRET_KEY_ENV} is not set: dashboard sessions are signed with a random key and end when "
         "the server restarts (set it to keep them)")


def cmd_serve(args: argparse.Namespace) -> int:
    from insight_service.core.settings import Settings
    from insight_service.warehouse import connection

    settings = Settings.from_env()  # fail early, with one line, on a bad INSIGHTS_* value
    if (args.workers is not None and args.workers < 1) or args.threads < 1:
        raise CliError("--workers and --threads must be >= 1")
    conn = connect_and_migrate()
    conn.close()
    workers = args.workers or settings.workers
    if workers > 1 and settings.rate_limit and settings.rate_limit_storage.startswith("memory"):
        warn(f"note: {workers} workers with in-memory rate limits: each worker counts separately "
             "(set INSIGHTS_REDIS_URL to share them)")
    warn(f"serving the insight API on http://{args.host}:{args.port}/api/marketing/analytics "
         f"({workers} gunicorn workers x {args.threads} threads, warehouse {connection.describe()})")
    os.environ[MULTIPROC_ENV] = fresh_metrics_dir(os.environ.get(MULTIPROC_ENV))
    ensure_secret_key(settings.secret_key)
    argv = gunicorn_argv(args.host, args.port, workers, args.timeout, args.threads)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(argv[0], argv)  # gunicorn replaces this process: signals reach it directly
    return 0  # not reached


def register(sub: argparse._SubParsersAction) -> None:
    """Add `serve` to the `insights` subcommands."""
    serve = sub.add_parser("serve", help="run the insight API under gunicorn (production WSGI server)")
    serve.add_argument("--host", default=os.environ.get("INSIGHTS_HOST", "127.0.0.1"))
    port = os.environ.get("INSIGHTS_PORT", "8000")
    serve.add_argument("--port", type=int, default=int(port) if port.isdigit() else 8000)
    serve.add_argument("--workers", type=int, default=None, help="gunicorn workers (default INSIGHTS_WORKERS or 2)")
    serve.add_argument("--threads", type=int, default=4, help="threads per worker (gthread worker when > 1)")
    serve.add_argument("--timeout", type=int, default=60, help="gunicorn worker timeout, seconds")
    serve.set_defaults(func=cmd_serve)
