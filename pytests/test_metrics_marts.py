"""End-to-end tests of the unified-metrics marts (fct_unified_metrics and friends).

Each test module fixture builds an isolated database (pytests/support/warehouse.py), fills
the raw schema with rows written here, runs dbt and checks the marts against values
computed independently in Python from the same raw rows:

* full refresh == incremental: after a first build, a new day of raw rows is appended
  (plus a refund of an old order, a backdated ledger credit and a re-reported influencer
  delivery, all with a later _loaded_at); an incremental `dbt build` must give exactly the
  rows of a `--full-refresh` of the metrics models (EXCEPT both ways).
* cost: every (store, channel, month) cost equals platform spend + ledger of the raw rows.
* a hand-computed store: every number of a few rows worked out by hand, including a
  session at 23:30 New York time on 31 January (04:30 UTC on 1 February) that must count
  in January, and ratios that are null because their denominator is 0.

Run: PGHOST=127.0.0.1 PGUSER=postgres .venv/bin/pytest pytests/test_metrics_marts.py
"""
from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from insight_service.warehouse.raw_schema import create_raw_schema
from pytests.conftest import copy_database
from pytests.support.warehouse import NO_UNIT_TESTS, TestDatabase

UTC = dt.UTC
D = Decimal

RAW_COLUMNS = {
    "stores": ["store_id", "name", "industry", "currency", "timezone", "status", "created_at"],
    "marketing_channels": ["channel_id", "store_id", "type", "name", "monthly_budget", "status", "created_at"],
    "blog_articles": ["article_id", "store_id", "title", "slug", "target_keyword", "status",
                      "scheduled_for", "published_at", "created_at"],
    "article_daily_stats": ["store_id", "article_id", "date", "impressions", "organic_clicks", "avg_position",
                            "pageviews", "unique_visitors", "avg_time_on_page_s", "bounce_rate"],
    "influencers": ["influencer_id", "platform", "handle", "followers", "niche"],
    "influencer_campaigns": ["campaign_id", "store_id", "name", "status", "budget_allocated",
                             "start_date", "end_date", "created_at"],
    "influencer_contracts": ["contract_id", "store_id", "campaign_id", "influencer_id", "fee",
                             "start_date", "end_date", "status"],
    "influencer_deliveries": ["delivery_id", "contract_id", "deliverable_type", "platform", "post_date",
                              "status", "reach", "impressions", "engagements", "clicks"],
    "social_posts_daily": ["store_id", "post_id", "platform", "date", "impressions", "engagements",
                           "clicks", "spend"],
    "ad_campaign_daily": ["store_id", "platform", "campaign_id", "campaign_name", "date", "impressions",
                          "clicks", "spend", "platform_conversions"],
    "marketing_spend": ["spend_id", "store_id", "channel", "source_type", "source_id", "spend_date",
                        "amount", "description"],
    "web_sessions": ["session_id", "store_id", "visitor_id", "customer_id", "started_at", "duration_s",
                     "pageviews", "bounced", "landing_path", "referrer_host", "utm_source", "utm_medium",
                     "utm_campaign", "utm_content"],
    "customer_identities": ["store_id", "visitor_id", "customer_id", "linked_at"],
    "orders": ["order_id", "store_id", "customer_id", "visitor_id", "created_at", "status", "subtotal",
               "discount", "shipping", "tax", "total", "refunded_amount", "cogs", "promo_code"],
}

METRICS_MODELS = "int_unified_metrics_daily fct_unified_metrics"


# --------------------------------------------------------------------------------------
# raw rows
# --------------------------------------------------------------------------------------

def load_rows(db: TestDatabase, data: dict[str, list[dict]], loaded_at: dt.datetime) -> None:
    """Insert rows (dicts keyed by raw column) with the given _loaded_at."""
    with db.connect() as conn:
        create_raw_schema(conn)
        for table, rows in data.items():
            if not rows:
                continue
            cols = RAW_COLUMNS[table]
            placeholders = ", ".join(["%s"] * (len(cols) + 1))
            conn.cursor().executemany(
                f"insert into raw.{table} ({', '.join(cols)}, _loaded_at) values ({placeholders})",
                [tuple(row.get(c) for c in cols) + (row.get("_loaded_at", loaded_at),) for row in rows],
            )
        conn.commit()


def local_ts(tz: str, day: dt.date, seconds: int) -> dt.datetime:
    """UTC timestamp of `seconds` after local midnight of `day` in `tz`."""
    naive = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)
    return naive.replace(tzinfo=ZoneInfo(tz)).astimezone(UTC)


STORES = [
    # store_id, timezone, industry
    ("st_ny", "America/New_York", "fashion"),
    ("st_tyo", "Asia/Tokyo", "pets"),          # no benchmark industry -> general
    ("st_bog", "America/Bogota", "beauty"),
]


