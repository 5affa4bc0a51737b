"""Operations (issue 14): the CLI's dbt pass-through, `insights refresh` and `insights schedule`
on a real warehouse (the small generated sample, real dbt builds) and `/healthz`'s last run.

The warehouse tests share one database and run in file order, each a step of one story:
first refresh -> no new data -> busy -> new data -> failures -> scheduler -> health. They
take about two minutes (five dbt builds, two of them partial)."""
from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import uuid

import psycopg
import pytest

from insight_service.cli.dbt import split_passthrough
from insight_service.cli.main import parse_args
from insight_service.paths import project_dir
from insight_service.pipeline import EXIT_BUSY
from insight_service.pipeline.build import BuildResult, parse_run_results
from insight_service.pipeline.changes import changed_stores
from insight_service.pipeline.checks import suites_to_run
from insight_service.pipeline.lock import REFRESH_LOCK
from insight_service.pipeline.signature import Signature
from insight_service.pipeline.store_insights import generate_for
from pytests.conftest import SAMPLE_END_DATE, load_generated_sample

END = dt.date.fromisoformat(SAMPLE_END_DATE)
REDIS_URL = os.environ.get("INSIGHTS_TEST_REDIS_URL")
CACHE_PREFIX = "insights:cache"  # the service's default key prefix (core/settings.py)
STEPS = ["detect_changes", "build", "validate", "forecasts", "insights", "budget_curves", "invalidate_cache", "vacuum"]


# ---- `insights build` / `insights dbt` pass everything through, as written -------------------

@pytest.mark.parametrize("argv, expected", [
    (["build", "--full-refresh", "--select", "x"], ["--full-refresh", "--select", "x"]),
    (["build", "--select", "x", "--full-refresh"], ["--select", "x", "--full-refresh"]),
    (["build", "--vars", "{attribution_lookback_days: 14}", "-s", "a", "b"],
     ["--vars", "{attribution_lookback_days: 14}", "-s", "a", "b"]),
    (["build", "--", "--full-refresh"], ["--full-refresh"]),           # `--` keeps working
    (["build", "--help"], ["--help"]),                                 # dbt's own help
    (["build"], []),
    (["dbt", "source", "freshness"], ["source", "freshness"]),
    (["dbt", "show", "--select", "m", "--limit", "5"], ["show", "--select", "m", "--limit", "5"]),
    (["dbt", "--", "ls", "--resource-type", "model"], ["ls", "--resource-type", "model"]),
    (["refresh", "--full-refresh", "--force", "--select", "x"], ["--full-refresh", "--select", "x"]),
])
def test_build_dbt_and_refresh_pass_arguments_through(argv, expected):
    args = parse_args(argv)
    assert args.command == argv[0]
    assert args.dbt_args == expected
    if argv[0] == "refresh":
        assert args.force is True and args.full_checks is False


def test_split_passthrough_keeps_own_options_and_order():
    own, rest = split_passthrough(["--force", "--select", "x", "-v", "--", "--force"], ("--force", "-v"))
    assert own == ["--force", "-v"]
    assert rest == ["--select", "x", "--force"]  # after `--` everything is dbt's


def test_other_commands_still_reject_unknown_options(capsys):
    with pytest.raises(SystemExit) as exc:
        parse_args(["validate", "--no-such-option"])
    assert exc.value.code == 2
    assert "unrecognized arguments" in capsys.readouterr().err


# ---- pure parts of the pipeline --------------------------------------------------------------

def test_run_results_failures_make_one_line():
    data = {
        "metadata": {"invocation_id": "inv-1"},
        "args": {"which": "build", "full_refresh": False},
        "results": [
            {"unique_id": "model.p.fct_a", "status": "success", "execution_time": 2.5,
             "adapter_response": {"rows_affected": 120}},
            {"unique_id": "model.p.stg_b", "status": "success", "execution_time": 0.1,
             "adapter_response": {"rows_affected": -1}},
            {"unique_id": "test.p.not_null_fct_a_id.1a2b", "status": "fail", "execution_time": 0.3,
             "message": "Got 3 results,\nconfigured to fail if != 0", "adapter_response": {}},
            {"unique_id": "model.p.fct_c", "status": "skipped", "execution_time": 0,
             "adapter_response": {}},
        ],
    }
    facts = parse_run_results(data)
    assert facts["invocation_id"] == "inv-1" and facts["rows_written"] == 120
    assert facts["counts"] == {"fail": 1, "skipped": 1, "success": 2}
    assert facts["slowest"][0] == {"node": "model fct_a", "seconds": 2.5, "rows": 120}
    result = BuildResult(returncode=1, elapsed_s=3.0, **facts)
    assert not result.success
    assert result.error == ("dbt build: 1 node failed (test not_null_fct_a_id: Got 3 results, configured to "
                            "fail if != 0), 1 skipped")
    assert "\n" not in result.error
    early = BuildResult(returncode=2, elapsed_s=0.5, output_tail=["Usage: dbt build", "Error: No such option '--x'."])
    assert early.error == "dbt build exited 2: Error: No such option '--x'."


