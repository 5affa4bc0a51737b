-- one row per (store_id, channel, source, period, period_start): daily / weekly (ISO, Monday) / monthly,
-- source rows + channel rollups (source `all`) + the store rollup (channel `overall`, source `all`)



with
daily as (
    -- the day grain, built incrementally upstream
    select * from "gen40"."intermediate"."int_unified_metrics_daily"
),

sessions as (
    -- every live session, to count distinct visitors at the week and month grains
    select store_id, session_date, channel, source, visitor_id
    from "gen40"."intermediate"."int_sessions"
    where not is_removed
),

day_rows as (
    select
        store_id, channel, source,
        'daily'::text as period,
        date as period_start,
        date as period_end,
        sessions,
        pageviews,
        session_duration_s_sum,
        bounced_sessions,
        impressions,
        clicks,
        engagements,
        cost,
        conversions,
        revenue,
        profit,
        unattributed_conversions,
        unattributed_revenue,
        unattributed_profit,
        unique_visitors,
        loaded_at,
        built_at
    from daily
),

summed_rows as (
    -- weekly and monthly rows: every additive column is the sum of the days of the same (channel, source)
    select
        store_id, channel, source,
        'weekly'::text as period,
        (date_trunc('week', (date)::timestamp)::date) as period_start,
        ((date_trunc('week', (date)::timestamp) + interval '1 week')::date - 1) as period_end,
        sum(sessions) as sessions,
        sum(pageviews) as pageviews,
        sum(session_duration_s_sum) as session_duration_s_sum,
        sum(bounced_sessions) as bounced_sessions,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(engagements) as engagements,
        sum(cost) as cost,
        sum(conversions) as conversions,
        sum(revenue) as revenue,
        sum(profit) as profit,
        sum(unattributed_conversions) as unattributed_conversions,
        sum(unattributed_revenue) as unattributed_revenue,
        sum(unattributed_profit) as unattributed_profit,
        max(loaded_at) as loaded_at,
        max(built_at) as built_at
    from daily
    group by store_id, channel, source, (date_trunc('week', (date)::timestamp)::date), ((date_trunc('week', (date)::timestamp) + interval '1 week')::date - 1)
    union all
    select
        store_id, channel, source,
        'monthly'::text as period,
        (date_trunc('month', (date)::timestamp)::date) as period_start,
        ((date_trunc('month', (date)::timestamp) + interval '1 month')::date - 1) as period_end,
        sum(sessions) as sessions,
        sum(pageviews) as pageviews,
        sum(session_duration_s_sum) as session_duration_s_sum,
        sum(bounced_sessions) as bounced_sessions,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(engagements) as engagements,
        sum(cost) as cost,
        sum(conversions) as conversions,
        sum(revenue) as revenue,
        sum(profit) as profit,
        sum(unattributed_conversions) as unattributed_conversions,
        sum(unattributed_revenue) as unattributed_revenue,
        sum(unattributed_profit) as unattributed_profit,
        max(loaded_at) as loaded_at,
        max(built_at) as built_at
    from daily
    group by store_id, channel, source, (date_trunc('month', (date)::timestamp)::date), ((date_trunc('month', (date)::timestamp) + interval '1 month')::date - 1)
    
),

period_visitors as (
    -- distinct visitors recomputed at each week/month grain (source, channel and store level): never summed from days
    select
        store_id,
        'weekly'::text as period,
        period_start,
        case when grouping(channel) = 1 then 'overall' else channel end as channel,
        case when grouping(source) = 1 then 'all' else source end       as source,
        count(distinct visitor_id)                                      as unique_visitors
    from (
        select store_id, (date_trunc('week', (session_date)::timestamp)::date) as period_start, channel, source, visitor_id
        from sessions
    ) as bucketed
    group by grouping sets ((store_id, period_start, channel, source), (store_id, period_start, channel), (store_id, period_start))
    union all
    select
        store_id,
        'monthly'::text as period,
        period_start,
        case when grouping(channel) = 1 then 'overall' else channel end as channel,
        case when grouping(source) = 1 then 'all' else source end       as source,
        count(distinct visitor_id)                                      as unique_visitors
    from (
        select store_id, (date_trunc('month', (session_date)::timestamp)::date) as period_start, channel, source, visitor_id
        from sessions
    ) as bucketed
    group by grouping sets ((store_id, period_start, channel, source), (store_id, period_start, channel), (store_id, period_start))
    
),

