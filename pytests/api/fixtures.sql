-- Hand-written marts for the insight API tests (real PostgreSQL, no mocks).
--
-- The marts are being built by dbt elsewhere; until then the API tests create them here
-- as plain tables with exactly the columns of shared/contracts/marts.md, in a `marts`
-- schema of a throwaway database. Swap this file for a dbt-built database later: the tests
-- compute every expected value with SQL on the marts, never from constants of this file.
--
-- Stores:
--   store_a  fashion store, data 2024-01-01 .. 2024-03-31 (default window 2024-03-02 .. 03-31,
--            previous 2024-02-01 .. 03-01). Edge cases: email cost is 0 before 2024-03-02
--            (change from 0 -> percentage null), social cost is constant (flat),
--            influencer cost stops in March (down), referral/direct have no cost (ratios null),
--            email has no impressions (engagement_rate null -> insufficient_data).
--   store_b  other tenant with marker values (7777.77, 5555.55, 'STORE B SECRET'), data
--            up to 2024-04-30: nothing of it may ever reach a store_a key.
--   store_c  has an API key and no rows at all.
-- Decoys that a correct query must filter out: source-level rows (article:/unassigned),
-- weekly/monthly rows, channel 'overall' where channel rows are wanted.

create schema if not exists marts;

create table marts.mart_build_info (
    build_id text not null,
    built_at timestamptz,
    attribution_default_model text,
    attribution_lookback_days integer,
    attribution_half_life_days numeric
);
insert into marts.mart_build_info values ('fixture-build-1', '2024-04-01 03:00:00+00', 'linear', 30, 7);

create table marts.fct_unified_metrics (
    store_id text not null,
    channel text not null,
    source text not null,
    period text not null,
    period_start date not null,
    sessions bigint,
    pageviews bigint,
    unique_visitors bigint,
    avg_session_duration_s numeric(12, 2),
    bounce_rate numeric(8, 4),
    impressions bigint,
    clicks bigint,
    engagements bigint,
    engagement_rate numeric(12, 4),
    conversions numeric(18, 6),
    revenue numeric(18, 6),
    profit numeric(18, 6),
    cost numeric(14, 2),
    conversion_rate numeric(12, 4),
    cpc numeric(14, 4),
    cpa numeric(14, 4),
    roas numeric(14, 4),
    roi numeric(14, 4),
    marketing_profit numeric(18, 6),
    poas numeric(14, 4)
);

create table marts.fct_channel_attribution_daily (
    store_id text not null,
    date date not null,
    model text not null,
    channel text not null,
    attributed_conversions numeric,
    attributed_revenue numeric,
    attributed_profit numeric
);

create table marts.fct_conversion_paths (
    store_id text not null,
    month_start date not null,
    channel_path text not null,
    conversions numeric,
    conversion_value numeric,
    null_conversions numeric
);

create table marts.dim_benchmarks (
    channel text not null,
    metric text not null,
    industry text not null,
    poor numeric,
    average numeric,
    good numeric,
    excellent numeric,
    direction text,
    unit text
);

create table marts.fct_benchmark_comparison (
    store_id text not null,
    channel text not null,
    metric text not null,
    period text not null,
    period_start date not null,
    industry text,
    value numeric,
    poor numeric,
    average numeric,
    good numeric,
    excellent numeric,
    direction text,
    rating text
);

create table marts.fct_marketing_calendar (
    store_id text not null,
    item_type text not null,
    item_id text not null,
    channel text,
    title text,
    scheduled_date date,
    status text
);

create table marts.fct_budget_utilization (
    store_id text not null,
    channel text not null,
    month_start date not null,
    monthly_budget numeric(14, 2),
    spent numeric(14, 2),
    utilization_pct numeric(10, 2),
    days_elapsed integer,
    days_in_month integer,
    projected_spend numeric(14, 2),
    pacing text
);

-- ---- attribution: per day a total, split by per-model weights (sixteenths, sum 16) ------------
create temporary table fx_weights (model text, channel text, w numeric) on commit drop;
insert into fx_weights
select m.model, c.channel, (m.ws)[c.k]
from (values
    ('first_touch',    array[5,2,3,3,1,1,0,1]),
    ('last_touch',     array[3,1,2,5,2,1,1,1]),
    ('linear',         array[4,2,2,4,1,1,1,1]),
    ('time_decay',     array[3,2,2,5,2,1,0,1]),
    ('position_based', array[4,2,3,4,1,1,0,1])
) as m(model, ws)
cross join (values (1, 'seo'), (2, 'influencer'), (3, 'social'), (4, 'ads'), (5, 'email'),
                   (6, 'referral'), (7, 'direct'), (8, 'unattributed')) as c(k, channel);