def synthetic_dataset(start: dt.date, days: int, seed: int = 7) -> dict[str, list[dict]]:
    """A few stores with every raw table filled day by day (deterministic)."""
    rng = random.Random(seed)
    data: dict[str, list[dict]] = defaultdict(list)
    created = dt.datetime(2023, 1, 1, tzinfo=UTC)
    for si, (store, tz, industry) in enumerate(STORES):
        data["stores"].append(dict(store_id=store, name=f"Store {store}", industry=industry, currency="USD",
                                   timezone=tz, status="active", created_at=created))
        for ci, (ctype, budget, status) in enumerate([
            ("seo", D("500.00"), "active"), ("ads", D("1000.00"), "active"), ("ads", D("200.00"), "active"),
            ("social", D("300.00"), "paused"), ("influencer", D("800.00"), "active"), ("email", D("0.00"), "active"),
        ]):
            data["marketing_channels"].append(dict(
                channel_id=f"{store}_mc{ci}", store_id=store, type=ctype, name=f"{ctype} {ci}",
                monthly_budget=budget, status=status, created_at=created))
        articles = [f"{store}_a{i}" for i in range(3)]
        for i, article in enumerate(articles):
            published = i < 2
            data["blog_articles"].append(dict(
                article_id=article, store_id=store, title=f"Article {i} of {store}", slug=f"post-{i}",
                target_keyword="kw", status="published" if published else "scheduled",
                scheduled_for=None if published else local_ts(tz, start + dt.timedelta(days=days + 5), 9 * 3600),
                published_at=local_ts(tz, start - dt.timedelta(days=10 - i), 8 * 3600) if published else None,
                created_at=created))
        campaigns = [f"{store}_IC{i}" for i in range(2)]
        for i, campaign in enumerate(campaigns):
            data["influencer_campaigns"].append(dict(
                campaign_id=campaign, store_id=store, name=f"Campaign {i}", status="active",
                budget_allocated=D("1000.00"), start_date=start, end_date=start + dt.timedelta(days=days),
                created_at=created))
            data["influencers"].append(dict(influencer_id=f"{store}_inf{i}", platform="instagram",
                                            handle=f"@h{si}{i}", followers=10000, niche="style"))
            contract = f"{store}_k{i}"
            data["influencer_contracts"].append(dict(
                contract_id=contract, store_id=store, campaign_id=campaign, influencer_id=f"{store}_inf{i}",
                fee=D("400.00"), start_date=start, end_date=start + dt.timedelta(days=days), status="signed"))
            for j in range(2):
                posted = start + dt.timedelta(days=3 + 7 * i + 5 * j)
                data["influencer_deliveries"].append(dict(
                    delivery_id=f"{contract}_d{j}", contract_id=contract, deliverable_type=["post", "reel"][j],
                    platform="instagram", post_date=posted if posted < start + dt.timedelta(days=days) else None,
                    status="posted" if posted < start + dt.timedelta(days=days) else "planned",
                    reach=5000, impressions=8000 + 100 * j, engagements=400 + j, clicks=120 + j))
        posts = [f"{store}_p{i}" for i in range(2)]
        ad_campaigns = [("google_ads", f"{store}_G1"), ("meta_ads", f"{store}_M1")]
        # ledger: one contract fee per contract, tools monthly, an unresolvable ads campaign fee
        for i in range(2):
            data["marketing_spend"].append(dict(
                spend_id=f"{store}_fee{i}", store_id=store, channel="influencer", source_type="contract",
                source_id=f"{store}_k{i}", spend_date=start + dt.timedelta(days=2 + i), amount=D("400.00"),
                description="fee"))
        data["marketing_spend"] += [
            dict(spend_id=f"{store}_tool", store_id=store, channel="seo", source_type="tool", source_id=None,
                 spend_date=start, amount=D("99.00"), description="seo tool"),
            dict(spend_id=f"{store}_write0", store_id=store, channel="seo", source_type="article",
                 source_id=articles[0], spend_date=start + dt.timedelta(days=1), amount=D("150.00"),
                 description="writer"),
            dict(spend_id=f"{store}_adsfee", store_id=store, channel="ads", source_type="campaign",
                 source_id=ad_campaigns[0][1].lower(), spend_date=start + dt.timedelta(days=4),
                 amount=D("50.00"), description="agency fee on a campaign"),
            dict(spend_id=f"{store}_adsfee_x", store_id=store, channel="ads", source_type="campaign",
                 source_id="unknown_campaign", spend_date=start + dt.timedelta(days=4), amount=D("25.00"),
                 description="fee on an unknown campaign"),
            dict(spend_id=f"{store}_email", store_id=store, channel="email", source_type="tool", source_id=None,
                 spend_date=start + dt.timedelta(days=5), amount=D("30.00"), description="esp"),
            dict(spend_id=f"{store}_social", store_id=store, channel="social", source_type="other",
                 source_id=None, spend_date=start + dt.timedelta(days=6), amount=D("45.00"), description="design"),
            dict(spend_id=f"{store}_refund", store_id=store, channel="ads", source_type="other", source_id=None,
                 spend_date=start + dt.timedelta(days=8), amount=D("-12.50"), description="credit"),
        ]
        customers = [f"{store}_c{i}" for i in range(60)]
        visitors = [f"{store}_v{i}" for i in range(200)]
        for i, customer in enumerate(customers):
            data["customer_identities"].append(dict(store_id=store, visitor_id=visitors[i], customer_id=customer,
                                                    linked_at=created))
        session_no = 0
        order_no = 0
        for d in range(days):
            day = start + dt.timedelta(days=d)
            for article in articles[:2]:
                data["article_daily_stats"].append(dict(
                    store_id=store, article_id=article, date=day, impressions=rng.randint(100, 900),
                    organic_clicks=rng.randint(0, 40), avg_position=D("7.50"), pageviews=rng.randint(5, 50),
                    unique_visitors=rng.randint(5, 40), avg_time_on_page_s=D("60.00"), bounce_rate=D("0.5000")))
            for post in posts:
                data["social_posts_daily"].append(dict(
                    store_id=store, post_id=post, platform="instagram", date=day,
                    impressions=rng.randint(200, 2000), engagements=rng.randint(0, 120),
                    clicks=rng.randint(0, 30), spend=D(rng.choice(["0.00", "0.00", "7.25"]))))
            for platform, campaign in ad_campaigns:
                data["ad_campaign_daily"].append(dict(
                    store_id=store, platform=platform, campaign_id=campaign, campaign_name=campaign,
                    date=day, impressions=rng.randint(500, 5000), clicks=rng.randint(0, 80),
                    spend=D(rng.randint(500, 6000)) / 100, platform_conversions=D("1.00")))
            for _ in range(rng.randint(8, 16)):
                session_no += 1
                visitor = rng.choice(visitors)
                seconds = rng.randint(0, 86399)
                kind = rng.choice(["seo", "seo_blog", "influencer", "social", "ads", "email", "referral", "direct"])
                row = dict(session_id=f"{store}_s{session_no}", store_id=store, visitor_id=visitor,
                           customer_id=None, started_at=local_ts(tz, day, seconds),
                           duration_s=rng.randint(0, 900), pageviews=rng.randint(1, 9),
                           bounced=rng.random() < 0.4, landing_path="/", referrer_host=None, utm_source=None,
                           utm_medium=None, utm_campaign=None, utm_content=None)
                if kind == "seo":
                    row.update(referrer_host="www.google.com")
                elif kind == "seo_blog":
                    row.update(referrer_host="bing.com", landing_path=f"/blog/post-{rng.randint(0, 1)}")
                elif kind == "influencer":
                    i = rng.randint(0, 1)
                    row.update(utm_medium="Influencer ", utm_source="instagram", utm_campaign=campaigns[i],
                               utm_content=f"{store}_k{i}_d0")
                elif kind == "social":
                    row.update(utm_medium="social", utm_source="instagram", utm_content=rng.choice(posts))
                elif kind == "ads":
                    platform, campaign = rng.choice(ad_campaigns)
                    row.update(utm_medium="cpc", utm_source=platform.split("_")[0], utm_campaign=campaign)
                elif kind == "email":
                    row.update(utm_medium="email", utm_source="newsletter")
                elif kind == "referral":
                    row.update(referrer_host="someblog.example.org")
                data["web_sessions"].append(row)
                # some sessions convert within the hour
                if rng.random() < 0.18:
                    order_no += 1
                    customer = customers[visitors.index(visitor)] if visitors.index(visitor) < 60 else None
                    subtotal = D(rng.randint(2000, 20000)) / 100
                    data["orders"].append(dict(
                        order_id=f"{store}_o{order_no}", store_id=store, customer_id=customer, visitor_id=visitor,
                        created_at=row["started_at"] + dt.timedelta(minutes=rng.randint(1, 50)),
                        status=rng.choice(["paid", "fulfilled", "fulfilled", "cancelled"]), subtotal=subtotal,
                        discount=D("5.00"), shipping=D("4.99"), tax=D("1.00"), total=subtotal,
                        refunded_amount=D("0.00"), cogs=(subtotal * D("0.4")).quantize(D("0.01")),
                        promo_code=None))
            # a guest order with no session at all: credited to `unattributed`
            if d % 9 == 4:
                order_no += 1
                data["orders"].append(dict(
                    order_id=f"{store}_o{order_no}", store_id=store, customer_id=f"{store}_guest{d}",
                    visitor_id=None, created_at=local_ts(tz, day, 12 * 3600), status="paid",
                    subtotal=D("33.00"), discount=D("0.00"), shipping=D("0.00"), tax=D("0.00"),
                    total=D("33.00"), refunded_amount=D("0.00"), cogs=None, promo_code=None))
    return dict(data)


