"""``insights serve``: the insight API under gunicorn (after the app schema migrations)."""
from __future__ import annotations

import argparse
import os
import sys

from insight_service.cli import CliError, warn
from insight_service.cli.keys import connect_and_migrate


def gunicorn_argv(host: str, port: int, workers: int, timeout: int = 60, threads: int = 4,
                  access_log: bool = True) -> list[str]:
    """gunicorn command line; threads > 1 selects the gthread worker (I/O-bound requests)."""
    return [
        sys.executable, "-m", "gunicorn",
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