create temporary table fx_days (store_id text, d date, i integer, revenue numeric, conversions numeric)
    on commit drop;
insert into fx_days
select 'store_a', d::date, (d::date - date '2024-01-01'),
       1000 + ((d::date - date '2024-01-01') % 10) * 37.25 + case when extract(month from d) = 2 then 200 else 0 end,
       10 + ((d::date - date '2024-01-01') % 4)
from generate_series(date '2024-01-01', date '2024-03-31', interval '1 day') as d;
insert into fx_days
select 'store_b', d::date, (d::date - date '2024-01-01'), 88888.88, 555
from generate_series(date '2024-01-01', date '2024-04-30', interval '1 day') as d;

insert into marts.fct_channel_attribution_daily
select x.store_id, x.d, w.model, w.channel,
       x.conversions * w.w / 16,
       x.revenue * w.w / 16,
       x.revenue * 0.4 * w.w / 16
from fx_days x cross join fx_weights w
where w.w > 0;

-- ---- unified metrics: daily channel rollups (source 'all') -----------------------------------
create temporary table fx_channel (channel text, base_sessions integer, impressions integer, clicks integer,
                                   engagements integer) on commit drop;
insert into fx_channel values
    ('seo', 120, 2000, 100, 0), ('influencer', 40, 5000, 50, 400), ('social', 60, 3000, 60, 250),
    ('ads', 90, 4000, 150, 0), ('email', 20, 0, 0, 0), ('referral', 15, 0, 0, 0), ('direct', 50, 0, 0, 0);

create temporary table fx_daily on commit drop as
select x.store_id, c.channel, x.d, x.i,
       case when x.store_id = 'store_b' then 999 else c.base_sessions + x.i % 6 end::bigint as sessions,
       case when c.impressions = 0 then 0 else c.impressions + x.i * 3 end::bigint as impressions,
       case when c.clicks = 0 then 0 else c.clicks + x.i % 7 end::bigint as clicks,
       case when c.engagements = 0 then 0 else c.engagements + x.i % 50 end::bigint as engagements,
       (40 + x.i % 20)::numeric as bounce_rate,
       (60 + x.i % 30)::numeric as duration,
       coalesce(a.attributed_conversions, 0) as conversions,
       coalesce(a.attributed_revenue, 0) as revenue,
       coalesce(a.attributed_profit, 0) as profit,
       case
           when x.store_id = 'store_b' then 1111.11
           when c.channel = 'seo' then 20 + (x.i % 3) * 5
           when c.channel = 'influencer' then case when x.d < date '2024-03-01' and x.i % 10 = 0 then 150 else 0 end
           when c.channel = 'social' then 25
           when c.channel = 'ads' then 100 + (x.i % 5) * 10
           when c.channel = 'email' then case when x.d >= date '2024-03-02' then 10 else 0 end
           else 0
       end::numeric(14, 2) as cost
from fx_days x
cross join fx_channel c
left join marts.fct_channel_attribution_daily a
       on a.store_id = x.store_id and a.date = x.d and a.model = 'linear' and a.channel = c.channel;

insert into marts.fct_unified_metrics
select store_id, channel, 'all', 'daily', d,
       sessions, sessions * 3, greatest(sessions - 5, 0), duration, bounce_rate,
       impressions, clicks, engagements,
       engagements * 100.0 / nullif(impressions, 0),
       conversions, revenue, profit, cost,
       conversions * 100.0 / nullif(sessions, 0),
       cost / nullif(clicks, 0), cost / nullif(conversions, 0), revenue / nullif(cost, 0),
       (revenue - cost) * 100.0 / nullif(cost, 0),
       profit - cost, profit / nullif(cost, 0)
from fx_daily;

-- store rollup: channel 'overall' = sum of the channel rows
insert into marts.fct_unified_metrics
select store_id, 'overall', 'all', 'daily', d,
       sum(sessions), sum(sessions * 3), sum(greatest(sessions - 5, 0)),
       sum(duration * sessions) / nullif(sum(sessions), 0), sum(bounce_rate * sessions) / nullif(sum(sessions), 0),
       sum(impressions), sum(clicks), sum(engagements),
       sum(engagements) * 100.0 / nullif(sum(impressions), 0),
       sum(conversions), sum(revenue), sum(profit), sum(cost),
       sum(conversions) * 100.0 / nullif(sum(sessions), 0),
       sum(cost) / nullif(sum(clicks), 0), sum(cost) / nullif(sum(conversions), 0),
       sum(revenue) / nullif(sum(cost), 0), (sum(revenue) - sum(cost)) * 100.0 / nullif(sum(cost), 0),
       sum(profit) - sum(cost), sum(profit) / nullif(sum(cost), 0)
