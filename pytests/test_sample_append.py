"""`insights load-sample --append-days N`: the next days of the same simulated world.

Without a database: a load at a cutoff holds nothing dated after it; an append is
deterministic; appending 1 day twice delivers the rows of appending 2 days once; and after
load(E) + append(N) the latest clean delivery of every key equals a direct load of the same
world at E + N (so every mart would be equal).

Against PostgreSQL and dbt: a load and two appends keep the quarantine
(marts.data_quality_issues) exactly as the manifest and the append reports predict, appended
`_loaded_at` values are later than everything before and not later than the append instant,
a key whose newest delivery is bad leaves staging, and every refusal is one line naming its
problem (Python API and CLI).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from collections import Counter

import pytest
from psycopg import sql

from insight_service.cli import main as cli
from insight_service.cli import sample as cli_sample
from insight_service.sample_data.append import AppendBatch, AppendClock, AppendRefused, append_days, expected_quarantine
from insight_service.sample_data.generator import DEFAULT_RESERVE_DAYS, generate, sync_instant
from insight_service.sample_data.loader import load_sample, read_sample_loads
from insight_service.sample_data.tabular import NATURAL_KEYS, SCHEMAS
from insight_service.warehouse.raw_schema import RAW_TABLES
from pytests.support.warehouse import NO_UNIT_TESTS

UTC = dt.UTC
SEED, SCALE, MONTHS = 7, 0.05, 2
END = dt.date(2025, 6, 30)
BASE_LOADED = dt.datetime(2025, 7, 1, 6, tzinfo=UTC)
# event timestamps and dates a load must not hold beyond its cutoff (plans such as
# scheduled_for or a campaign's end_date may lie ahead)
EVENT_DATES = {"date", "spend_date", "post_date"}
PLANNED_TIMESTAMPS = {"scheduled_for", "_loaded_at"}


def world(cutoff=None):
    return generate(seed=SEED, scale=SCALE, end_date=END, months=MONTHS, loaded_at=BASE_LOADED, cutoff=cutoff)


def append_batch(after: dt.date, days: int, previous: dt.datetime, instant: dt.datetime):
    """(report, [(table, frame)]) of appending `days` days to the world loaded up to `after`."""
    batch = AppendBatch(world(cutoff=after), days, END, AppendClock.for_days(after, days, previous, instant))
    frames = [(table, rows) for table, _, rows in batch.iter_chunks()]
    return batch.report, frames


def rows_without_loaded_at(frames) -> Counter:
    return Counter((table, row[:-1]) for table, frame in frames for row in frame)


def latest_by_key(frames) -> dict:
    """(table, natural key) -> (_loaded_at in µs, values without _loaded_at) of the latest delivery."""
    out = {}
    for table, frame in frames:
        key_pos = [frame.columns.index(c) for c in NATURAL_KEYS[table]]
        for row in frame:
            key = tuple(row[i] for i in key_pos)
            if None in key:
                continue
            at = row[-1]
            if (table, key) not in out or out[(table, key)][0] < at:
                out[(table, key)] = (at, row[:-1])
    return out


def bad_keys(entries) -> set:
    """(table, row_key) of every row listed as bad (not merely superseded)."""
    return {(e["table"], e["row_key"]) for e in entries if e["kind"] != "duplicate"}


def key_string(key) -> str:
    return "|".join(k.isoformat() if isinstance(k, dt.date) else str(k) for k in key)


@pytest.fixture(scope="module")
def base():
    data = world()
    frames = [(t, f) for t, _, f in data.iter_chunks()]
    return data, frames


# ----------------------------------------------------------------------------- the world, no database

@pytest.mark.parametrize("later", [0, 9])
def test_a_load_holds_nothing_dated_after_its_cutoff(later):
    cutoff = END + dt.timedelta(days=later)
    data = world(cutoff=cutoff)
    sync = dt.datetime.fromtimestamp(sync_instant(cutoff), UTC)
    beyond = Counter()
    for table, columns, frame in data.iter_chunks():
        for column, kind in SCHEMAS[table]:
            if kind == "ts" and column not in PLANNED_TIMESTAMPS or kind == "date" and column in EVENT_DATES:
                limit = sync if kind == "ts" else cutoff
                i = columns.index(column)
                beyond[table] += sum(1 for row in frame if row[i] is not None and row[i] > limit)
        assert max(row[-1] for row in frame) <= data.loaded_at, table
    # only the rows deliberately dated in the future are
    listed = Counter(e["table"] for e in data.manifest["dirty_rows"] if e["kind"] == "future_timestamp")
    assert +beyond == listed
    assert data.end_date == cutoff and data.manifest["parameters"]["end_date"] == cutoff.isoformat()


def test_the_world_delivers_late_sessions_and_status_changes():
    data = world()
    plan = data.plans[0]
    deliveries = data.store_world(plan)["deliveries"]
    sessions = deliveries["web_sessions"]
    lateness = sessions.day - plan.clock.day_index(sessions.frame.data["started_at"][sessions.row])
    assert set(lateness.tolist()) <= {0, 2, 3, 4} and lateness.max() >= 2
    assert 0.004 < (lateness > 0).mean() < 0.02
    orders = deliveries["orders"]
    statuses = Counter(orders.values["status"].tolist())
    assert statuses["fulfilled"] > statuses["refunded"] > 0 and statuses["pending"] > 0
    assert orders.n > orders.frame.n  # orders change after they are created


def test_an_append_is_deterministic():
    previous, instant = BASE_LOADED, BASE_LOADED + dt.timedelta(hours=1)
    texts = [[(t, f.copy_text()) for t, f in append_batch(END, 2, previous, instant)[1]] for _ in range(2)]
    assert texts[0] == texts[1]
    assert len(texts[0]) > 10


def test_one_day_twice_equals_two_days_once(base):
    data, _ = base
    t0 = BASE_LOADED
    report2, rows2 = append_batch(END, 2, t0, t0 + dt.timedelta(hours=2))
    report_a, rows_a = append_batch(END, 1, t0, t0 + dt.timedelta(hours=1))
    report_b, rows_b = append_batch(END + dt.timedelta(days=1), 1, t0 + dt.timedelta(hours=1),
                                    t0 + dt.timedelta(hours=2))
    assert rows_without_loaded_at(rows2) == rows_without_loaded_at(rows_a) + rows_without_loaded_at(rows_b)
    assert report2["rows"] == dict(Counter(report_a["rows"]) + Counter(report_b["rows"])) | {
        t: 0 for t, n in report2["rows"].items() if n == 0}
    assert expected_quarantine(data.manifest, [report2]) == expected_quarantine(data.manifest, [report_a, report_b])


def test_load_plus_append_equals_a_direct_load_of_the_same_world(base):
    data, base_frames = base
    days = 6
    report, appended = append_batch(END, days, BASE_LOADED, BASE_LOADED + dt.timedelta(hours=1))
    direct = world(cutoff=END + dt.timedelta(days=days))
    direct_frames = [(t, f) for t, _, f in direct.iter_chunks()]
    # compare in microseconds: the load's _loaded_at are whole seconds
    to_us = [(t, f.with_loaded_at_us(f.data["_loaded_at"] * 1_000_000)) for t, f in base_frames]
    loaded = latest_by_key(to_us + appended)
    expected = latest_by_key(direct_frames)
    excluded = bad_keys(data.manifest["dirty_rows"] + report["dirty_rows"] + direct.manifest["dirty_rows"])

    def clean(latest):
        return {k: v[1] for k, v in latest.items() if (k[0], key_string(k[1])) not in excluded}
    a, b = clean(loaded), clean(expected)
    assert a.keys() == b.keys()
    differ = [k for k in a if a[k] != b[k]]
    assert not differ, differ[:5]
    assert len(loaded) - len(a) <= len(excluded)
    assert len(a) > 10_000
    # the append really changed earlier keys, and added new ones
    assert report["status_changes"]["orders"] > 0 and report["new_rows"]["web_sessions"] > 0
    base_latest = latest_by_key(to_us)
    assert sum(1 for k in a if k in base_latest and base_latest[k][1] != a[k]) > 20


def test_the_report_counts_every_kind_of_delivery():
    report, frames = append_batch(END, 6, BASE_LOADED, BASE_LOADED + dt.timedelta(hours=1))
    assert report["from_date"] == "2025-07-01" and report["end_date"] == "2025-07-06"
    assert report["total_rows"] == sum(f.n for _, f in frames) == sum(report["rows"].values())
    assert all(report["rows"][t] > 0 for t in RAW_TABLES if t != "influencer_outreach"), report["rows"]
    assert report["status_changes"]["orders"] > 0 and report["status_changes"]["influencer_deliveries"] > 0
    assert report["redeliveries"]["ad_campaign_daily"] > 0 and report["redeliveries"]["social_posts_daily"] > 0
    assert report["redeliveries"]["stores"] == 6 * 5  # the shop's daily settings sync
    kinds = {e["kind"] for e in report["dirty_rows"]}
    assert kinds == {"duplicate", "null_key", "unknown_enum", "negative_value", "future_timestamp"}
    newest = [e for e in report["dirty_rows"] if e.get("newest")]
    assert {e["table"] for e in newest} >= {"orders", "web_sessions"}
    added = Counter(reason for _, _, reason in report["quarantine"]["added"])
    assert added["duplicate"] > report["status_changes_total"] // 2
    # every appended _loaded_at lies in (previous, instant], in microseconds
    loaded = [row[-1] for _, f in frames for row in f]
    assert min(loaded) > BASE_LOADED and max(loaded) <= BASE_LOADED + dt.timedelta(hours=1)
    assert any(x.microsecond for x in loaded)


def test_squeezing_keeps_the_delivery_order():
    clock = AppendClock.for_days(END, 28, BASE_LOADED, BASE_LOADED + dt.timedelta(seconds=3))
    sim = sync_instant(END) + 60 * (1 + 10 * __import__("numpy").arange(28 * 24 * 6 + 2))
    real = clock(sim)
    assert (real[1:] > real[:-1]).all()
    assert real[0] > clock.previous_us and real[-1] <= clock.instant_us
    roomy = AppendClock.for_days(END, 1, BASE_LOADED, BASE_LOADED + dt.timedelta(days=30))
    assert roomy(sync_instant(END) + 3600) - roomy.previous_us == 3600 * 1_000_000  # real time when it fits


# ----------------------------------------------------------------------------- a database, dbt

QUARANTINE_MODELS = (
    "path:models/staging", "path:seeds", "int_quality__unknown_references", "data_quality_issues",
    "assert_staging_reconciles_with_raw")


def quarantine(db) -> Counter:
    return Counter({(t, k, r): n for t, k, r, n in db.query(
        "select table_name, row_key, reason, count(*) from marts.data_quality_issues group by 1, 2, 3")})


def raw_counts(db, schema="raw") -> dict:
    return {t: db.scalar(sql.SQL("select count(*) from {}").format(sql.Identifier(schema, t)).as_string(None))
            for t in RAW_TABLES}


@pytest.fixture(scope="module")
def appended(make_database):
    db = make_database("sample_append")
    now = dt.datetime.now(UTC)
    data = generate(seed=SEED, scale=SCALE, end_date=END, months=MONTHS, loaded_at=now - dt.timedelta(hours=3))
    with db.connect() as conn:
        load_sample(conn, data)
    db.dbt("build", "--select", *QUARANTINE_MODELS, "--indirect-selection", "cautious", *NO_UNIT_TESTS)
    state = {"load_quarantine": quarantine(db), "load_counts": raw_counts(db)}
    instants = [now - dt.timedelta(hours=2), now - dt.timedelta(hours=1)]
    reports = []
    with db.connect() as conn:
        for days, instant in zip((2, 1), instants):
            state.setdefault("before", []).append(conn.execute(
                "select max(_loaded_at) from raw.orders").fetchone()[0])
            reports.append(append_days(conn, days, loaded_at=instant))
    db.dbt("build", "--select", *QUARANTINE_MODELS, "--indirect-selection", "cautious", *NO_UNIT_TESTS)
    state.update(quarantine=quarantine(db), counts=raw_counts(db), reports=reports, instants=instants)
    return db, data, state


def test_the_load_is_quarantined_exactly_as_its_manifest_lists(appended):
    db, data, state = appended
    assert state["load_quarantine"] == expected_quarantine(data.manifest, [])
    assert state["load_counts"] == data.manifest["row_counts"]


def test_after_appends_the_quarantine_is_what_the_reports_predict(appended):
    db, data, state = appended
    expected = expected_quarantine(data.manifest, state["reports"])
    got = state["quarantine"]
    assert got == expected, (sorted((got - expected).items())[:5], sorted((expected - got).items())[:5])
    assert sum(got.values()) > sum(state["load_quarantine"].values())


def test_appends_add_rows_and_replace_nothing(appended):
    db, data, state = appended
    for table in RAW_TABLES:
        assert state["counts"][table] == data.manifest["row_counts"][table] + sum(
            r["rows"][table] for r in state["reports"]), table
    assert [(r["from_date"], r["end_date"]) for r in state["reports"]] == [("2025-07-01", "2025-07-02"),
                                                                          ("2025-07-03", "2025-07-03")]
    with db.connect() as conn:
        loads = read_sample_loads(conn, "raw")
    assert [(r["kind"], r["end_date"]) for r in loads] == [
        ("load", END), ("append", dt.date(2025, 7, 2)), ("append", dt.date(2025, 7, 3))]


def test_appended_rows_land_after_everything_before_and_by_the_append_instant(appended):
    db, data, state = appended
    (load_max,) = db.query("select max(_loaded_at) from raw.stores where _loaded_at <= %s", (data.loaded_at,))[0]
    for previous, instant, report in zip([data.loaded_at, state["instants"][0]], state["instants"], state["reports"]):
        first, last = (dt.datetime.fromisoformat(report["loaded_at"][k]) for k in ("first", "last"))
        assert previous < first <= last <= instant
    assert load_max == data.loaded_at
    assert db.scalar("select max(_loaded_at) from raw.web_sessions") <= state["instants"][1]
    # late sessions: appended rows about days that were already loaded
    late = sum(r["late_sessions"] for r in state["reports"])
    assert db.scalar("select count(*) from raw.web_sessions where _loaded_at > %s and session_id is not null "
                     "and started_at < '2025-06-30 12:00+00'", (data.loaded_at,)) >= late


STAGED_KEY = {"orders": ("stg_shop__orders", "order_id"), "web_sessions": ("stg_web__sessions", "session_id")}


def test_a_key_whose_newest_delivery_is_bad_leaves_staging(appended):
    db, data, state = appended
    newest = [e for r in state["reports"] for e in r["dirty_rows"] if e.get("newest") and e["table"] in STAGED_KEY]
    assert newest
    for e in newest:
        reasons = Counter(r for (r,) in db.query(
            "select reason from marts.data_quality_issues where table_name = %s and row_key = %s",
            (e["table"], e["row_key"])))
        assert reasons[e["kind"]] == 1 and reasons["duplicate"] >= 1, (e, reasons)
        model, key = STAGED_KEY[e["table"]]
        assert db.scalar(f"select count(*) from staging.{model} where {key} = %s", (e["row_key"],)) == 0


def test_refusals_name_the_problem_and_append_nothing(appended):
    db, data, state = appended
    before = raw_counts(db)
    later = dt.datetime.now(UTC)
    with db.connect() as conn:
        cases = [
            (lambda: append_days(conn, 0), "--append-days must be at least 1"),
            (lambda: append_days(conn, 1, schema="nothing_here"), "holds no generated sample"),
            (lambda: append_days(conn, DEFAULT_RESERVE_DAYS, loaded_at=later),
             "beyond the sample's world, which ends on 2025-09-30"),
            (lambda: append_days(conn, 1, loaded_at=dt.datetime(2025, 7, 4, 12, tzinfo=UTC)),
             "data cannot come from the future"),
            (lambda: append_days(conn, 1, loaded_at=state["instants"][0]), "is not after the rows already in"),
        ]
        for call, says in cases:
            with pytest.raises(AppendRefused, match=says) as exc:
                call()
            assert "\n" not in str(exc.value)
            conn.rollback()
    assert "--reserve-days" in _refusal(db, DEFAULT_RESERVE_DAYS, later)
    assert "--end-date" in _refusal(db, 1, dt.datetime(2025, 7, 4, 12, tzinfo=UTC))
    assert raw_counts(db) == before


def _refusal(db, days, instant) -> str:
    with db.connect() as conn, pytest.raises(AppendRefused) as exc:
        append_days(conn, days, loaded_at=instant)
    return str(exc.value)


# ----------------------------------------------------------------------------- the CLI

@contextlib.contextmanager
def cli_env(db, folder):
    with pytest.MonkeyPatch.context() as mp:
        for key in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE"):
            mp.delenv(key, raising=False)
        for key, value in db.env.items():
            mp.setenv(key, value)
        mp.setenv("INSIGHTS_WAREHOUSE_DIR", str(folder))
        yield


def run_cli(db, folder, *args):
    out, err = io.StringIO(), io.StringIO()
    with cli_env(db, folder), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["load-sample", *args])
    return code, out.getvalue(), err.getvalue()


def test_cli_loads_then_appends_and_refuses_in_one_line(make_database, tmp_path):
    db = make_database("sample_append_cli")
    code, out, err = run_cli(db, tmp_path, "--scale", "0.02", "--months", "1", "--end-date", "2025-06-30",
                             "--reserve-days", "10")
    assert code == 0, err
    assert "the simulated world runs on to 2025-07-10" in out
    code, out, err = run_cli(db, tmp_path, "--append-days", "2")
    assert code == 0, err
    assert "appended " in out and "for 2025-07-01 .. 2025-07-02" in out and "late sessions" in out
    manifest = json.loads((tmp_path / "sample_manifest.json").read_text())
    assert [a["end_date"] for a in manifest["appends"]] == ["2025-07-02"]
    assert manifest["row_counts"] == raw_counts(db)
    refusals = [
        (("--append-days", "0"), "--append-days must be at least 1"),
        (("--append-days", "1", "--scale", "2"), "drop --scale"),
        (("--append-days", "9"), "--reserve-days"),
        (("--append-days", "1", "--schema", "empty"), "schema 'empty' holds no generated sample"),
    ]
    for args, says in refusals:
        code, out, err = run_cli(db, tmp_path, *args)
        lines = err.strip().splitlines()
        assert code == 1 and len(lines) == 1 and says in lines[0], (args, err)
    assert manifest["row_counts"] == raw_counts(db)


def test_cli_default_reserve_matches_the_generator():
    assert cli_sample.LOAD_SAMPLE_RESERVE_DAYS == DEFAULT_RESERVE_DAYS