period_rows as (
    select
        summed_rows.store_id, summed_rows.channel, summed_rows.source, summed_rows.period,
        summed_rows.period_start, summed_rows.period_end,
        summed_rows.sessions,
        summed_rows.pageviews,
        summed_rows.session_duration_s_sum,
        summed_rows.bounced_sessions,
        summed_rows.impressions,
        summed_rows.clicks,
        summed_rows.engagements,
        summed_rows.cost,
        summed_rows.conversions,
        summed_rows.revenue,
        summed_rows.profit,
        summed_rows.unattributed_conversions,
        summed_rows.unattributed_revenue,
        summed_rows.unattributed_profit,
        coalesce(period_visitors.unique_visitors, 0) as unique_visitors,
        summed_rows.loaded_at,
        summed_rows.built_at
    from summed_rows
    left join period_visitors
        on period_visitors.store_id = summed_rows.store_id
       and period_visitors.period = summed_rows.period
       and period_visitors.period_start = summed_rows.period_start
       and period_visitors.channel = summed_rows.channel
       and period_visitors.source = summed_rows.source
),

all_rows as (
    select * from day_rows
    union all
    select * from period_rows
),

scoped as (
    select all_rows.*
    from all_rows
)

select
    store_id::text                                                          as store_id,
    channel::text                                                           as channel,
    source::text                                                            as source,
    period::text                                                            as period,
    period_start::date                                                      as period_start,
    sessions::bigint                                                        as sessions,
    pageviews::bigint                                                       as pageviews,
    unique_visitors::bigint                                                 as unique_visitors,
    round((case
        when (sessions) is null or (sessions) = 0 then null
        else (session_duration_s_sum)::numeric * 1 / (sessions)::numeric
    end), 2)::numeric(12,2)   as avg_session_duration_s,
    round((case
        when (sessions) is null or (sessions) = 0 then null
        else (bounced_sessions)::numeric * 100 / (sessions)::numeric
    end), 4)::numeric(7,4)     as bounce_rate,
    impressions::bigint                                                     as impressions,
    clicks::bigint                                                          as clicks,
    engagements::bigint                                                     as engagements,
    round((case
        when (impressions) is null or (impressions) = 0 then null
        else (engagements)::numeric * 100 / (impressions)::numeric
    end), 4)::numeric(20,4)      as engagement_rate,
    conversions::numeric(18,6)                                              as conversions,
    revenue::numeric(18,2)                                                  as revenue,
    profit::numeric(18,2)                                                   as profit,
    cost::numeric(18,2)                                                     as cost,
    round((case
        when (sessions) is null or (sessions) = 0 then null
        else (conversions)::numeric * 100 / (sessions)::numeric
    end), 4)::numeric(20,4)         as conversion_rate,
    round((case
        when (clicks) is null or (clicks) = 0 then null
        else (cost)::numeric * 1 / (clicks)::numeric
    end), 4)::numeric(18,4)                      as cpc,
    round((case
        when (conversions) is null or (conversions) = 0 then null
        else (cost)::numeric * 1 / (conversions)::numeric
    end), 4)::numeric(20,4)                 as cpa,
    round((case
        when (cost) is null or (cost) = 0 then null
        else (revenue)::numeric * 1 / (cost)::numeric
    end), 4)::numeric(20,4)                     as roas,
    round((case
        when (cost) is null or (cost) = 0 then null
        else (revenue - cost)::numeric * 100 / (cost)::numeric
    end), 4)::numeric(20,4)         as roi,
    period_end::date                                                        as period_end,
    session_duration_s_sum::bigint                                          as session_duration_s_sum,
    bounced_sessions::bigint                                                as bounced_sessions,
    unattributed_conversions::numeric(18,6)                                 as unattributed_conversions,
    unattributed_revenue::numeric(18,2)                                     as unattributed_revenue,
    unattributed_profit::numeric(18,2)                                      as unattributed_profit,
    loaded_at::timestamptz                                                  as loaded_at,
    -- the run that (re)wrote the row (insights refresh finds the stores whose marts changed)
    '2026-12-06T12:26:17.100430+00:00'::timestamptz                                                        as built_at
from scoped