from fx_daily
group by store_id, d;

-- decoy 1: source-level parts of seo (sum to the seo rollup): double counting if source is not filtered
insert into marts.fct_unified_metrics
    (store_id, channel, source, period, period_start, sessions, conversions, revenue, profit, cost)
select store_id, channel, p.source, 'daily', d,
       case when p.source = 'article:a-1' then sessions else 0 end,
       conversions * p.share, revenue * p.share, profit * p.share,
       round(cost * p.share, 2)
from fx_daily
cross join (values ('article:a-1', 0.5), ('unassigned', 0.5)) as p(source, share)
where channel = 'seo';

-- decoy 2: weekly and monthly rows (double counting if period is not filtered)
insert into marts.fct_unified_metrics
    (store_id, channel, source, period, period_start, sessions, conversions, revenue, profit, cost)
select store_id, channel, 'all', g.period,
       case when g.period = 'weekly' then date_trunc('week', d)::date else date_trunc('month', d)::date end,
       sum(sessions), sum(conversions), sum(revenue), sum(profit), sum(cost)
from fx_daily
cross join (values ('weekly'), ('monthly')) as g(period)
group by 1, 2, 4, 5;

-- ---- conversion paths (Markov input) ------------------------------------------------------------
insert into marts.fct_conversion_paths values
    ('store_a', '2024-01-01', 'seo > ads', 10, 1000, 30),
    ('store_a', '2024-01-01', 'seo', 5, 400, 50),
    ('store_a', '2024-01-01', 'social > seo > ads', 4, 500, 10),
    ('store_a', '2024-01-01', 'email', 2, 150, 20),
    ('store_a', '2024-01-01', 'direct', 1, 90, 40),
    ('store_a', '2024-01-01', 'ads', 0, 0, 25),
    ('store_a', '2024-01-01', 'unattributed', 3, 200, 0),
    ('store_a', '2024-02-01', 'seo > ads', 20, 2100, 55),
    ('store_a', '2024-02-01', 'influencer > social', 6, 700, 12),
    ('store_a', '2024-02-01', 'social', 3, 260, 30),
    ('store_a', '2024-02-01', 'unattributed', 2, 150, 0),
    ('store_a', '2024-03-01', 'seo > ads', 12, 1300, 35),
    ('store_a', '2024-03-01', 'influencer', 3, 240, 20),
    ('store_a', '2024-03-01', 'referral > seo', 2, 180, 5),
    ('store_a', '2024-03-01', 'email > email > ads', 4, 420, 8),
    ('store_a', '2024-03-01', 'direct', 2, 110, 30),
    ('store_a', '2024-03-01', 'unattributed', 4, 300, 0),
    ('store_b', '2024-03-01', 'email > direct', 999, 99999, 1),
    ('store_b', '2024-03-01', 'influencer', 555, 55555, 5),
    ('store_b', '2024-04-01', 'ads', 777, 77777, 7);

