"""``insights serve``: the insight API under granian (default) or gunicorn (``--server gunicorn``), after the
app schema migrations, with a fresh folder for the workers' metric files (PROMETHEUS_MULTIPROC_DIR) and JSON
logs (granian: a dictConfig file written at start; gunicorn: gunicorn_conf.py).

granian's Rust HTTP front reads a request's line and headers on its event loop, so a client that sends half a
request holds a socket, not one of the app's threads (gunicorn's gthread worker gives each such client a
thread: issue 17)."""
from __future__ import annotations

import argparse
import json
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
WSGI_TARGET = "insight_service.api.wsgi:app"
SERVERS = ("granian", "gunicorn")
# a client that has not sent its whole request head by then is dropped; hyper counts an idle keep-alive connection's
# wait for its next request too, so this is also the keep-alive timeout (users think longer than 10 s)
HEADER_READ_TIMEOUT_MS = 60_000
# connections a granian worker serves at once (its default is backlog / workers = 512 with 2 workers): beyond it a
# keep-alive connection is accepted but never served, and the connections do not spread evenly over the workers,
# so 1,000 users on 2 workers timed out now and then (bench/serving_benchmark.py mix); GRANIAN_BACKPRESSURE wins
BACKPRESSURE = "2048"


def granian_argv(host: str, port: int, workers: int, threads: int, log_config: str) -> list[str]:
    """granian command line: WSGI interface, ``threads`` blocking threads per worker process (each imports
    the app, so each builds its own pool), HTTP/1.1 only, its own access log off (the app logs each request)."""
    return [
        sys.executable, "-m", "granian",
        "--interface", "wsgi",
        "--host", host,
        "--port", str(port),
        "--workers", str(workers),
        "--blocking-threads", str(threads),
        "--backpressure", os.environ.get("GRANIAN_BACKPRESSURE", BACKPRESSURE),
        "--http", "1",
        "--no-ws",
        "--http1-header-read-timeout", str(HEADER_READ_TIMEOUT_MS),
        "--workers-kill-timeout", "20",
        "--respawn-failed-workers",
        "--log-config", log_config,
        "--no-access-log",
        WSGI_TARGET,
    ]


def write_granian_logconfig(folder: str) -> str:
    """granian's log configuration (its logger ``_granian`` and the root logger as JSON on stderr), in a file
    of ``folder``: granian reads it with --log-config."""
    from insight_service.telemetry.logs import granian_logconfig

    level = os.environ.get("INSIGHTS_LOG_LEVEL", "INFO").strip().upper()
    path = os.path.join(folder, "granian-logging.json")
    with open(path, "w") as out:
        json.dump(granian_logconfig(level if level in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL") else "INFO"),
                  out)
    return path


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
        WSGI_TARGET,
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
    if args.server not in SERVERS:
        raise CliError(f"--server (INSIGHTS_SERVER) must be one of {', '.join(SERVERS)}, not {args.server!r}")
    conn = connect_and_migrate()
    conn.close()
    workers = args.workers or settings.workers
    if workers > 1 and settings.rate_limit and settings.rate_limit_storage.startswith("memory"):
        warn(f"note: {workers} workers with in-memory rate limits: each worker counts separately "
             "(set INSIGHTS_REDIS_URL to share them)")
    warn(f"serving the insight API on http://{args.host}:{args.port}/api/marketing/analytics "
         f"({workers} {args.server} workers x {args.threads} threads, warehouse {connection.describe()})")
    os.environ[MULTIPROC_ENV] = fresh_metrics_dir(os.environ.get(MULTIPROC_ENV))
    ensure_secret_key(settings.secret_key)
    if args.server == "gunicorn":
        argv = gunicorn_argv(args.host, args.port, workers, args.timeout, args.threads)
    else:
        argv = granian_argv(args.host, args.port, workers, args.threads,
                            write_granian_logconfig(tempfile.mkdtemp(prefix="insights-serve-")))
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(argv[0], argv)  # the server replaces this process: signals reach it directly
    return 0  # not reached


def register(sub: argparse._SubParsersAction) -> None:
    """Add `serve` to the `insights` subcommands."""
    serve = sub.add_parser("serve", help="run the insight API under granian (or gunicorn): the production server")
    serve.add_argument("--host", default=os.environ.get("INSIGHTS_HOST", "127.0.0.1"))
    port = os.environ.get("INSIGHTS_PORT", "8000")
    serve.add_argument("--port", type=int, default=int(port) if port.isdigit() else 8000)
    serve.add_argument("--workers", type=int, default=None, help="worker processes (default INSIGHTS_WORKERS or 2)")
    serve.add_argument("--threads", type=int, default=4,
                       help="request threads per worker (granian blocking threads; gunicorn gthread when > 1)")
    serve.add_argument("--server", choices=SERVERS, default=os.environ.get("INSIGHTS_SERVER", "granian"),
                       help="HTTP server: granian (default; absorbs slow clients) or gunicorn")
    serve.add_argument("--timeout", type=int, default=60, help="gunicorn worker timeout, seconds (gunicorn only)")
    serve.set_defaults(func=cmd_serve)
