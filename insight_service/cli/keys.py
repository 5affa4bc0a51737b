"""``insights keys create|revoke|list``: the insight API's keys (app schema migrations run first).

``keys create`` prints the key alone on the last line of stdout (scripts read it with ``tail -n1``).
"""
from __future__ import annotations

import argparse
import os

from insight_service.cli import CliError, say, warn


def connect_and_migrate():
    """A connection to the warehouse with the app schema migrated (idempotent)."""
    from insight_service.warehouse import connection
    from insight_service.warehouse.migrations import migrate

    env = connection.resolve_environment()
    conn = connection.connect(connect_timeout=10)
    applied = migrate(conn)
    conn.commit()
    if applied:
        warn(f"applied migrations {', '.join(applied)} to {connection.describe(env)}")
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
    from insight_service.api.web import auth

    conn = connect_and_migrate()
    try:
        if args.keys_action == "create":
            store_id = args.store.strip()
            if not store_id:
                raise CliError("--store must not be empty")
            known = _store_has_rows(conn, store_id)
            if known is False:
                warn(f"warning: the marts have no rows for store {store_id!r} (yet)")
            key_id, key = auth.create_key(conn, store_id, args.name)
            say(f"created API key {key_id} for store {store_id} (shown once; store it now):")
            say(key)
        elif args.keys_action == "revoke":
            row = auth.revoke_key(conn, args.key_id)
            if row is None:
                raise CliError(f"no API key with id {args.key_id!r}")
            say(f"revoked API key {row['key_id']} of store {row['store_id']} at {row['revoked_at'].isoformat()}")
            ttl = _key_cache_s()
            if ttl:  # a worker that verified it a moment ago remembers that (api/web/keycache.py)
                say(f"running servers refuse it within INSIGHTS_KEY_CACHE_S ({ttl:g} s)")
        else:  # list
            rows = auth.list_keys(conn)
            if not rows:
                say("no API keys (create one with `insights keys create --store ID`)")
            else:
                say(f"{'key_id':<14}{'store_id':<24}{'created_at':<27}{'revoked_at':<27}name")
                for r in rows:
                    created = r["created_at"].isoformat(timespec="seconds")
                    revoked = r["revoked_at"].isoformat(timespec="seconds") if r["revoked_at"] else "-"
                    say(f"{r['key_id']:<14}{r['store_id']:<24}{created:<27}{revoked:<27}{r['name'] or ''}")
    finally:
        conn.close()
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add `keys` to the `insights` subcommands."""
    keys = sub.add_parser("keys", help="create, revoke and list API keys of the insight service")
    keys_sub = keys.add_subparsers(dest="keys_action", required=True)
    create = keys_sub.add_parser("create", help="create an API key for a store (printed alone on the last line)")
    create.add_argument("--store", required=True, help="store_id the key may read")
    create.add_argument("--name", help="label shown by `keys list`")
    revoke = keys_sub.add_parser("revoke", help="revoke an API key (requests with it get 401)")
    revoke.add_argument("key_id", help="key id (the part after mk_), or the whole key")
    keys_sub.add_parser("list", help="list API keys (ids, stores, dates; never the keys)")
    keys.set_defaults(func=cmd_keys)


def _key_cache_s() -> float:
    """How long a running server keeps a verified key: INSIGHTS_KEY_CACHE_S as the servers read it (their
    default when the environment does not parse: those servers would not have started)."""
    from insight_service.core.settings import ConfigError, Settings

    try:
        return Settings.from_env().key_cache_s
    except ConfigError:
        return Settings.key_cache_s
