"""``insights warehouse up|down|status|env``: the embedded PostgreSQL (pgserver), or the external one."""
from __future__ import annotations

import argparse
import time

from insight_service.cli import say
from insight_service.warehouse import connection


def cmd_warehouse(args: argparse.Namespace) -> int:
    from insight_service.warehouse import embedded

    if args.action == "up":
        if not connection.uses_embedded():
            with connection.connect(connect_timeout=5) as conn:
                conn.execute("select 1")
            say(f"PGHOST is set: using the external warehouse {connection.describe()} (reachable)")
            return 0
        started = time.monotonic()
        env = embedded.up()
        say(f"embedded PostgreSQL ready in {time.monotonic() - started:.1f}s: {connection.describe(env)}")
        say(f"data folder: {embedded.pgdata_dir()}")
    elif args.action == "down":
        say("embedded PostgreSQL stopped" if embedded.down() else "embedded PostgreSQL was not running")
    elif args.action == "status":
        if not connection.uses_embedded():
            say(f"external warehouse (PGHOST set): {connection.describe()}")
            with connection.connect(connect_timeout=5) as conn:
                say(conn.execute("select version()").fetchone()[0])
            return 0
        st = embedded.status()
        if st.running:
            say(f"running: pid {st.pid}, socket {st.socket_dir}, port {st.port}, data {st.pgdata}")
        else:
            say(f"stopped (data folder {st.pgdata})")
            return 3
    elif args.action == "env":
        env = connection.resolve_environment()
        for key, value in env.items():
            say(f"export {key}={value}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    wh = sub.add_parser("warehouse", help="manage the embedded PostgreSQL (pgserver)")
    wh.add_argument("action", choices=["up", "down", "status", "env"])
    wh.set_defaults(func=cmd_warehouse)