def test_validation_scope_rule():
    materialized = {"fct_unified_metrics": "incremental", "fct_order_attribution": "incremental",
                    "dim_stores": "table", "mart_build_info": "table", "fct_budget_utilization": "table"}
    built = {"fct_unified_metrics", "dim_stores", "mart_build_info"}
    run, skipped = suites_to_run(materialized, built, full=False)
    assert set(run) == {"dim_stores", "mart_build_info"}  # rebuilt whole by this build
    assert {"fct_unified_metrics", "fct_order_attribution", "fct_budget_utilization"} <= set(skipped)
    run_all, skipped_none = suites_to_run(materialized, built, full=True)
    assert skipped_none == [] and {"fct_unified_metrics", "fct_attribution_credits"} <= set(run_all)


def test_refresh_builds_without_unit_tests_unless_nodes_are_selected():
    from insight_service.pipeline.refresh import RefreshOptions, build_args

    assert build_args(RefreshOptions()) == ["--exclude", "test_type:unit"]
    assert build_args(RefreshOptions(full_checks=True)) == ["--vars", '{"full_checks": true}',
                                                           "--exclude", "test_type:unit"]
    assert build_args(RefreshOptions(dbt_args=["--full-refresh"]))[-2:] == ["--exclude", "test_type:unit"]
    selected = ["--select", "fct_unified_metrics+"]
    assert build_args(RefreshOptions(dbt_args=selected)) == selected
    assert build_args(RefreshOptions(dbt_args=["-s=stg_web__sessions"])) == ["-s=stg_web__sessions"]
    # unchanged seeds: left out with the tests that read them alone (cautious keeps the tests that also read a model)
    assert build_args(RefreshOptions(), skip_seeds=True) == [
        "--exclude", "test_type:unit", "resource_type:seed", "--indirect-selection", "cautious"]
    assert build_args(RefreshOptions(dbt_args=selected), skip_seeds=True) == selected


def test_signature_differences():
    base = Signature(raw={"orders": {"max_loaded_at": "2025-07-01T00:00:00+00:00", "ins": 10, "upd": 0, "del": 0}},
                     project="p1", args=(), env={})
    same = Signature.from_json(json.loads(json.dumps(base.to_json())))
    assert same.digest == base.digest and same.differences(base) == {}
    updated = Signature(raw={"orders": {**base.raw["orders"], "upd": 1}}, project="p1", args=(), env={})
    assert updated.differences(base) == {"raw_tables": ["orders"]}  # an in-place update counts
    recoded = Signature(raw=base.raw, project="p2", args=("--vars", "{a: 1}"), env={"DBT_TARGET": "dev"})
    assert recoded.differences(base) == {"project_changed": True,
                                         "args_changed": {"before": [], "now": ["--vars", "{a: 1}"]},
                                         "env_changed": ["DBT_TARGET"]}
    assert base.differences(None) == {"first_run": True}


def test_one_store_failing_does_not_stop_the_others():
    def generate(store_id):
        if store_id == "b":
            raise RuntimeError("warehouse hiccup\nsecond line")
        return {"insights": [{}, {}], "path": "template", "created": 2, "refreshed": 0}

    results = generate_for(["a", "b", "c"], generate)
    assert [r["result"] for r in results] == ["ok", "failed", "ok"]
    assert results[1]["error"] == "RuntimeError: warehouse hiccup second line"
    assert results[2]["insights"] == 2


@pytest.mark.skipif(not REDIS_URL, reason="INSIGHTS_TEST_REDIS_URL not set")
def test_cache_invalidation_deletes_only_the_response_cache():
    from insight_service.pipeline.cache import invalidate

    prefix = f"test-cache-{uuid.uuid4().hex[:8]}"
    client = redis_client()
    keys = [f"{prefix}:build-1:aa", f"{prefix}:build-2:bb", f"{prefix}x:build-1:cc", f"{prefix}-limits:k"]
    for key in keys:
        client.set(key, "1", ex=60)
    try:
        assert invalidate(REDIS_URL, prefix) == {"result": "ok", "backend": "redis", "deleted": 2}
        assert [client.exists(k) for k in keys] == [0, 0, 1, 1]
        assert invalidate("memory", prefix)["result"] == "skipped"
    finally:
        client.delete(*keys)


