"""Page-load benchmark of the dashboard: Chromium loads a view until every chart is drawn, cold and warm.

The service runs under gunicorn (as `insights serve` runs it) against a database holding the generated
sample built by dbt: by default a throwaway database on the PG* server, loaded with the demo sample
(``--scale 1 --months 19``, as `make demo`) and built (a few minutes), dropped at the end; or the
database named by ``--dsn`` (or PGDATABASE with ``--dsn ''``), whose marts must already be built.
The chosen range (``--days``, ending at the store's last data date) must hold at least 10,000 rows of
marts.fct_unified_metrics for the store; the script prints that count.

A load is timed from navigation start (the document's time origin) to the moment
``document.documentElement.dataset.ready`` becomes "true" (the view's data fetched and all its
charts drawn), measured inside the page with a MutationObserver. ``--loads`` cold loads each use a
new browser context (empty HTTP cache, new session cookie); ``--loads`` warm loads reload one page in
one context (cached assets). The server's response cache is on, as in production, and primed by the
first load; ``--server-cache off`` measures every API call against the marts. Prints p50/p95/max per
view and mode, and whether p95 meets the target (< 2 s).

    PGHOST=127.0.0.1 PGUSER=postgres .venv/bin/python bench/dashboard_benchmark.py
    PGHOST=... .venv/bin/python bench/dashboard_benchmark.py --dsn 'dbname=warehouse' --days 365

Chromium is Debian's /usr/bin/chromium (apt-get install chromium); traffic stays on 127.0.0.1.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from psycopg import sql  # noqa: E402

from bench.api_benchmark import FixtureDatabase, free_port, percentile, pg_conninfo, say, wait_healthy  # noqa: E402
from insight_service.api.web import auth  # noqa: E402
from insight_service.cli.serve import gunicorn_argv  # noqa: E402
from insight_service.warehouse.migrations import migrate  # noqa: E402
from pytests.support.server import stop_server  # noqa: E402

BASE = "/api/marketing/analytics"
CHROMIUM = os.environ.get("INSIGHTS_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TARGET_P95_S = 2.0
MIN_ROWS = 10_000
# records performance.now() (ms since navigation start) when the view reports ready
READY_TIMER = """
(() => {
  window.__readyAt = null;
  new MutationObserver(() => {
    if (window.__readyAt === null && document.documentElement
        && document.documentElement.dataset.ready === 'true') window.__readyAt = performance.now();
  }).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-ready']});
})();
"""


class SampleDatabase(FixtureDatabase):
    """A throwaway database with the generated sample loaded and built by dbt (dropped at the end)."""

    def __init__(self, scale: float, months: int, seed: int):
        import uuid

        from insight_service.dbt_runner import dbt_command
        from insight_service.sample_data.generator import generate
        from insight_service.sample_data.loader import load_sample

        self.name = f"dash_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(pg_conninfo("postgres"), autocommit=True) as admin:
            admin.execute(sql.SQL("create database {}").format(sql.Identifier(self.name)))
        started = time.perf_counter()
        say(f"generating the sample (scale {scale}, {months} months) into {self.name} ...")
        data = generate(seed=seed, scale=scale, end_date=None, months=months,
                        loaded_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
        with psycopg.connect(pg_conninfo(self.name)) as conn:
            load_sample(conn, data, schema="raw", replace=True)
        say("dbt build ...")
        env = {**os.environ, "PGDATABASE": self.name, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
        with tempfile.TemporaryDirectory(prefix="dash-bench-dbt-") as tmp:
            env.update({"DBT_TARGET_PATH": f"{tmp}/target", "DBT_LOG_PATH": f"{tmp}/logs"})
            proc = subprocess.run(dbt_command(["build"]), env=env, cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            self.drop()
            raise SystemExit("dbt build failed:\n" + "\n".join((proc.stdout + proc.stderr).splitlines()[-40:]))
        say(f"sample ready in {time.perf_counter() - started:.0f} s")


def metric_rows(conn, marts: str, store: str, start: dt.date, end: dt.date) -> int:
    """Rows of fct_unified_metrics (every period, source and channel) of the store starting in the range."""
    return conn.execute(sql.SQL(
        "select count(*) from {}.fct_unified_metrics where store_id = %s and period_start between %s and %s"
    ).format(sql.Identifier(marts)), (store, start, end)).fetchone()[0]


def last_data_date(conn, marts: str, store: str) -> dt.date | None:
    return conn.execute(sql.SQL(
        "select max(period_start) from {}.fct_unified_metrics where store_id = %s and period = 'daily'"
    ).format(sql.Identifier(marts)), (store,)).fetchone()[0]


def timed_load(page, url: str | None, timeout_ms: int) -> float:
    """Seconds from navigation start to ready; url None reloads."""
    if url is None:
        page.reload(wait_until="commit")
    else:
        page.goto(url, wait_until="commit")
    page.wait_for_function("() => window.__readyAt !== null && window.__readyAt !== undefined",
                           timeout=timeout_ms)  # a function: the page's CSP forbids eval of an expression
    if url is not None and urllib.parse.urlsplit(page.url).path != urllib.parse.urlsplit(url).path:
        raise SystemExit(f"{url} ended at {page.url}: the load is not the view's (signed out?)")
    if page.locator("[data-testid='error-banner']").count():
        raise SystemExit(f"{page.url}: error banner: {page.locator('[data-testid=error-banner]').first.inner_text()}")
    return page.evaluate("window.__readyAt") / 1000


def sign_in(context, key: str) -> None:
    response = context.request.post(f"{BASE}/session", data={"api_key": key})
    if response.status != 200:
        raise SystemExit(f"POST {BASE}/session answered {response.status}: {response.text()[:300]}")


def summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"n": len(ordered), "p50_s": percentile(ordered, 50), "p95_s": percentile(ordered, 95),
            "max_s": ordered[-1] if ordered else float("nan")}


def run_view(browser, server: str, key: str, path: str, loads: int, timeout_ms: int) -> dict[str, dict]:
    cold = []
    for _ in range(loads):
        context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
        context.add_init_script(script=READY_TIMER)
        sign_in(context, key)
        page = context.new_page()
        cold.append(timed_load(page, path, timeout_ms))
        context.close()
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    context.add_init_script(script=READY_TIMER)
    sign_in(context, key)
    page = context.new_page()
    timed_load(page, path, timeout_ms)  # fills the HTTP cache: not counted
    warm = []
    for _ in range(loads):
        warm.append(timed_load(page, None, timeout_ms))
        if urllib.parse.urlsplit(page.url).path != urllib.parse.urlsplit(path).path:
            raise SystemExit(f"a reload of {path} ended at {page.url} (signed out?)")
    context.close()
    return {"cold": summary(cold), "warm": summary(warm)}


VIEWS = ("overview", "channels", "channels/ads", "funnels", "attribution", "budget", "insights", "calendar")


def save_screenshots(browser, server: str, key: str, days: int, folder: Path) -> None:
    """Every view (the optimizer run once on the budget view) at desktop width and at 375 px."""
    folder.mkdir(parents=True, exist_ok=True)
    with urllib.request.urlopen(urllib.request.Request(  # insights to show (templates; none exist in a new sample)
            f"{server}{BASE}/insights/generate?wait=true", method="POST", headers={"Authorization": f"Bearer {key}"}),
            timeout=120) as response:
        response.read()
    for label, viewport in (("desktop", {"width": 1280, "height": 900}), ("375", {"width": 375, "height": 812})):
        context = browser.new_context(base_url=server, viewport=viewport)
        context.add_init_script(script=READY_TIMER)
        sign_in(context, key)
        page = context.new_page()
        for view in VIEWS:
            timed_load(page, f"/dashboard/{view}?days={days}", 60_000)
            if view == "budget":
                try:
                    page.locator("[data-testid='optimizer-run']").click(timeout=10_000)
                    page.locator("[data-chart='optimizer'][data-rendered='true']").wait_for(timeout=60_000)
                except PlaywrightError as exc:
                    say(f"the optimizer did not run for the screenshot: {exc}")
            page.screenshot(path=str(folder / f"{view.replace('/', '-')}-{label}.png"), full_page=True)
        context.close()
    say(f"screenshots in {folder}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", help="conninfo of a database with built marts (default: a throwaway sample database)")
    parser.add_argument("--scale", type=float, default=1.0, help="sample volume when preparing (default 1, the demo)")
    parser.add_argument("--months", type=int, default=19, help="months of sample history when preparing (default 19)")
    parser.add_argument("--seed", type=int, default=42, help="sample seed when preparing (default 42, the demo's)")
    parser.add_argument("--store", default="demo-fashion-us", help="store whose key signs in")
    parser.add_argument("--days", type=int, default=365, help="range of the loaded views, ending at the last date")
    parser.add_argument("--views", default="overview,channels",
                        help="comma-separated views to load (default overview,channels)")
    parser.add_argument("--loads", type=int, default=20, help="loads per view and mode (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4)")
    parser.add_argument("--server-cache", choices=("on", "off"), default="on", help="response cache (default on)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds one load may take before failing")
    parser.add_argument("--json", help="also write the results to this JSON file")
    parser.add_argument("--screenshots", help="after timing, save every view at 1280 px and 375 px into this folder")
    parser.add_argument("--keep", action="store_true", help="keep the prepared sample database (prints its name)")
    args = parser.parse_args(argv)
    if not (1 <= args.loads <= 1000 and 1 <= args.days <= 731):
        parser.error("--loads must be 1..1000 and --days 1..731")
    if not os.path.exists(CHROMIUM):
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    if not os.environ.get("PGHOST"):
        from insight_service.warehouse import connection

        connection.resolve_environment()  # the embedded server, as the CLI does
    sample = None if args.dsn is not None else SampleDatabase(args.scale, args.months, args.seed)
    conninfo = args.dsn if args.dsn is not None else pg_conninfo(sample.name)
    marts = os.environ.get("INSIGHTS_MARTS_SCHEMA") or "marts"
    proc = key_id = None
    try:
        with psycopg.connect(conninfo) as conn:
            migrate(conn)
            conn.commit()
            end = last_data_date(conn, marts, args.store)
            if end is None:
                raise SystemExit(f"no daily rows for store {args.store!r} in {marts}.fct_unified_metrics")
            start = end - dt.timedelta(days=args.days - 1)
            rows = metric_rows(conn, marts, args.store, start, end)
            key_id, key = auth.create_key(conn, args.store, "dashboard_benchmark (temporary)")
            conn.commit()
        print(f"store {args.store}, range {start} .. {end} ({args.days} days): "
              f"{rows:,} rows of {marts}.fct_unified_metrics", flush=True)
        if rows < MIN_ROWS:
            say(f"warning: the range holds fewer than {MIN_ROWS:,} metric rows: raise --days or --scale")

        port = free_port()
        env = {**os.environ, "INSIGHTS_RATE_LIMIT": "off", "INSIGHTS_LOG_LEVEL": "WARNING",
               "INSIGHTS_CACHE_BACKEND": os.environ.get("INSIGHTS_CACHE_BACKEND", "memory")
               if args.server_cache == "on" else "none",
               "INSIGHTS_DATABASE_URL": conninfo,
               # one signing secret for every worker (as `insights serve` sets it), else a session cookie
               # signed by one worker is refused by the other and the page falls back to sign-in
               "INSIGHTS_SECRET_KEY": os.environ.get("INSIGHTS_SECRET_KEY") or secrets.token_hex(32)}
        env.pop("OPENAI_API_KEY", None)
        cmd = gunicorn_argv("127.0.0.1", port, args.workers, 120, args.threads, access_log=False)
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wait_healthy(port, proc)
        server = f"http://127.0.0.1:{port}"

        results: dict[str, dict] = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            try:
                header = f"{'view':<12}{'mode':<6}{'loads':>6}{'p50 s':>8}{'p95 s':>8}{'max s':>8}  target p95 < 2 s"
                print(header)
                print("-" * len(header))
                for view in [v.strip() for v in args.views.split(",") if v.strip()]:
                    path = f"/dashboard/{view}?days={args.days}"
                    results[view] = run_view(browser, server, key, path, args.loads, int(args.timeout * 1000))
                    for mode in ("cold", "warm"):
                        r = results[view][mode]
                        verdict = "met" if r["p95_s"] < TARGET_P95_S else "MISSED"
                        print(f"{view:<12}{mode:<6}{r['n']:>6}{r['p50_s']:>8.2f}{r['p95_s']:>8.2f}{r['max_s']:>8.2f}"
                              f"  {verdict}", flush=True)
                if args.screenshots:
                    save_screenshots(browser, server, key, args.days, Path(args.screenshots))
            finally:
                browser.close()
        if args.json:
            report = {"settings": vars(args), "rows": rows, "range": [str(start), str(end)], "chromium": CHROMIUM,
                      "results": results}
            Path(args.json).write_text(json.dumps(report, indent=2, default=str))
        return 0 if all(r[m]["p95_s"] < TARGET_P95_S for r in results.values() for m in ("cold", "warm")) else 1
    finally:
        if proc is not None:
            stop_server(proc)
        if key_id and sample is None:
            with psycopg.connect(conninfo) as conn:
                conn.execute("delete from app.api_keys where key_id = %s", (key_id,))
                conn.commit()
        if sample is not None and args.keep:
            say(f"kept the sample database {sample.name} (drop it when done)")
        elif sample is not None:
            sample.drop()


if __name__ == "__main__":
    sys.exit(main())