def local_day_of(table: str, row: dict) -> dt.date | None:
    """The store-local day a raw row belongs to (None for tables without one)."""
    if table in ("article_daily_stats", "social_posts_daily", "ad_campaign_daily"):
        return row["date"]
    if table == "marketing_spend":
        return row["spend_date"]
    if table in ("web_sessions", "orders"):
        timestamp = row["started_at"] if table == "web_sessions" else row["created_at"]
        return timestamp.astimezone(ZoneInfo(dict((s, t) for s, t, _ in STORES)[row["store_id"]])).date()
    return None


def split_last_day(data: dict[str, list[dict]], last_day: dt.date) -> tuple[dict, dict]:
    """(rows before `last_day`, rows of `last_day` or later) by each table's store-local date."""
    before: dict[str, list[dict]] = defaultdict(list)
    after: dict[str, list[dict]] = defaultdict(list)
    for table, rows in data.items():
        for row in rows:
            day = local_day_of(table, row)
            (after if day is not None and day >= last_day else before)[table].append(row)
    return dict(before), dict(after)


def stamp_daily_loads(data: dict[str, list[dict]], reference_loaded_at: dt.datetime) -> dict[str, list[dict]]:
    """_loaded_at as a daily ELT job would set it: dated rows land at 03:00 UTC the next day,
    reference tables (stores, campaigns, ...) at `reference_loaded_at`."""
    stamped: dict[str, list[dict]] = {}
    for table, rows in data.items():
        stamped[table] = []
        for row in rows:
            day = local_day_of(table, row)
            loaded = (dt.datetime.combine(day + dt.timedelta(days=1), dt.time(3), tzinfo=UTC)
                      if day is not None else reference_loaded_at)
            stamped[table].append({**row, "_loaded_at": loaded})
    return stamped


