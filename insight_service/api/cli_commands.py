"""`insights keys ...` and `insights serve`: registered on the CLI by :func:`register`.

Both run the ``app`` schema migrations first (idempotent). ``keys create`` prints the key
alone on the last line of stdout (scripts read it with ``tail -n1``).
"""
from __future__ import annotations

import argparse
import os
import sys


def _say(msg: str = "", *, err: bool = False) -> None:
    print(msg, file=sys.stderr if err else sys.stdout, flush=True)


def _cli_error(message: str) -> Exception:
    from insight_service.cli import CliError

    return CliError(message)


def _connect_and_migrate():
    from insight_service.api.migrations import migrate
    from insight_service.warehouse import connection

    env = connection.resolve_environment()
    conn = connection.connect(connect_timeout=10)
    applied = migrate(conn)
    conn.commit()
    if applied:
        _say(f"applied migrations {', '.join(applied)} to {connection.describe(env)}", err=True)
    return conn


def _store_has_rows(conn, store_id: str) -> bool | None:
    """True/False whether the marts know the store; None when the marts are not built."""
    import psycopg
    from psycopg import sql

    schema = os.environ.get("INSIGHTS_MARTS_SCHEMA") or "marts"
    try:
        with conn.transaction():
            row = conn.execute(
                sql.SQL("select exists (select 1 from {}.fct_unified_metrics where store_id = %s)")
                .format(sql.Identifier(schema)), (store_id,)
            ).fetchone()
        return bool(row[0])
    except psycopg.errors.UndefinedTable:
        return None


def cmd_keys(args: argparse.Namespace) -> int:
    from insight_service.api import auth

    conn = _connect_and_migrate()
    try:
        if args.keys_action == "create":
            store_id = args.store.strip()
            if not store_id:
                raise _cli_error("--store must not be empty")
            known = _store_has_rows(conn, store_id)
            if known is False:
                _say(f"warning: the marts have no rows for store {store_id!r} (yet)", err=True)
            key_id, key = auth.create_key(conn, store_id, args.name)
            _say(f"created API key {key_id} for store {store_id} (shown once; store it now):")
            _say(key)
        elif args.keys_action == "revoke":
            row = auth.revoke_key(conn, args.key_id)
            if row is None:
                raise _cli_error(f"no API key with id {args.key_id!r}")
            _say(f"revoked API key {row['key_id']} of store {row['store_id']} at {row['revoked_at'].isoformat()}")
        else:  # list
            rows = auth.list_keys(conn)
            if not rows:
                _say("no API keys (create one with `insights keys create --store ID`)")
            else:
                _say(f"{'key_id':<14}{'store_id':<24}{'created_at':<27}{'revoked_at':<27}name")
                for r in rows:
                    created = r["created_at"].isoformat(timespec="seconds")
                    revoked = r["revoked_at"].isoformat(timespec="seconds") if r["revoked_at"] else "-"
                    _say(f"{r['key_id']:<14}{r['store_id']:<24}{created:<27}{revoked:<27}{r['name'] or ''}")
    finally:
        conn.close()
    return 0


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
    from insight_service.api.config import Settings
    from insight_service.warehouse import connection

    settings = Settings.from_env()  # fail early, with one line, on a bad INSIGHTS_* value
    if (args.workers is not None and args.workers < 1) or args.threads < 1:
        raise _cli_error("--workers and --threads must be >= 1")
    conn = _connect_and_migrate()
    conn.close()
    workers = args.workers or settings.workers
    if workers > 1 and settings.rate_limit and settings.rate_limit_storage.startswith("memory"):
        _say(f"note: {workers} workers with in-memory rate limits: each worker counts separately "
             "(set INSIGHTS_REDIS_URL to share them)", err=True)
    _say(f"serving the insight API on http://{args.host}:{args.port}/api/marketing/analytics "
         f"({workers} gunicorn workers x {args.threads} threads, warehouse {connection.describe()})", err=True)
    argv = gunicorn_argv(args.host, args.port, workers, args.timeout, args.threads)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(argv[0], argv)  # gunicorn replaces this process: signals reach it directly
    return 0  # not reached


def register(sub: argparse._SubParsersAction) -> None:
    """Add `keys` and `serve` to the `insights` subcommands."""
    keys = sub.add_parser("keys", help="create, revoke and list API keys of the insight service")
    keys_sub = keys.add_subparsers(dest="keys_action", required=True)
    create = keys_sub.add_parser("create", help="create an API key for a store (printed alone on the last line)")
    create.add_argument("--store", required=True, help="store_id the key may read")
    create.add_argument("--name", help="label shown by `keys list`")
    revoke = keys_sub.add_parser("revoke", help="revoke an API key (requests with it get 401)")
    revoke.add_argument("key_id", help="key id (the part after mk_), or the whole key")
    keys_sub.add_parser("list", help="list API keys (ids, stores, dates; never the keys)")
    keys.set_defaults(func=cmd_keys)

    serve = sub.add_parser("serve", help="run the insight API under gunicorn (production WSGI server)")
    serve.add_argument("--host", default=os.environ.get("INSIGHTS_HOST", "127.0.0.1"))
    port = os.environ.get("INSIGHTS_PORT", "8000")
    serve.add_argument("--port", type=int, default=int(port) if port.isdigit() else 8000)
    serve.add_argument("--workers", type=int, default=None, help="gunicorn workers (default INSIGHTS_WORKERS or 2)")
    serve.add_argument("--threads", type=int, default=4, help="threads per worker (gthread worker when > 1)")
    serve.add_argument("--timeout", type=int, default=60, help="gunicorn worker timeout, seconds")
    serve.set_defaults(func=cmd_serve)