-- ---- benchmarks ---------------------------------------------------------------------------------
insert into marts.dim_benchmarks values
    ('ads', 'conversion_rate', 'general', 1, 2.5, 4, 6, 'higher_is_better', 'percent'),
    ('ads', 'conversion_rate', 'fashion', 1.5, 3, 5, 8, 'higher_is_better', 'percent'),
    ('ads', 'roas', 'general', 1, 2, 4, 6, 'higher_is_better', 'ratio'),
    ('ads', 'roas', 'fashion', 1.5, 2.5, 4, 5, 'higher_is_better', 'ratio'),
    ('ads', 'roas', 'beauty', 1.2, 2.2, 3.5, 4.5, 'higher_is_better', 'ratio'),
    ('ads', 'roas', 'electronics', 1, 2, 3, 4, 'higher_is_better', 'ratio'),
    ('ads', 'cpa', 'general', 80, 50, 30, 15, 'lower_is_better', 'currency'),
    ('ads', 'cpc', 'general', 3, 1.5, 0.8, 0.4, 'lower_is_better', 'currency'),
    ('ads', 'cpc', 'fashion', 2.5, 1.2, 0.7, 0.3, 'lower_is_better', 'currency'),
    ('ads', 'bounce_rate', 'general', 70, 55, 45, 35, 'lower_is_better', 'percent'),
    ('seo', 'conversion_rate', 'general', 0.5, 1.5, 2.5, 4, 'higher_is_better', 'percent'),
    ('seo', 'bounce_rate', 'general', 75, 60, 50, 40, 'lower_is_better', 'percent'),
    ('social', 'engagement_rate', 'general', 1, 3, 6, 10, 'higher_is_better', 'percent'),
    ('social', 'engagement_rate', 'fashion', 2, 4, 7, 12, 'higher_is_better', 'percent'),
    ('social', 'video_completion_rate', 'general', 10, 25, 40, 60, 'higher_is_better', 'percent'),
    ('email', 'engagement_rate', 'general', 5, 15, 25, 35, 'higher_is_better', 'percent'),
    ('email', 'conversion_rate', 'general', 1, 2, 3, 5, 'higher_is_better', 'percent'),
    ('influencer', 'engagement_rate', 'general', 1, 2, 4, 6, 'higher_is_better', 'percent'),
    ('influencer', 'cpa', 'general', 90, 60, 35, 20, 'lower_is_better', 'currency');

insert into marts.fct_benchmark_comparison values
    ('store_a', 'ads', 'roas', 'monthly', '2024-03-01', 'fashion', 3.1, 1.5, 2.5, 4, 5, 'higher_is_better', 'average'),
    ('store_a', 'ads', 'cpa', 'monthly', '2024-03-01', 'general', 20, 80, 50, 30, 15, 'lower_is_better', 'good'),
    ('store_a', 'seo', 'conversion_rate', 'monthly', '2024-03-01', 'general', 2, 0.5, 1.5, 2.5, 4, 'higher_is_better', 'average'),
    ('store_a', 'social', 'engagement_rate', 'monthly', '2024-03-01', 'fashion', 8, 2, 4, 7, 12, 'higher_is_better', 'good'),
    ('store_b', 'ads', 'roas', 'monthly', '2024-03-01', 'beauty', 7, 1.2, 2.2, 3.5, 4.5, 'higher_is_better', 'excellent');

-- money bands say which currency their thresholds are in (USD); rates and ratios have none
alter table marts.dim_benchmarks add column currency text;
update marts.dim_benchmarks set currency = 'USD' where unit = 'currency';
alter table marts.fct_benchmark_comparison
    add column currency text, add column benchmark_currency text, add column fx_rate numeric,
    add column fx_rate_date date, add column value_in_benchmark_currency numeric, add column rating_reason text;
update marts.fct_benchmark_comparison set currency = case when store_id = 'store_a' then 'USD' else 'EUR' end,
    value_in_benchmark_currency = value;
update marts.fct_benchmark_comparison set benchmark_currency = 'USD', fx_rate = 1 where metric in ('cpa', 'cpc');

-- ---- FX: monthly averages, EUR <-> USD for January to March 2024 only -----------------------------
-- store_b (EUR) is converted before its money metrics are rated; its default window (April) has no
-- April rate and uses March's (fx_rate_date shows it); a window before January has no rate at all.
create table marts.dim_fx_rates (
    from_currency text not null, to_currency text not null, rate_month date not null,
    rate numeric(20, 10) not null, base_currency text, provenance text
);
insert into marts.dim_fx_rates values
    ('EUR', 'USD', '2024-01-01', 1.0905000000, 'EUR', 'offline_estimate'),
    ('USD', 'EUR', '2024-01-01', 0.9170105456, 'EUR', 'offline_estimate'),
    ('EUR', 'USD', '2024-02-01', 1.0795000000, 'EUR', 'offline_estimate'),
    ('USD', 'EUR', '2024-02-01', 0.9263547939, 'EUR', 'offline_estimate'),
    ('EUR', 'USD', '2024-03-01', 1.0872000000, 'EUR', 'offline_estimate'),
    ('USD', 'EUR', '2024-03-01', 0.9197939662, 'EUR', 'offline_estimate');

-- ---- stores -------------------------------------------------------------------------------------
create table marts.dim_stores (
    store_id text primary key, store_name text, industry text not null, benchmark_industry text not null,
    currency text, timezone text not null, status text, created_at timestamptz
);
insert into marts.dim_stores values
    ('store_a', 'Store A', 'fashion', 'fashion', 'USD', 'America/New_York', 'active', '2023-01-01'),
    ('store_b', 'Store B', 'beauty', 'beauty', 'EUR', 'Europe/Berlin', 'active', '2023-01-01');