def expected_costs(data: dict[str, list[dict]]) -> dict[tuple[str, str, dt.date], Decimal]:
    """(store, channel, month_start) -> platform spend + ledger, straight from the raw rows
    (latest delivery per natural key wins, as in staging)."""
    latest: dict[tuple, dict] = {}
    for table, key in (("ad_campaign_daily", ("platform", "campaign_id", "date")),
                       ("social_posts_daily", ("post_id", "date")), ("marketing_spend", ("spend_id",))):
        for row in data.get(table, []):
            k = (table,) + tuple(row[c] for c in key)
            if k not in latest or row["_loaded_at"] >= latest[k]["_loaded_at"]:
                latest[k] = row
    costs: dict[tuple[str, str, dt.date], Decimal] = defaultdict(lambda: D("0"))
    for (table, *_), row in latest.items():
        if table == "ad_campaign_daily":
            channel, day, amount = "ads", row["date"], row["spend"]
        elif table == "social_posts_daily":
            channel, day, amount = "social", row["date"], row["spend"]
        else:
            channel, day, amount = row["channel"], row["spend_date"], row["amount"]
        costs[(row["store_id"], channel, day.replace(day=1))] += amount
    return dict(costs)


# --------------------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------------------

START = dt.date(2024, 1, 10)
DAYS = 30                      # 2024-01-10 .. 2024-02-08
LAST_DAY = START + dt.timedelta(days=DAYS - 1)
LOAD_1 = dt.datetime(2024, 1, 1, tzinfo=UTC)           # reference tables (dated rows: day + 1, 03:00 UTC)
LOAD_2 = dt.datetime(2024, 2, 9, 3, 0, tzinfo=UTC)      # the last day and the late corrections


@pytest.fixture(scope="module")
def incremental_db():
    """Synthetic stores loaded day by day (daily ELT): a first build without the last day,
    then the last day and late corrections arrive and an incremental `dbt build` runs."""
    db = TestDatabase("metrics_inc")
    try:
        first, last_day = split_last_day(synthetic_dataset(START, DAYS), LAST_DAY)
        first = stamp_daily_loads(first, dt.datetime(2024, 1, 1, tzinfo=UTC))
        load_rows(db, first, LOAD_1)
        db.dbt("build", *NO_UNIT_TESTS)
        db.first_build = db.scalar("select max(built_at) from intermediate.int_unified_metrics_daily")

        late = {t: [{**r, "_loaded_at": LOAD_2} for r in rows] for t, rows in last_day.items()}
        # late corrections dated well before the trailing window, delivered with the new day
        old_order = next(o for o in first["orders"] if o["status"] == "paid" and o["visitor_id"]
                         and o["created_at"].date() < START + dt.timedelta(days=5))
        late.setdefault("orders", []).append(
            {**old_order, "status": "partially_refunded", "refunded_amount": D("10.00"), "_loaded_at": LOAD_2})
        late.setdefault("marketing_spend", []).append(dict(
            spend_id="st_ny_backdated_credit", store_id="st_ny", channel="seo", source_type="article",
            source_id="st_ny_a1", spend_date=START + dt.timedelta(days=2), amount=D("-20.00"),
            description="backdated credit", _loaded_at=LOAD_2))
        delivery = next(r for r in first["influencer_deliveries"] if r["post_date"])
        late.setdefault("influencer_deliveries", []).append(
            {**delivery, "impressions": delivery["impressions"] + 5000, "clicks": delivery["clicks"] + 50,
             "_loaded_at": LOAD_2})
        load_rows(db, late, LOAD_2)
        db.dbt("build", *NO_UNIT_TESTS)

        db.raw_data = {t: first.get(t, []) + late.get(t, []) for t in set(first) | set(late)}
        db.late_days = {local_day_of("orders", old_order), START + dt.timedelta(days=2), delivery["post_date"]}
        yield db
    finally:
        db.drop()


# --------------------------------------------------------------------------------------
# tests
# --------------------------------------------------------------------------------------