# ---- the warehouse story ---------------------------------------------------------------------

# the `insights` console script's entry point (`python -m` would load the CLI module twice)
INSIGHTS = [sys.executable, "-c", "import sys; from insight_service.cli.main import main; sys.exit(main())"]


def cli(db, *args: str, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """`insights <args>` against the test database, as a user would run it."""
    return subprocess.run([*INSIGHTS, *args], env=cli_env(db, env), capture_output=True, text=True, timeout=timeout)


def cli_env(db, extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PG", "INSIGHTS_", "OPENAI_")) and k != "DBT_TARGET_PATH"}
    env.update(db.env)
    env.update({"DBT_TARGET_PATH": str(db.target), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
                "PYTHONUNBUFFERED": "1"})
    if REDIS_URL:
        env["INSIGHTS_REDIS_URL"] = REDIS_URL
    env.update(extra or {})
    return env


def runs(db, where: str = "true", params=()) -> list[dict]:
    with db.connect() as conn:
        cur = conn.cursor(row_factory=psycopg.rows.dict_row)
        return cur.execute(f"select * from app.pipeline_runs where {where} order by run_id", params).fetchall()


def last_run(db) -> dict:
    return runs(db)[-1]


def step(run: dict, name: str) -> dict:
    return next(s for s in run["steps"] if s["name"] == name)


def append_day(db, store_id: str, day: int) -> None:
    """Deliver now a new local day of sessions and orders for one store (copies of its last
    day, shifted by ``day`` days, new ids)."""
    suffix = f"_new{day}"
    with db.connect() as conn:
        conn.execute(
            "insert into raw.web_sessions select session_id || %(s)s, store_id, visitor_id, customer_id, "
            "started_at + make_interval(days => %(d)s), duration_s, pageviews, bounced, landing_path, referrer_host, "
            "utm_source, utm_medium, utm_campaign, utm_content, now() from raw.web_sessions "
            "where store_id = %(store)s and started_at >= %(since)s",
            {"s": suffix, "d": day, "store": store_id, "since": dt.datetime.combine(END, dt.time(), dt.UTC)})
        conn.execute(
            "insert into raw.orders select order_id || %(s)s, store_id, customer_id, visitor_id, "
            "created_at + make_interval(days => %(d)s), status, subtotal, discount, shipping, tax, total, "
            "refunded_amount, cogs, promo_code, now() from raw.orders "
            "where store_id = %(store)s and created_at >= %(since)s",
            {"s": suffix, "d": day, "store": store_id, "since": dt.datetime.combine(END, dt.time(), dt.UTC)})


def marts_state(db) -> dict:
    """What a run that changes nothing must leave as it was: every mart relation (a rebuilt
    table is a new relation), its rows and write counters, and the build id."""
    with db.connect(autocommit=True) as conn:  # the sessions of the run are gone (their stats flushed)
        wait_for(lambda: conn.execute("select count(*) = 0 from pg_stat_activity where datname = current_database() "
                                      "and pid <> pg_backend_pid()").fetchone()[0], 10, "the run's sessions to end")
    time.sleep(0.5)
    with db.connect() as conn:
        tables = conn.execute(
            "select relname, relid, n_tup_ins, n_tup_upd, n_tup_del from pg_stat_user_tables "
            "where schemaname = 'marts' order by relname").fetchall()
        counts = {name: conn.execute(f"select count(*) from marts.{name}").fetchone()[0] for name, *_ in tables}
        build_id = conn.execute("select build_id from marts.mart_build_info").fetchone()[0]
    return {"tables": tables, "counts": counts, "build_id": build_id}


def redis_client():
    import redis

    return redis.Redis.from_url(REDIS_URL)


@pytest.fixture(scope="module")
def wh(make_database, tmp_path_factory):
    db = make_database("refresh")
    load_generated_sample(db, months=3)
    db.target = tmp_path_factory.mktemp("refresh_dbt_target")
    return db


@pytest.fixture(scope="module")
def first_two(wh):
    """A first refresh (builds everything) then a second one with nothing new."""
    first = cli(wh, "refresh")
    assert first.returncode == 0, first.stdout + first.stderr
    before = marts_state(wh)
    # a run that crashed: left `running`; the next refresh that holds the lock closes it
    with wh.connect() as conn:
        crashed = conn.execute("insert into app.pipeline_runs (status, trigger, host, pid) "
                               "values ('running', 'schedule', 'crashed-host', 999999) returning run_id").fetchone()[0]
    stale_key = f"{CACHE_PREFIX}:{before['build_id']}:{uuid.uuid4().hex}"
    if REDIS_URL:
        redis_client().set(stale_key, "{}", ex=600)
    started = time.monotonic()
    second = cli(wh, "refresh")
    wall = time.monotonic() - started
    return {"first": first, "second": second, "wall": wall, "before": before, "after": marts_state(wh),
            "crashed": crashed, "cache_key": stale_key}


def test_first_refresh_builds_and_records_success(wh, first_two):
    first = runs(wh, "status = 'success'")[0]
    assert first["trigger"] == "cli" and first["finished_at"] > first["started_at"]
    assert [s["name"] for s in first["steps"]] == STEPS
    # without Redis each worker's cache follows the build id by itself: nothing to invalidate
    cache_result = "ok" if REDIS_URL else "skipped"
    assert {s["name"]: s["result"] for s in first["steps"] if s["name"] != "detect_changes"} == {
        "build": "ok", "validate": "ok", "forecasts": "ok", "insights": "ok", "budget_curves": "ok",
        "invalidate_cache": cache_result, "vacuum": "ok"}
    # the incremental tables the build wrote and the service's tables were held against the autovacuum rule
    vacuum = step(first, "vacuum")["details"]
    assert vacuum["checked"] > 40 and isinstance(vacuum["server_autovacuum"], bool)
    assert all(v["dead_rows"] > 50 for v in vacuum["vacuumed"])
    assert step(first, "detect_changes")["details"] == {"first_run": True}
    build = step(first, "build")["details"]
    assert first["dbt_invocation_id"] == build["invocation_id"] == first_two["before"]["build_id"]
    assert first["rows_written"] == build["rows_written"] > 1000
    assert build["slowest_nodes"] and all("seconds" in n for n in build["slowest_nodes"])
    validate = step(first, "validate")["details"]
    assert validate["freshness"]["ok"] and validate["gx"]["ok"]
    # the first refresh checks every suite; later incremental ones the marts rebuilt whole
    assert validate["full_checks"] is True and validate["gx"]["skipped_incremental"] == []
    assert {"dim_stores", "fct_unified_metrics"} <= set(validate["gx"]["suites"])
    stores = {r[0] for r in wh.query("select store_id from marts.dim_stores")}
    assert set(first["changed_stores"]) == stores  # first run: every store is new
    assert {s["store_id"] for s in step(first, "insights")["details"]["stores"]} == stores
    assert wh.scalar("select count(distinct store_id) from app.marketing_insights") == len(stores)
    assert first["marts_watermark"] is not None and first["signature_digest"]
    summary = first_two["first"].stdout.strip().splitlines()[-1]
    assert summary.startswith(f"refresh run {first['run_id']} success in ") and "rows written" in summary
    assert "new insights for 5 stores" in summary


def test_second_refresh_with_no_new_data_changes_nothing(wh, first_two):
    second = first_two["second"]
    assert second.returncode == 0, second.stderr
    run = last_run(wh)
    assert run["status"] == "success" and run["no_new_data"] is True and run["rows_written"] == 0
    assert [s["name"] for s in run["steps"]] == ["detect_changes"]
    assert run["steps"][0]["result"] == "no_new_data"
    assert "no new data since run" in second.stdout.strip().splitlines()[-1]
    assert (run["finished_at"] - run["started_at"]).total_seconds() < 3
    assert first_two["wall"] < 15  # a whole `insights refresh` process, start to exit
    assert first_two["after"] == first_two["before"]  # same relations, rows, write counters, build id
    assert run["dbt_invocation_id"] is None and run["build_id"] == first_two["before"]["build_id"]
    if REDIS_URL:  # nothing built: the cache is left alone
        assert redis_client().exists(first_two["cache_key"]) == 1


def test_a_crashed_running_row_is_closed_by_the_next_refresh(wh, first_two):
    crashed = runs(wh, "run_id = %s", (first_two["crashed"],))[0]
    assert crashed["status"] == "failed" and crashed["finished_at"] is not None
    assert crashed["error"].startswith("abandoned")


def test_concurrent_refresh_exits_at_once_with_the_busy_code(wh, first_two):
    with psycopg.connect(wh.conninfo, autocommit=True) as holder:
        assert holder.execute("select pg_try_advisory_lock(%s)", (REFRESH_LOCK,)).fetchone()[0]
        started = time.monotonic()
        busy = cli(wh, "refresh", "--force")
        elapsed = time.monotonic() - started
    assert busy.returncode == EXIT_BUSY == 75
    assert elapsed < 10
    lines = busy.stderr.strip().splitlines()
    assert len(lines) == 1 and "another refresh is running" in lines[0]
    run = last_run(wh)
    assert run["status"] == "skipped_locked" and run["finished_at"] is not None
    assert run["error"] and run["steps"] == []


@pytest.fixture(scope="module")
def new_data(wh, first_two):
    previous = runs(wh, "status = 'success'")[-1]
    append_day(wh, "demo-fashion-us", 1)
    # an entry of the current build: it becomes stale the moment dbt starts rewriting the marts
    stale_key = f"{CACHE_PREFIX}:{wh.scalar('select build_id from marts.mart_build_info')}:{uuid.uuid4().hex}"
    if REDIS_URL:
        redis_client().set(stale_key, "{}", ex=600)
    result = cli(wh, "refresh")
    return {"result": result, "previous": previous, "run": last_run(wh), "cache_key": stale_key}


def test_new_raw_rows_are_processed(wh, new_data):
    result, run = new_data["result"], new_data["run"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert run["status"] == "success" and not run["no_new_data"]
    assert [s["name"] for s in run["steps"]] == STEPS
    assert {"orders", "web_sessions"} <= set(step(run, "detect_changes")["details"]["raw_tables"])
    assert run["rows_written"] > 0 and step(run, "build")["details"]["rows_written_incremental_models"] > 0
    validate = step(run, "validate")["details"]
    assert validate["full_checks"] is False and validate["gx"]["ok"]
    assert "dim_stores" in validate["gx"]["suites"] and "fct_unified_metrics" in validate["gx"]["skipped_incremental"]
    assert run["dbt_invocation_id"] == wh.scalar("select build_id from marts.mart_build_info")
    new_day = END + dt.timedelta(days=1)
    assert wh.scalar("select sessions from marts.fct_unified_metrics where store_id = 'demo-fashion-us' "
                     "and channel = 'overall' and period = 'daily' and period_start = %s", (new_day,)) > 0


def test_a_refresh_of_raw_data_leaves_the_unchanged_seeds_out(wh, first_two, new_data):
    first = runs(wh, "status = 'success'")[0]
    assert step(first, "build")["details"]["seeds"] == "loaded"
    assert step(first, "build")["details"]["seeds_reason"] == "first refresh"
    # the last successful run before it that built (the one in between found no new data)
    built = runs(wh, "status = 'success' and not no_new_data and run_id < %s", (new_data["run"]["run_id"],))[-1]
    build = step(new_data["run"], "build")["details"]
    assert build["seeds"] == "skipped" and build["seeds_reason"] == f"project unchanged since run {built['run_id']}"
    results = json.loads((wh.target / "refresh" / "run_results.json").read_text())["results"]
    manifest = json.loads((wh.target / "refresh" / "manifest.json").read_text())["nodes"]
    ran = {r["unique_id"] for r in results}
    seeds = {uid for uid, node in manifest.items() if node["resource_type"] == "seed"}
    tests = {uid: node["depends_on"]["nodes"] for uid, node in manifest.items() if node["resource_type"] == "test"}
    seed_only = {uid for uid, parents in tests.items() if set(parents) <= seeds}
    reads_a_model = {uid for uid, parents in tests.items() if not set(parents) <= seeds}
    assert len(seeds) == 7 and len(seed_only) > 40
    assert not ran & (seeds | seed_only)
    # every data test that reads a model ran, those that also read a seed included
    assert reads_a_model <= ran
    assert any(uid.startswith("test.marketing_insights.accepted_seed_values_int_sessions_channel") for uid in ran)


def test_seeds_are_loaded_again_when_loaded_since_or_missing(wh, new_data):
    from insight_service.pipeline.seeds import decide

    target = wh.target / "refresh"
    previous = runs(wh, "status = 'success'")[-1]
    raw_only = {"raw_tables": ["orders"]}
    with wh.connect() as conn:  # one transaction, rolled back: the warehouse stays as it was
        assert decide(conn, target, previous, raw_only, forced=False, selected=False).skip
        for differences, forced, selected, reason in [
                ({"first_run": True}, False, False, "first refresh"),
                (raw_only, True, False, "forced or --full-refresh"),
                (raw_only, False, True, "the caller selects nodes"),
                ({**raw_only, "project_changed": True}, False, False, "not only raw data changed: project_changed")]:
            decision = decide(conn, target, previous, differences, forced=forced, selected=selected)
            assert (decision.skip, decision.reason) == (False, reason)
        # a `dbt seed` by hand after the last build: its contents may differ
        conn.execute("update staging.incremental_watermarks set last_run_at = now() where model = 'channels'")
        decision = decide(conn, target, previous, raw_only, forced=False, selected=False)
        assert not decision.skip and decision.reason.startswith("seed loaded after run")
        assert decision.reason.endswith(": channels")
        conn.execute("alter table seeds.fx_rates rename to fx_rates_gone")
        decision = decide(conn, target, previous, raw_only, forced=False, selected=False)
        assert (decision.skip, decision.reason) == (False, "seed table missing: fx_rates")
        conn.rollback()
    with wh.connect() as conn:
        assert decide(conn, target, previous, raw_only, forced=False, selected=False).skip


def test_insights_only_for_stores_whose_marts_changed(wh, new_data):
    run, since = new_data["run"], new_data["previous"]["marts_watermark"]
    expected = {r[0] for r in wh.query(
        "select store_id from marts.fct_unified_metrics where built_at > %(t)s union "
        "select store_id from marts.fct_order_attribution where processed_at > %(t)s", {"t": since})}
    # the new day is one store's: the incremental marts stamp only the rows whose inputs changed
    assert expected == {"demo-fashion-us"}
    assert set(run["changed_stores"]) == expected
    insights = step(run, "insights")["details"]
    assert {s["store_id"] for s in insights["stores"]} == expected
    assert all(s["result"] == "ok" for s in insights["stores"])
    touched = {r[0] for r in wh.query("select distinct store_id from app.marketing_insights where updated_at >= %s",
                                      (run["started_at"],))}
    assert touched == expected
    assert run["marts_watermark"] > since


def test_budget_curves_refit_changed_stores_and_move_the_others_to_the_new_build(wh, new_data):
    first = runs(wh, "status = 'success'")[0]
    stores = {r[0] for r in wh.query("select store_id from marts.dim_stores")}
    assert {s["store_id"] for s in step(first, "budget_curves")["details"]["stores"]} == stores
    run = new_data["run"]
    details = step(run, "budget_curves")["details"]
    assert [s["store_id"] for s in details["stores"]] == ["demo-fashion-us"]
    assert details["stores"][0]["result"] == "stored"
    build = wh.scalar("select build_id from marts.mart_build_info")
    assert details["build_id"] == build == run["dbt_invocation_id"]
    sets = {r[0]: (r[1], r[2], r[3]) for r in wh.query(
        "select store_id, build_id, fitted_at, window_end from app.budget_curve_sets")}
    assert "demo-fashion-us" in sets and details["restamped_stores"] == len(sets) - 1
    assert {b for b, _, _ in sets.values()} == {build}  # every store's curves serve the new build
    assert {s for s, (_, at, _) in sets.items() if at >= run["started_at"]} == {"demo-fashion-us"}  # one refit
    assert sets["demo-fashion-us"][2] == END + dt.timedelta(days=1)  # on the appended day
    assert {end for s, (_, _, end) in sets.items() if s != "demo-fashion-us"} == {END}


def test_budget_curves_command_fits_one_store_and_waits_for_no_refresh(wh, new_data):
    before = wh.scalar("select fitted_at from app.budget_curve_sets where store_id = 'demo-home-au'")
    result = cli(wh, "budget-curves", "--store", "demo-home-au")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "budget curves stored for 1 of 1 store(s)" in result.stdout
    assert wh.scalar("select fitted_at from app.budget_curve_sets where store_id = 'demo-home-au'") > before
    with psycopg.connect(wh.conninfo, autocommit=True) as holder:
        assert holder.execute("select pg_try_advisory_lock(%s)", (REFRESH_LOCK,)).fetchone()[0]
        busy = cli(wh, "budget-curves")
    assert busy.returncode == EXIT_BUSY and "a refresh is running" in busy.stderr


def test_forecasts_fitted_for_every_store_then_only_for_changed_ones(wh, first_two, new_data):
    first = runs(wh, "status = 'success'")[0]
    stores = {r[0] for r in wh.query("select store_id from marts.dim_stores")}
    fitted = step(first, "forecasts")["details"]["stores"]
    assert {s["store_id"] for s in fitted} == stores and all(s["result"] == "ok" for s in fitted)
    assert step(first, "forecasts")["duration_s"] > 0
    # the run with no new data has no forecasts step; the one with new data refits only the changed store
    assert "forecasts" not in [s["name"] for s in runs(wh, "status = 'success'")[1]["steps"]]
    refit = step(new_data["run"], "forecasts")["details"]["stores"]
    assert [s["store_id"] for s in refit] == ["demo-fashion-us"]
    rows = {r[0]: (r[1], r[2]) for r in wh.query("select store_id, fitted_at, last_data_date from app.forecast_stores")}
    assert set(rows) == stores
    assert rows["demo-fashion-us"][0] >= new_data["run"]["started_at"]
    assert rows["demo-fashion-us"][1] == END + dt.timedelta(days=1)
    assert all(fitted < new_data["run"]["started_at"] for s, (fitted, _) in rows.items() if s != "demo-fashion-us")
    first_day = wh.scalar("select min(day) from app.forecasts where store_id = 'demo-fashion-us'")
    assert first_day == END + dt.timedelta(days=2)  # the day after the new last data day


def test_changed_stores_reads_the_stamps_after_the_watermark(wh, new_data):
    watermark = new_data["run"]["marts_watermark"]
    with psycopg.connect(wh.conninfo, autocommit=True) as conn:
        assert changed_stores(conn, watermark).stores == {}
        order_id, stamp = conn.execute("select order_id, processed_at from marts.fct_order_attribution "
                                       "where store_id = 'demo-home-au' order by order_id limit 1").fetchone()
        later = watermark + dt.timedelta(seconds=1)
        update = "update marts.fct_order_attribution set processed_at = %s where order_id = %s"
        conn.execute(update, (later, order_id))
        try:
            found = changed_stores(conn, watermark)
            assert found.stores == {"demo-home-au": later} and found.watermark == later
            every_store = {r[0] for r in wh.query("select store_id from marts.dim_stores")}
            assert set(changed_stores(conn, None).stores) == every_store
        finally:
            conn.execute(update, (stamp, order_id))


@pytest.mark.skipif(not REDIS_URL, reason="INSIGHTS_TEST_REDIS_URL not set")
def test_a_build_deletes_the_cached_responses(new_data):
    assert redis_client().exists(new_data["cache_key"]) == 0
    details = step(new_data["run"], "invalidate_cache")["details"]
    assert details["backend"] == "redis" and details["deleted"] >= 1
    assert details["build_id"] == new_data["run"]["dbt_invocation_id"] != details["previous_build_id"]


def test_a_failing_build_is_recorded_failed(wh, new_data):
    build_id = wh.scalar("select build_id from marts.mart_build_info")
    result = cli(wh, "refresh", "--no-such-dbt-flag")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("insights: refresh run ") and "failed" in lines[0]
    assert "no-such-dbt-flag" in lines[0]
    run = last_run(wh)
    assert run["status"] == "failed" and "no-such-dbt-flag" in run["error"]
    assert [s["name"] for s in run["steps"]] == ["detect_changes", "build"]
    assert step(run, "build")["result"] == "failed"
    assert wh.scalar("select build_id from marts.mart_build_info") == build_id  # nothing built, nothing invalidated


def test_a_failed_validation_fails_the_run_but_keeps_the_build(wh, new_data):
    result = cli(wh, "refresh", "--select", "mart_source_freshness",
                 "--vars", "{freshness_warn_after_hours: 0, freshness_error_after_hours: 0}")
    assert result.returncode == 1, result.stdout
    assert "source freshness error" in result.stderr
    run = last_run(wh)
    assert run["status"] == "failed" and "source freshness error" in run["error"]
    # no insights; the cache step because the build wrote a mart (under the same build id)
    assert [s["name"] for s in run["steps"]] == ["detect_changes", "build", "validate", "invalidate_cache", "vacuum"]
    assert step(run, "build")["result"] == "ok" and run["dbt_invocation_id"]
    assert step(run, "validate")["details"]["freshness"]["ok"] is False
    # the build stays: the mart this run rebuilt holds what it computed
    assert wh.scalar("select count(*) from marts.mart_source_freshness where status <> 'error'") == 0


def test_insights_dbt_passes_a_command_line_to_dbt(wh):
    # a subcommand and its flag reach dbt as written, with the project's profiles (no project parse: a
    # full parse costs half a minute on the busy CI machine)
    result = cli(wh, "dbt", "debug", "--config-dir")
    assert result.returncode == 0, result.stdout + result.stderr
    assert str(project_dir() / "profiles") in result.stdout


# ---- the scheduler -----------------------------------------------------------------------------

def start_scheduler(db, *args: str) -> subprocess.Popen:
    return subprocess.Popen([*INSIGHTS, "schedule", *args], env=cli_env(db),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_for(predicate, timeout: float, what: str, proc: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"scheduler exited {proc.returncode} while waiting for {what}: {proc.stdout.read()}")
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def stop(proc: subprocess.Popen, timeout: float = 60) -> tuple[int, str]:
    proc.send_signal(signal.SIGTERM)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    return proc.returncode, out


def test_scheduler_runs_polls_new_data_generates_daily_insights_and_stops(wh, new_data):
    first_id = last_run(wh)["run_id"]
    proc = start_scheduler(wh, "--every", "1h", "--poll", "1", "--insights-hour", "0")
    try:
        # at start: a refresh (nothing new since the last success) and every store's daily insights
        wait_for(lambda: runs(wh, "run_id > %s and trigger = 'schedule' and status = 'success'", (first_id,)),
                 60, "the scheduler's first run", proc)
        wait_for(lambda: wh.scalar("select count(*) from app.pipeline_daily_insights") == 5, 30,
                 "the daily insights", proc)
        seen = last_run(wh)["run_id"]
        append_day(wh, "demo-beauty-de", 2)
        run = wait_for(lambda: runs(wh, "run_id > %s and trigger = 'schedule' and status <> 'running' "
                                        "and not no_new_data", (seen,)), 120, "a run on new data", proc)[0]
    finally:
        code, out = stop(proc)
    assert run["status"] == "success", run["error"]
    assert code == 0, out
    lines = [line for line in out.splitlines() if line.strip()]
    assert any(f"refresh run {run['run_id']} success" in line and line.endswith("[new data]") for line in lines)
    assert sum(" daily insights in " in line for line in lines) == 1  # once per store-local day
    assert lines[-1].endswith("schedule: stopped (SIGTERM)")
    assert runs(wh, "status = 'running'") == []
    days = wh.query("select store_id, local_date from app.pipeline_daily_insights")
    assert len({s for s, _ in days}) == 5


def test_scheduler_sigterm_during_a_build_aborts_it_and_exits_0(wh, new_data):
    append_day(wh, "demo-general-br", 3)
    before = last_run(wh)["run_id"]
    proc = start_scheduler(wh, "--every", "1h", "--poll", "0", "--no-daily-insights")
    try:
        wait_for(lambda: runs(wh, "run_id > %s and status = 'running' and steps @> %s::jsonb",
                              (before, json.dumps([{"name": "build", "result": "running"}]))),
                 60, "a build in progress", proc)
        time.sleep(1.5)  # dbt is parsing or running models
    finally:
        code, out = stop(proc)
    assert code == 0, out
    run = runs(wh, "run_id > %s and trigger = 'schedule'", (before,))[-1]
    assert run["status"] == "failed" and run["error"] == "interrupted (SIGTERM)"
    assert step(run, "build")["result"] == "interrupted"
    assert runs(wh, "status = 'running'") == []
    with psycopg.connect(wh.conninfo, autocommit=True) as conn:  # every lock released, dbt gone
        assert conn.execute("select pg_try_advisory_lock(%s)", (REFRESH_LOCK,)).fetchone()[0]
        conn.execute("select pg_advisory_unlock(%s)", (REFRESH_LOCK,))
        wait_for(lambda: conn.execute("select count(*) = 0 from pg_stat_activity where datname = current_database() "
                                      "and pid <> pg_backend_pid() and application_name like 'dbt%%'").fetchone()[0],
                 10, "dbt's connections to close")


# ---- /healthz ----------------------------------------------------------------------------------

def test_healthz_shows_the_last_finished_run(wh, new_data):
    from insight_service.api.app import create_app
    from insight_service.api.web import auth
    from insight_service.warehouse.migrations import migrate

    with psycopg.connect(wh.conninfo) as conn:  # /healthz shows the last run to a key only
        migrate(conn)
        key = auth.create_key(conn, "healthz-test", "healthz test")[1]
    app = create_app({"conninfo": wh.conninfo, "rate_limit": None, "cache_backend": "none", "pool_size": 2})
    try:
        response = app.test_client().get("/healthz", headers={"Authorization": f"Bearer {key}"})
    finally:
        app.extensions["insights"].close()
    assert response.status_code == 200
    last = runs(wh, "status in ('success', 'failed')")
    last = max(last, key=lambda r: r["finished_at"])
    shown = response.get_json()["data"]["last_run"]
    assert set(shown) == {"status", "finished_at"} and shown["status"] == last["status"] == "failed"
    assert dt.datetime.fromisoformat(shown["finished_at"]) == last["finished_at"]