-- ---- calendar -----------------------------------------------------------------------------------
insert into marts.fct_marketing_calendar values
    ('store_a', 'seo_article', 'art-1', 'seo', 'Spring "sale", 50% off', '2024-03-05', 'published'),
    ('store_a', 'influencer_delivery', 'del-1', 'influencer', '=HYPERLINK("http://evil.example","x")', '2024-03-05', 'posted'),
    ('store_a', 'seo_article', 'art-2', 'seo', '<script>alert(1)</script> ünïcødé', '2024-03-20', 'scheduled'),
    ('store_a', 'seo_article', 'art-0', 'seo', 'January recap', '2024-01-10', 'published'),
    ('store_a', 'influencer_delivery', 'del-2', 'influencer', 'Reel with @anna', '2024-04-10', 'planned'),
    ('store_b', 'seo_article', 'b-art-1', 'seo', 'STORE B SECRET launch plan', '2024-03-10', 'scheduled'),
    ('store_b', 'influencer_delivery', 'b-del-1', 'influencer', 'STORE B SECRET collab', '2024-03-11', 'posted');

-- ---- budget utilization (read by /budget/optimize once it lands) ---------------------------------
insert into marts.fct_budget_utilization values
    ('store_a', 'ads', '2024-03-01', 4000, 3600, 90, 31, 31, 3600, 'on'),
    ('store_a', 'seo', '2024-03-01', 1000, 750, 75, 31, 31, 750, 'under'),
    ('store_b', 'ads', '2024-03-01', 77777, 77777, 100, 31, 31, 77777, 'on');
-- read by /budget/utilization: a channel with cost and no budget (nulls), an earlier month
insert into marts.fct_budget_utilization values
    ('store_a', 'email', '2024-03-01', null, 300, null, 31, 31, 300, null),
    ('store_a', 'ads', '2024-02-01', 4000, 4350.5, 108.76, 29, 29, 4350.5, 'on');

-- ---- insight signals (dbt model fct_insight_signals; empty here: the insight tests in
-- test_insights.py load their own signals into a database of their own) ------------------------
create table marts.fct_insight_signals (
    store_id text not null,
    signal_id text not null primary key,
    signal_type text not null,
    channel text not null,
    source text not null,
    period text not null,
    period_start date not null,
    period_end date not null,
    metric text not null,
    current_value numeric(20, 4),
    comparison_value numeric(20, 4),
    comparison_kind text not null,
    change_pct numeric(20, 4),
    estimated_revenue_impact numeric(18, 2),
    severity text not null,
    evidence jsonb not null,
    impact_share_pct numeric(20, 4),
    severity_base numeric(18, 2)
);

-- ---- quarantine (dbt model data_quality_issues; read by /data-quality) ---------------------------
create table marts.data_quality_issues (
    table_name text not null,
    row_key text not null,
    store_id text,
    reason text not null,
    details text,
    raw_loaded_at timestamptz,
    detected_at timestamptz
);
insert into marts.data_quality_issues values
    ('orders', '<null>', 'store_a', 'null_key', 'a key column (order_id) is null', '2024-03-30 01:00:00+00', '2024-04-01 03:00:00+00'),
    ('orders', 'a-ord-9', 'store_a', 'negative_value', 'subtotal = ''-10.00'' is negative', '2024-03-31 01:00:00+00', '2024-04-01 03:00:00+00'),
    ('web_sessions', 'a-ses-9', 'store_a', 'future_timestamp', 'started_at = ''2030-01-01 00:00:00+00'' is in the future', '2024-03-31 02:00:00+00', '2024-04-01 03:00:00+00'),
    ('web_sessions', 'a-ses-1', 'store_a', 'duplicate', 'superseded by a later delivery of the same key', '2024-03-29 01:00:00+00', '2024-04-01 03:00:00+00'),
    ('web_sessions', 'a-ses-2', 'store_a', 'duplicate', 'superseded by a later delivery of the same key', '2024-03-28 01:00:00+00', '2024-04-01 03:00:00+00'),
    ('orders', 'b-ord-9', 'store_b', 'negative_value', 'STORE B SECRET total = ''-99999'' is negative', '2024-03-31 05:00:00+00', '2024-04-01 03:00:00+00'),
    ('influencer_deliveries', 'dlv-9', null, 'negative_value', 'impressions = ''-5'' is negative', '2024-03-31 06:00:00+00', '2024-04-01 03:00:00+00');