def test_incremental_equals_full_refresh(incremental_db: TestDatabase):
    db = incremental_db
    assert db.scalar("select count(*) from marts.fct_unified_metrics where period = 'daily' "
                     "and period_start = %s", (LAST_DAY,)) > 0, "the appended day was not built"
    # the second build was incremental: it rebuilt only the days it had to, the others kept their rows
    rebuilt = {d for (d,) in db.query("select distinct date from intermediate.int_unified_metrics_daily "
                                      "where built_at > %s", (db.first_build,))}
    kept = {d for (d,) in db.query("select distinct date from intermediate.int_unified_metrics_daily "
                                   "where built_at = %s", (db.first_build,))}
    reattributed = {d for (d,) in db.query(
        "select distinct converted_date from marts.fct_attribution_credits where processed_at > %s",
        (db.first_build,))}
    window = {LAST_DAY + dt.timedelta(days=k) for k in range(-4, 2)}
    assert kept and rebuilt, (kept, rebuilt)
    assert rebuilt <= window | db.late_days | reattributed, sorted(rebuilt - window - db.late_days - reattributed)
    db.execute("drop table if exists public.fct_incremental; "
               "create table public.fct_incremental as select * from marts.fct_unified_metrics; "
               "drop table if exists public.int_incremental; "
               "create table public.int_incremental as select * from intermediate.int_unified_metrics_daily")
    db.dbt("run", "--full-refresh", "--select", METRICS_MODELS)
    for incremental, full in (("public.fct_incremental", "marts.fct_unified_metrics"),
                              ("public.int_incremental", "intermediate.int_unified_metrics_daily")):
        # every column but built_at (the start of the run that wrote the row)
        schema, table = full.split(".")
        columns = ", ".join(c for (c,) in db.query(
            "select column_name from information_schema.columns where table_schema = %s and table_name = %s "
            "and column_name <> 'built_at' order by ordinal_position", (schema, table)))
        only_incremental = db.query(f"select {columns} from {incremental} except all select {columns} from {full}")
        only_full = db.query(f"select {columns} from {full} except all select {columns} from {incremental}")
        assert not only_incremental and not only_full, (
            f"{full}: {len(only_incremental)} rows only in the incremental build, e.g. {only_incremental[:3]}; "
            f"{len(only_full)} only in the full refresh, e.g. {only_full[:3]}")
        assert db.scalar(f"select count(*) from {full}") > 1000
    # the late corrections reached the marts: the backdated ledger credit on 2024-01-12
    assert db.scalar("select cost from marts.fct_unified_metrics where store_id = 'st_ny' and channel = 'seo' "
                     "and source = 'article:st_ny_a1' and period = 'daily' and period_start = '2024-01-12'") \
        == D("-20.00")


def test_incremental_run_without_new_rows_rewrites_nothing(incremental_db: TestDatabase):
    """A second incremental run with no new raw rows keeps every row as it is: nothing is reopened
    (the days to rebuild come from what the inputs stamped since the last run, not from a window)."""
    db = incremental_db
    query = "select * from marts.fct_unified_metrics order by store_id, channel, source, period, period_start"
    before = db.query(query)
    built = db.scalar("select max(built_at) from marts.fct_unified_metrics")
    daily_built = db.scalar("select max(built_at) from intermediate.int_unified_metrics_daily")
    db.dbt("run", "--select", METRICS_MODELS)
    assert db.query(query) == before
    assert db.scalar("select count(*) from marts.fct_unified_metrics where built_at > %s", (built,)) == 0
    assert db.scalar("select count(*) from intermediate.int_unified_metrics_daily where built_at > %s",
                     (daily_built,)) == 0


def test_cost_reconciles_to_raw(incremental_db: TestDatabase):
    db = incremental_db
    expected = expected_costs(db.raw_data)
    actual = {(s, c, m): v for s, c, m, v in db.query(
        "select store_id, channel, period_start, cost from marts.fct_unified_metrics "
        "where period = 'monthly' and source = 'all' and channel <> 'overall' and cost <> 0")}
    assert actual == {k: v for k, v in expected.items() if v != 0}
    # overall cost = sum of all channel costs
    for store, month, overall in db.query(
            "select store_id, period_start, cost from marts.fct_unified_metrics "
            "where period = 'monthly' and channel = 'overall'"):
        assert overall == sum(v for (s, _, m), v in expected.items() if s == store and m == month)


def test_overall_revenue_equals_default_model_credits(incremental_db: TestDatabase):
    db = incremental_db
    rows = db.query("""
        with credits as (
            select store_id, sum(credited_revenue) as revenue, sum(credited_conversions) as conversions
            from marts.fct_attribution_credits where model = 'linear' group by store_id
        ), unified as (
            select store_id, sum(revenue) as revenue, sum(conversions) as conversions,
                   sum(unattributed_revenue) as unattributed_revenue
            from marts.fct_unified_metrics where period = 'monthly' and channel = 'overall' group by store_id
        )
        select credits.store_id, credits.revenue, unified.revenue, credits.conversions, unified.conversions,
               unified.unattributed_revenue
        from credits full join unified using (store_id)""")
    assert len(rows) == len(STORES)
    for store, credit_revenue, unified_revenue, credit_conv, unified_conv, unattributed in rows:
        assert credit_revenue == unified_revenue, store
        assert abs(credit_conv - unified_conv) < D("0.001"), store
        assert unattributed > 0, f"{store}: the guest orders without sessions should be unattributed"


def test_store_without_benchmark_industry_falls_back_to_general(incremental_db: TestDatabase):
    db = incremental_db
    industries = dict(db.query("select store_id, benchmark_industry from marts.dim_stores"))
    assert industries == {"st_ny": "fashion", "st_tyo": "general", "st_bog": "beauty"}
    assert db.query("select distinct industry from marts.fct_benchmark_comparison where store_id = 'st_tyo'") \
        == [("general",)]


