"""Sample-data generator and COPY loader, against a real PostgreSQL (no mocks).

Uses the server at $SAMPLE_TEST_PGHOST (default 127.0.0.1), user postgres: each run creates
a uniquely named gen_test_<random> database and drops it at the end.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import uuid

import psycopg
import pytest
from psycopg import sql

from insight_service.sample_data.curves import read_truth
from insight_service.sample_data.dirty import KINDS
from insight_service.sample_data.generator import generate
from insight_service.sample_data.loader import load_sample, write_artifacts
from insight_service.sample_data.tabular import NATURAL_KEYS, SCHEMAS
from insight_service.warehouse.raw_schema import RAW_TABLES
from pytests.support.digest import raw_digest

PG = dict(host=os.environ.get("SAMPLE_TEST_PGHOST", "127.0.0.1"), user=os.environ.get("SAMPLE_TEST_PGUSER", "postgres"),
          port=int(os.environ.get("SAMPLE_TEST_PGPORT", "5432")))
SCALE = 0.05
SEED = 7

# contract enums (raw_sources.md) per (table, column)
ENUMS = {
    ("orders", "status"): {"paid", "fulfilled", "refunded", "partially_refunded", "cancelled", "pending"},
    ("marketing_spend", "channel"): {"seo", "influencer", "social", "ads", "email"},
    ("marketing_channels", "type"): {"seo", "influencer", "social", "ads", "email"},
    ("blog_articles", "status"): {"draft", "scheduled", "published", "archived"},
    ("influencer_deliveries", "status"): {"planned", "posted", "verified", "missed"},
    ("influencer_outreach", "status"): {"queued", "sent", "bounced", "replied", "declined", "accepted"},
}
SEARCH = r"(^|\.)(google|bing|duckduckgo|yahoo|ecosia)\.[a-z.]+$"
SOCIAL = r"(^|\.)(facebook|instagram|twitter|x|tiktok|pinterest|youtube)\.com$|^t\.co$"
NO_UTM = "coalesce(utm_source, utm_medium, utm_campaign, utm_content) is null"


@pytest.fixture(scope="module")
def sample():
    # loaded "now" (as the CLI does) so that future timestamps are in the real future too
    return generate(seed=SEED, scale=SCALE, loaded_at=dt.datetime.now(dt.UTC))


@pytest.fixture(scope="module")
def database():
    name = f"gen_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as admin:
        admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **PG) as admin:
            admin.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


@pytest.fixture(scope="module")
def conn(database):
    with psycopg.connect(dbname=database, **PG) as c:
        yield c


@pytest.fixture(scope="module")
def loaded(sample, conn):
    seen = []
    result = load_sample(conn, sample, schema="raw", progress=lambda t, n, s: seen.append((t, n, s)))
    assert seen, "progress callback never called"
    return result


def q(conn, query, *params):
    return conn.execute(query, params or None).fetchall()


def one(conn, query, *params):
    return conn.execute(query, params or None).fetchone()[0]


# ----------------------------------------------------------------------------- generator only

def test_same_seed_same_rows_different_seed_different_rows():
    kw = dict(scale=0.02, end_date=dt.date(2024, 3, 31), months=4)
    a, b = generate(seed=1, **kw), generate(seed=1, **kw)
    assert raw_digest(a) == raw_digest(b)
    assert json.dumps(a.manifest, sort_keys=True) == json.dumps(b.manifest, sort_keys=True)
    assert {s: {c: v.to_dict() for c, v in ch.items()} for s, ch in a.truth.items()} == \
           {s: {c: v.to_dict() for c, v in ch.items()} for s, ch in b.truth.items()}
    # the tuple view is the same data as the COPY text
    first_a = next(rows for t, _, rows in a.iter_chunks() if t == "orders")
    first_b = next(rows for t, _, rows in b.iter_chunks() if t == "orders")
    assert list(first_a) == list(first_b)
    assert raw_digest(generate(seed=2, **kw)) != raw_digest(a)


def test_scale_one_volumes_and_stores():
    m = generate(seed=42, scale=1.0, end_date=dt.date(2025, 6, 30)).manifest
    assert 20_000 <= m["row_counts"]["orders"] <= 30_000
    assert 120_000 <= m["row_counts"]["web_sessions"] <= 200_000
    assert set(m["stores"]) == {"demo-fashion-us", "demo-beauty-de", "demo-electronics-jp", "demo-home-au",
                                "demo-general-br"}


def test_truth_curves_are_plausible_and_differ(sample):
    assert set(sample.truth) == set(sample.store_ids)
    budgets = sample.manifest["stores"]
    for store, curves in sample.truth.items():
        assert set(curves) == {"seo", "influencer", "social", "ads", "email"}
        for c in curves.values():
            assert 0.8 <= c.shape <= 2.5 and 0.0 <= c.carryover <= 0.7 and c.beta > 0 and c.half_saturation > 0
        assert curves["seo"].carryover > curves["ads"].carryover
        assert curves["influencer"].carryover > curves["email"].carryover
        # current budgets sit at different points of the curves: marginal ROAS differs a lot
        mroas = [curves[c].marginal_roas(budgets[store]["monthly_budgets"][c])
                 for c in ("seo", "influencer", "social", "ads")]
        assert max(mroas) > 2 * min(mroas), (store, mroas)


# ----------------------------------------------------------------------------- loaded data

def test_every_table_loaded_and_counts_match_manifest(sample, loaded, conn):
    manifest = sample.manifest
    assert set(manifest["row_counts"]) == set(RAW_TABLES)
    for table in RAW_TABLES:
        n = one(conn, sql.SQL("select count(*) from {}").format(sql.Identifier("raw", table)))
        assert n > 0, table
        assert n == manifest["row_counts"][table] == loaded["rows"][table], table
    assert loaded["rows_per_second"] > 0 and loaded["seconds"] > 0
    # every row carries an explicit _loaded_at, never later than the base instant
    for table in RAW_TABLES:
        latest = one(conn, sql.SQL("select max(_loaded_at) from {}").format(sql.Identifier("raw", table)))
        assert latest <= sample.loaded_at, table


def test_every_dirty_kind_present_and_every_table_has_duplicates(sample, loaded):
    entries = sample.manifest["dirty_rows"]
    assert {e["kind"] for e in entries} == set(KINDS)
    assert {e["table"] for e in entries if e["kind"] == "duplicate"} == set(RAW_TABLES)
    for kind in KINDS:
        assert sum(e["kind"] == kind for e in entries) >= 3, kind
    for table in ("web_sessions", "orders", "ad_campaign_daily", "article_daily_stats", "marketing_spend"):
        assert {e["kind"] for e in entries if e["table"] == table} >= {"duplicate", "null_key"}, table
    assert {e["table"] for e in entries if e["kind"] == "future_timestamp"} == {"web_sessions", "orders"}


def _key_expr(table):
    kinds = dict(SCHEMAS[table])
    parts = [sql.SQL("coalesce({}::text, '<null>')").format(sql.Identifier(c)) for c in NATURAL_KEYS[table]]
    assert all(kinds[c] in ("text", "date") for c in NATURAL_KEYS[table])
    return sql.SQL(" || '|' || ").join(parts)


def test_each_manifest_dirty_row_exists_with_its_property(sample, loaded, conn):
    entries = sample.manifest["dirty_rows"]
    future_after = dt.datetime.fromisoformat(sample.manifest["parameters"]["future_timestamps_after"])
    conn.execute("create temp table dirty (tbl text, row_key text, kind text, col text, loaded_at timestamptz)")
    with conn.cursor().copy("copy dirty from stdin") as cp:
        for e in entries:
            cp.write_row((e["table"], e["row_key"], e["kind"], e.get("column"), e["loaded_at"]))
    for table in RAW_TABLES:
        key = _key_expr(table)
        src = sql.Identifier("raw", table)
        # duplicates: the listed (superseded) delivery exists and the same key was delivered again later
        bad = one(conn, sql.SQL(
            "select count(*) from dirty d where d.tbl = %s and d.kind = 'duplicate' and "
            "d.row_key || '@' || d.loaded_at::text not in (select k || '@' || _loaded_at::text from "
            "(select {key} as k, _loaded_at, max(_loaded_at) over (partition by {key}) as latest from {src}) x "
            "where _loaded_at < latest)").format(src=src, key=key), table)
        assert bad == 0, (table, "duplicate")
        # null keys: a row with that rendered key and a null key part
        null_any = sql.SQL(" or ").join(sql.SQL("{} is null").format(sql.Identifier(c)) for c in NATURAL_KEYS[table])
        bad = one(conn, sql.SQL(
            "select count(*) from dirty d where d.tbl = %s and d.kind = 'null_key' and d.row_key not in "
            "(select {key} from {src} where {null_any})").format(src=src, key=key, null_any=null_any), table)
        assert bad == 0, (table, "null_key")
        for (col,) in q(conn, "select distinct col from dirty where tbl = %s and kind <> 'duplicate' "
                              "and kind <> 'null_key'", table):
            c = sql.Identifier(col)
            for kind, cond, params in (
                ("negative_value", sql.SQL("{} < 0").format(c), ()),
                ("unknown_enum", sql.SQL("not ({} = any(%s))").format(c), (sorted(ENUMS.get((table, col), [])),)),
                ("future_timestamp", sql.SQL("{c} > %s and {c} > now() + interval '5 days'").format(c=c),
                 (future_after,)),
            ):
                n_kind = one(conn, "select count(*) from dirty where tbl = %s and col = %s and kind = %s",
                             table, col, kind)
                if not n_kind:
                    continue
                if kind == "unknown_enum":
                    assert (table, col) in ENUMS, (table, col)
                bad = one(conn, sql.SQL(
                    "select count(*) from dirty d where d.tbl = %s and d.col = %s and d.kind = %s "
                    "and d.row_key not in (select {key} from {src} where {cond})").format(src=src, key=key, cond=cond),
                    table, col, kind, *params)
                assert bad == 0, (table, col, kind)
    # negative ledger amounts are legitimate (refunds / credits) and are not listed as dirty
    assert one(conn, "select count(*) from raw.marketing_spend where amount < 0") >= 5
    assert not any(e["table"] == "marketing_spend" and e["kind"] == "negative_value" for e in entries)


def test_order_money_identity_and_rules(loaded, conn):
    clean = ("order_id is not null and subtotal >= 0 and status in "
             "('paid', 'fulfilled', 'refunded', 'partially_refunded', 'cancelled', 'pending')")
    assert one(conn, f"select count(*) from raw.orders where {clean}") > 1000
    assert one(conn, f"select count(*) from raw.orders where {clean} "
                     "and total <> subtotal - discount + shipping + tax") == 0
    assert one(conn, f"select count(*) from raw.orders where {clean} and status in ('refunded', "
                     "'partially_refunded') and not refunded_amount > 0") == 0
    assert one(conn, f"select count(*) from raw.orders where {clean} and status not in ('refunded', "
                     "'partially_refunded') and refunded_amount <> 0") == 0
    assert one(conn, f"select count(*) from raw.orders where {clean} and discount > 0 and promo_code is null") == 0
    assert one(conn, f"select count(*) from raw.orders where {clean} and cogs is not null "
                     "and (cogs < 0.39 * subtotal or cogs > 0.61 * subtotal)") == 0
    statuses = {r[0] for r in q(conn, f"select distinct status from raw.orders where {clean}")}
    assert statuses == {"paid", "fulfilled", "refunded", "partially_refunded", "cancelled", "pending"}
    # JPY orders are ~100x bigger in number than USD ones
    jp = one(conn, "select avg(subtotal) from raw.orders where store_id = 'demo-electronics-jp' and subtotal > 0")
    us = one(conn, "select avg(subtotal) from raw.orders where store_id = 'demo-fashion-us' and subtotal > 0")
    assert jp > 80 * us


def _exists(conn, where):
    return one(conn, f"select exists (select 1 from raw.web_sessions s where session_id is not null and {where})")


def test_session_channel_seo(loaded, conn):
    assert _exists(conn, f"{NO_UTM} and regexp_replace(lower(referrer_host), '^www\\.', '') ~ '{SEARCH}' "
                         "and exists (select 1 from raw.blog_articles a where a.store_id = s.store_id "
                         "and rtrim(s.landing_path, '/') = '/blog/' || a.slug)")


def test_session_channel_influencer(loaded, conn):
    assert _exists(conn, "lower(trim(utm_medium)) = 'influencer' and utm_medium <> 'influencer' "
                         "and exists (select 1 from raw.influencer_campaigns c "
                         "where c.campaign_id = lower(trim(s.utm_campaign))) "
                         "and exists (select 1 from raw.influencer_deliveries d "
                         "where d.delivery_id = lower(trim(s.utm_content)))")


def test_session_channel_social(loaded, conn):
    assert _exists(conn, "lower(trim(utm_medium)) in ('social', 'social-organic') and exists "
                         "(select 1 from raw.social_posts_daily p where p.post_id = lower(trim(s.utm_content)))")
    assert _exists(conn, f"{NO_UTM} and regexp_replace(lower(referrer_host), '^www\\.', '') ~ '{SOCIAL}'")


def test_session_channel_ads(loaded, conn):
    assert _exists(conn, "lower(trim(utm_medium)) in ('cpc', 'paid', 'paid_social') and "
                         "lower(trim(utm_source)) in ('google', 'facebook', 'tiktok') and exists "
                         "(select 1 from raw.ad_campaign_daily a where a.campaign_id = trim(s.utm_campaign))")
    assert _exists(conn, "utm_medium <> lower(trim(utm_medium)) and lower(trim(utm_medium)) = 'cpc'")


def test_session_channel_email(loaded, conn):
    assert _exists(conn, "lower(trim(utm_medium)) = 'email'")


def test_session_channel_referral(loaded, conn):
    assert _exists(conn, f"{NO_UTM} and referrer_host is not null and regexp_replace(lower(referrer_host), "
                         f"'^www\\.', '') !~ '{SEARCH}' and regexp_replace(lower(referrer_host), '^www\\.', '') "
                         f"!~ '{SOCIAL}'")


def test_session_channel_direct(loaded, conn):
    assert _exists(conn, f"{NO_UTM} and referrer_host is null")


def test_visitor_browsed_before_being_linked_then_ordered(loaded, conn):
    assert one(conn, """
        select exists (
            select 1 from raw.customer_identities i
            join raw.web_sessions s on s.store_id = i.store_id and s.visitor_id = i.visitor_id
                 and s.started_at < i.linked_at and s.customer_id is null
            join raw.orders o on o.customer_id = i.customer_id and o.created_at >= i.linked_at
            where i.visitor_id is not null)""")
    # customers with several browsers
    assert one(conn, "select count(*) from (select customer_id from raw.customer_identities "
                     "group by 1 having count(distinct visitor_id) > 1) x") > 0
    # logged-in sessions carry the customer
    assert one(conn, "select count(*) from raw.web_sessions where customer_id is not null") > 0


def test_repeat_customers_and_orders_without_sessions(loaded, conn):
    repeat = one(conn, "select count(*) from (select customer_id from raw.orders where order_id is not null "
                       "group by 1 having count(distinct order_id) >= 2) x")
    third = one(conn, "select count(*) from (select customer_id from raw.orders where order_id is not null "
                      "group by 1 having count(distinct order_id) >= 3) x")
    assert repeat > 10 and third > 0
    assert one(conn, "select count(*) from raw.orders where order_id is not null and visitor_id is null") > 0
    # every converting session precedes its order (once it has arrived: 1 % come 2-4 days late)
    assert one(conn, """
        select count(*) from raw.orders o
        where o.visitor_id is not null and o.order_id is not null and o.status <> 'pending'
          and o.created_at < now() - interval '5 days'
          and not exists (select 1 from raw.web_sessions s where s.visitor_id = o.visitor_id
                          and s.started_at <= o.created_at)""") == 0


def test_late_evening_session_on_a_month_end_in_new_york(loaded, conn):
    assert one(conn, """
        select exists (
            select 1 from raw.web_sessions
            where store_id = 'demo-fashion-us' and session_id is not null
              and extract(hour from started_at at time zone 'America/New_York') = 23
              and (started_at at time zone 'America/New_York')::date
                  = (date_trunc('month', started_at at time zone 'America/New_York')
                     + interval '1 month - 1 day')::date)""")


def test_sessions_on_dst_change_days(loaded, conn):
    # a local day that is not 24 hours long is a DST change day (Brazil has had no DST since 2019)
    for store, tz in (("demo-fashion-us", "America/New_York"), ("demo-beauty-de", "Europe/Berlin"),
                      ("demo-home-au", "Australia/Sydney")):
        n = one(conn, """
            with s as (select started_at, (started_at at time zone %(tz)s) as local from raw.web_sessions
                       where store_id = %(store)s and session_id is not null)
            select count(*) from s
            where extract(hour from local) < 5
              and extract(epoch from ((local::date + 1)::timestamp at time zone %(tz)s)
                                     - (local::date::timestamp at time zone %(tz)s)) <> 86400""".replace(
            "%(tz)s", "'" + tz + "'").replace("%(store)s", "'" + store + "'"))
        assert n > 0, store


def test_funnel_tables_are_consistent(loaded, conn):
    # SEO CTR 1-5 % overall, positions plausible; platform conversions inflated vs. sessions
    ctr = one(conn, "select sum(organic_clicks)::float / sum(impressions) from raw.article_daily_stats "
                    "where article_id is not null and impressions > 0")
    assert 0.01 <= ctr <= 0.05
    assert one(conn, "select count(*) from raw.blog_articles where status = 'scheduled' "
                     "and scheduled_for > now()") > 0
    assert {r[0] for r in q(conn, "select distinct status from raw.blog_articles where article_id is not null")} >= \
        {"draft", "scheduled", "published", "archived"}
    assert one(conn, "select count(*) from raw.blog_articles where title ilike 'Ignore previous instructions and%'") > 0
    assert one(conn, "select count(*) from raw.blog_articles where title like '%\"%' and title like '%<%>%'") > 0
    assert one(conn, "select count(*) from raw.influencer_deliveries where status = 'planned' "
                     "and post_date is null") > 0
    assert one(conn, "select count(*) from raw.social_posts_daily where spend = 0") > 0
    assert one(conn, "select count(*) from raw.social_posts_daily where spend > 0") > 0
    assert one(conn, "select count(distinct platform) from raw.ad_campaign_daily "
                     "where store_id = 'demo-fashion-us'") == 3
    assert one(conn, "select count(*) from raw.marketing_spend where channel = 'influencer' "
                     "and source_type = 'contract' "
                     "and source_id in (select contract_id from raw.influencer_contracts)") > 0
    # the same cost is never both in a platform table and in the ledger
    assert one(conn, "select count(*) from raw.marketing_spend where channel = 'ads' and amount > 0") == 0
    assert one(conn, "select count(*) from raw.marketing_spend where channel = 'social' "
                     "and source_type not in ('tool')") == 0
    statuses = {r[0] for r in q(conn, "select distinct status from raw.marketing_channels")}
    assert statuses == {"active", "paused"}


def test_write_artifacts(sample, tmp_path):
    write_artifacts(sample, tmp_path)
    curves, meta = read_truth(tmp_path / "true_curves.json")
    assert {s: {c: v.to_dict() for c, v in ch.items()} for s, ch in curves.items()} == \
           {s: {c: v.to_dict() for c, v in ch.items()} for s, ch in sample.truth.items()}
    assert meta["seed"] == SEED
    manifest = json.loads((tmp_path / "sample_manifest.json").read_text())
    assert manifest["row_counts"] == sample.manifest["row_counts"]
    assert len(manifest["dirty_rows"]) == len(sample.manifest["dirty_rows"])


class _TupleOnly:
    """Same data, but chunks are plain lists of tuples (exercises the write_row path)."""

    def __init__(self, data):
        self.data = data

    def iter_chunks(self):
        for table, columns, rows in self.data.iter_chunks():
            yield table, columns, list(rows)


def test_tuple_and_text_paths_load_identical_rows_and_replace_truncates(conn):
    data = generate(seed=3, scale=0.01, end_date=dt.date(2024, 11, 30), months=2)
    a = load_sample(conn, data, schema="gen_text")
    b = load_sample(conn, _TupleOnly(data), schema="gen_tuples")
    assert a["rows"] == b["rows"] == data.manifest["row_counts"]
    for table in RAW_TABLES:
        digests = [one(conn, sql.SQL("select md5(string_agg(t::text, E'\\n' order by t::text)) from {} t").format(
            sql.Identifier(s, table))) for s in ("gen_text", "gen_tuples")]
        assert digests[0] == digests[1], table
    again = load_sample(conn, data, schema="gen_text", replace=True)
    assert again["rows"] == a["rows"]
    n = one(conn, "select count(*) from gen_text.orders")
    assert n == a["rows"]["orders"]
    # the adversarial title (tab, backslash) survived COPY escaping
    assert one(conn, "select count(*) from gen_text.blog_articles where title = %s",
               "Back\\slash & tab\there: a style memo") == 1