def test_table_built_before_profit_after_marketing_is_upgraded_in_place(incremental_db: TestDatabase):
    """A deployment whose fct_unified_metrics was built before marketing_profit and poas existed: a plain
    incremental build adds both columns, fills every stored row from its own profit and cost (also the rows
    the run does not reopen), restamps nothing, passes every test of the mart on every row, and leaves the
    table exactly as a full refresh builds it (columns in the same order)."""
    db = incremental_db
    layout = ("select column_name, data_type, numeric_precision, numeric_scale, is_nullable "
              "from information_schema.columns where table_schema = 'marts' and table_name = 'fct_unified_metrics' "
              "order by ordinal_position")
    fresh_layout = db.query(layout)
    assert [c[0] for c in fresh_layout[-2:]] == ["marketing_profit", "poas"]
    stamps = db.query("select built_at, count(*) from marts.fct_unified_metrics group by 1 order by 1")
    db.execute("alter table marts.fct_unified_metrics drop column marketing_profit, drop column poas")

    db.dbt("build", "--select", "fct_unified_metrics", "--vars", "{full_checks: true}", *NO_UNIT_TESTS)

    assert db.query(layout) == fresh_layout
    assert db.query("select built_at, count(*) from marts.fct_unified_metrics group by 1 order by 1") == stamps
    assert db.scalar("select count(*) from marts.fct_unified_metrics where marketing_profit is null "
                     "or marketing_profit <> profit - cost "
                     "or poas is distinct from round(profit / nullif(cost, 0), 4)") == 0
    assert db.scalar("select count(*) from marts.fct_unified_metrics where poas is null and cost = 0") > 0
    assert db.scalar("select count(*) from marts.fct_unified_metrics where poas is not null") > 0
    db.execute("drop table if exists public.fct_upgraded; "
               "create table public.fct_upgraded as select * from marts.fct_unified_metrics")
    db.dbt("run", "--full-refresh", "--select", "fct_unified_metrics")
    columns = ", ".join(c[0] for c in fresh_layout if c[0] != "built_at")
    for left, right in (("public.fct_upgraded", "marts.fct_unified_metrics"),
                        ("marts.fct_unified_metrics", "public.fct_upgraded")):
        assert db.query(f"select {columns} from {left} except all select {columns} from {right}") == []


def test_sessions_built_before_the_visit_key_flag_are_upgraded_without_a_rewrite(incremental_db: TestDatabase):
    """int_sessions built before visit_key_unchanged existed: an incremental run adds the column as a
    catalogue default (false: "recount"), rewrites and restamps no row, and leaves the columns as a full
    build lays them out."""
    db = incremental_db
    layout = ("select column_name, data_type, is_nullable from information_schema.columns "
              "where table_schema = 'intermediate' and table_name = 'int_sessions' order by ordinal_position")
    fresh_layout = db.query(layout)
    assert fresh_layout[-1][0] == "visit_key_unchanged"
    db.execute("alter table intermediate.int_sessions drop column visit_key_unchanged")
    rows = db.query("select ctid::text, processed_at from intermediate.int_sessions order by session_id")

    db.dbt("run", "--select", "int_sessions")

    assert db.query(layout) == fresh_layout
    # the same tuples (ctid): no row was rewritten, so none is left dead for a vacuum that may never run
    assert db.query("select ctid::text, processed_at from intermediate.int_sessions order by session_id") == rows
    assert db.scalar("select count(*) from intermediate.int_sessions where visit_key_unchanged") == 0


# --------------------------------------------------------------------------------------
# hand-computed store
# --------------------------------------------------------------------------------------

NY = "America/New_York"


def hand_dataset() -> dict[str, list[dict]]:
    """One New York store, January/February 2024. Every number below is checked by hand."""
    loaded = dt.datetime(2024, 2, 3, tzinfo=UTC)
    created = dt.datetime(2023, 6, 1, tzinfo=UTC)
    s = "hand"

    def session(sid, visitor, started_at, channel_fields, duration, pageviews, bounced, customer=None):
        base = dict(session_id=sid, store_id=s, visitor_id=visitor, customer_id=customer, started_at=started_at,
                    duration_s=duration, pageviews=pageviews, bounced=bounced, landing_path="/",
                    referrer_host=None, utm_source=None, utm_medium=None, utm_campaign=None, utm_content=None)
        base.update(channel_fields)
        return base

    ads = dict(utm_medium="cpc", utm_source="google", utm_campaign="G1")
    rows = {
        "stores": [dict(store_id=s, name="Hand", industry="Fashion", currency="USD", timezone=NY,
                        status="active", created_at=created)],
        "marketing_channels": [
            dict(channel_id="mc1", store_id=s, type="ads", name="Google", monthly_budget=D("100.00"),
                 status="active", created_at=created),
            dict(channel_id="mc2", store_id=s, type="ads", name="Old", monthly_budget=D("900.00"),
                 status="archived", created_at=created),
        ],
        "ad_campaign_daily": [
            dict(store_id=s, platform="google_ads", campaign_id="G1", campaign_name="G1",
                 date=dt.date(2024, 1, 31), impressions=1000, clicks=10, spend=D("20.00"),
                 platform_conversions=D("5.00")),
            dict(store_id=s, platform="google_ads", campaign_id="G1", campaign_name="G1",
                 date=dt.date(2024, 2, 2), impressions=500, clicks=0, spend=D("0.00"),
                 platform_conversions=D("0.00")),
        ],
        "marketing_spend": [
            dict(spend_id="l1", store_id=s, channel="ads", source_type="campaign", source_id="g1",
                 spend_date=dt.date(2024, 1, 31), amount=D("10.00"), description="fee"),
        ],
        "web_sessions": [
            # 23:30 New York time on 31 January = 04:30 UTC on 1 February -> January
            session("h1", "v1", dt.datetime(2024, 2, 1, 4, 30, tzinfo=UTC), ads, 120, 3, False, "c1"),
            session("h2", "v2", dt.datetime(2024, 1, 31, 15, 0, tzinfo=UTC), ads, 60, 1, True),
            session("h3", "v1", dt.datetime(2024, 1, 31, 16, 0, tzinfo=UTC), {}, 30, 1, True, "c1"),  # direct
            # 00:30 New York on 2 February
            session("h4", "v3", dt.datetime(2024, 2, 2, 5, 30, tzinfo=UTC), ads, 0, 1, True),
        ],
        "customer_identities": [dict(store_id=s, visitor_id="v1", customer_id="c1", linked_at=created)],
        "orders": [
            # 23:50 New York on 31 January: journey = h3 (direct, no credit) + h1 (ads) -> ads gets 1
            dict(order_id="o1", store_id=s, customer_id="c1", visitor_id="v1",
                 created_at=dt.datetime(2024, 2, 1, 4, 50, tzinfo=UTC), status="paid", subtotal=D("100.00"),
                 discount=D("10.00"), shipping=D("5.00"), tax=D("8.00"), total=D("103.00"),
                 refunded_amount=D("0.00"), cogs=D("40.00"), promo_code=None),
            # no session at all: unattributed, 1 February local
            dict(order_id="o2", store_id=s, customer_id="c9", visitor_id=None,
                 created_at=dt.datetime(2024, 2, 1, 17, 0, tzinfo=UTC), status="paid", subtotal=D("50.00"),
                 discount=D("0.00"), shipping=D("0.00"), tax=D("0.00"), total=D("50.00"),
                 refunded_amount=D("0.00"), cogs=None, promo_code=None),
        ],
    }
    return {t: [{**r, "_loaded_at": loaded} for r in v] for t, v in rows.items()}


@pytest.fixture(scope="module")
def hand_db():
    db = TestDatabase("metrics_hand")
    try:
        load_rows(db, hand_dataset(), dt.datetime(2024, 2, 3, tzinfo=UTC))
        db.dbt("build", *NO_UNIT_TESTS)
        yield db
    finally:
        db.drop()


def unified(db: TestDatabase, channel: str, source: str, period: str, period_start: str) -> dict:
    with db.connect() as conn:
        cur = conn.execute(
            "select * from marts.fct_unified_metrics where store_id = 'hand' and channel = %s and source = %s "
            "and period = %s and period_start = %s", (channel, source, period, period_start))
        names = [c.name for c in cur.description]
        found = cur.fetchall()
    assert len(found) == 1, (channel, source, period, period_start, found)
    return dict(zip(names, found[0]))


def test_hand_computed_ads_month(hand_db: TestDatabase):
    row = unified(hand_db, "ads", "all", "monthly", "2024-01-01")
    # January ads: sessions h1 (23:30 local on the 31st) and h2; platform 1000 imp / 10 clicks / 20.00;
    # ledger fee 10.00 on campaign g1 -> ad_campaign:google_ads:G1; order o1 (revenue 100 - 10 = 90,
    # profit 90 - 40 = 50) credited to ads under linear (the direct touch gets nothing).
    expected = dict(sessions=2, pageviews=4, unique_visitors=2, session_duration_s_sum=180, bounced_sessions=1,
                    avg_session_duration_s=D("90.00"), bounce_rate=D("50.0000"), impressions=1000, clicks=10,
                    engagements=None, engagement_rate=None, cost=D("30.00"), conversions=D("1.000000"),
                    revenue=D("90.00"), profit=D("50.00"), conversion_rate=D("50.0000"), cpc=D("3.0000"),
                    cpa=D("30.0000"), roas=D("3.0000"), roi=D("200.0000"), period_end=dt.date(2024, 1, 31))
    assert {k: row[k] for k in expected} == expected
    source = unified(hand_db, "ads", "ad_campaign:google_ads:G1", "daily", "2024-01-31")
    assert (source["sessions"], source["cost"], source["revenue"]) == (2, D("30.00"), D("90.00"))


def test_hand_computed_nulls_and_overall(hand_db: TestDatabase):
    # 2 February: one ads session, 0 clicks, 0 spend, no conversion -> cpc, cpa, roas, roi null
    day = unified(hand_db, "ads", "all", "daily", "2024-02-02")
    assert (day["sessions"], day["clicks"], day["cost"], day["conversions"]) == (1, 0, D("0.00"), D("0.000000"))
    assert (day["cpc"], day["cpa"], day["roas"], day["roi"]) == (None, None, None, None)
    assert day["conversion_rate"] == D("0.0000") and day["bounce_rate"] == D("100.0000")
    # February overall: the unattributed order o2 (50.00) is in overall, in no channel row
    feb = unified(hand_db, "overall", "all", "monthly", "2024-02-01")
    assert (feb["revenue"], feb["unattributed_revenue"], feb["conversions"]) == (D("50.00"), D("50.00"),
                                                                                 D("1.000000"))
    assert feb["sessions"] == 1 and feb["conversion_rate"] == D("100.0000")
    assert hand_db.scalar("select count(*) from marts.fct_unified_metrics where store_id = 'hand' "
                          "and period_start >= '2024-02-01' and channel not in ('overall', 'ads')") == 0
    jan = unified(hand_db, "overall", "all", "monthly", "2024-01-01")
    # sessions h1, h2, h3 (visitors v1, v2) and the ads costs
    assert (jan["sessions"], jan["unique_visitors"], jan["cost"], jan["revenue"]) == (3, 2, D("30.00"),
                                                                                      D("90.00"))
    week = unified(hand_db, "overall", "all", "weekly", "2024-01-29")   # ISO week Mon 29 Jan .. Sun 4 Feb
    assert (week["sessions"], week["unique_visitors"], week["revenue"]) == (4, 3, D("140.00"))


def test_hand_computed_profit_after_marketing(hand_db: TestDatabase):
    # January ads: profit 50.00 (order o1: 90 revenue - 40 cogs) on 30.00 cost -> 20.00 left, poas 50 / 30
    jan = unified(hand_db, "ads", "all", "monthly", "2024-01-01")
    assert (jan["profit"], jan["cost"], jan["marketing_profit"], jan["poas"]) == (
        D("50.00"), D("30.00"), D("20.00"), D("1.6667"))
    # 2 February ads: no spend, no order: nothing left, nothing spent, poas null (never 0)
    day = unified(hand_db, "ads", "all", "daily", "2024-02-02")
    assert (day["marketing_profit"], day["poas"]) == (D("0.00"), None)
    # February overall: the unattributed order o2 (no cogs: profit = revenue 50.00) and no cost at all
    feb = unified(hand_db, "overall", "all", "monthly", "2024-02-01")
    assert (feb["profit"], feb["cost"], feb["marketing_profit"], feb["poas"]) == (D("50.00"), D("0.00"),
                                                                                    D("50.00"), None)
    # the ISO week of 29 January holds both orders and the January costs: (50 + 50) - 30 = 70, poas 100 / 30
    week = unified(hand_db, "overall", "all", "weekly", "2024-01-29")
    assert (week["marketing_profit"], week["poas"]) == (D("70.00"), D("3.3333"))


def test_hand_computed_budget(hand_db: TestDatabase):
    rows = hand_db.query(
        "select month_start, monthly_budget, spent, utilization_pct, days_elapsed, days_in_month, "
        "projected_spend, pacing from marts.fct_budget_utilization where store_id = 'hand' and channel = 'ads' "
        "order by month_start")
    # latest data date of the store = 2 February (ads row and session h4): February is the current month
    assert rows == [
        (dt.date(2024, 1, 1), D("100.00"), D("30.00"), D("30.0000"), 31, 31, D("30.00"), "under"),
        (dt.date(2024, 2, 1), D("100.00"), D("0.00"), D("0.0000"), 2, 29, D("0.00"), "under"),
    ]


# --------------------------------------------------------------------------------------
# the suite's generated sample (conftest.sample_warehouse)
# --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_db(make_database, sample_warehouse):
    """A copy of the suite's built sample (conftest.sample_warehouse: every data test, including the
    reconciliations in tests/metrics, passed on it), which these tests rebuild and change."""
    return copy_database(make_database, sample_warehouse.template, "metrics_sample")


def test_sample_data_reconciles(sample_db: TestDatabase):
    db = sample_db
    assert db.scalar("select count(distinct store_id) from marts.fct_unified_metrics") >= 3
    # cost of every store and month: marts == platform spend + ledger of staging (the raw rows that survived
    # the quarantine), computed here independently of the dbt test
    mismatches = db.query("""
        with staged as (
            select store_id, date_trunc('month', stat_date)::date as m, spend as amount
            from staging.stg_ads__campaign_daily
            union all select store_id, date_trunc('month', stat_date)::date, spend from staging.stg_social__posts_daily
            union all select store_id, date_trunc('month', spend_date)::date, amount
            from staging.stg_finance__marketing_spend
        ), expected as (select store_id, m, sum(amount) as cost from staged group by 1, 2)
        select * from expected full join (
            select store_id, period_start as m, cost from marts.fct_unified_metrics
            where channel = 'overall' and period = 'monthly') as unified using (store_id, m)
        where expected.cost is distinct from unified.cost and coalesce(expected.cost, unified.cost) <> 0""")
    assert not mismatches, mismatches
    # revenue of `overall` = credited revenue of the default model, per store
    diff = db.query("""
        select store_id from (
            select store_id, sum(credited_revenue) as r from marts.fct_attribution_credits
            where model = 'linear' group by 1) as c
        full join (
            select store_id, sum(revenue) as r from marts.fct_unified_metrics
            where channel = 'overall' and period = 'monthly' group by 1) as u using (store_id)
        where c.r is distinct from u.r""")
    assert not diff, diff


def test_sample_data_incremental_rerun_equals_full_refresh(sample_db: TestDatabase):
    db = sample_db
    db.dbt("run", "--select", METRICS_MODELS)
    columns = ", ".join(c for (c,) in db.query(
        "select column_name from information_schema.columns where table_schema = 'marts' "
        "and table_name = 'fct_unified_metrics' and column_name <> 'built_at' order by ordinal_position"))
    db.execute(f"create table public.fct_incremental as select {columns} from marts.fct_unified_metrics")
    db.dbt("run", "--full-refresh", "--select", METRICS_MODELS)
    assert db.scalar(f"select count(*) from (select {columns} from marts.fct_unified_metrics except all "
                     f"select * from public.fct_incremental) as d") == 0
    assert db.scalar(f"select count(*) from (select * from public.fct_incremental except all "
                     f"select {columns} from marts.fct_unified_metrics) as d") == 0
