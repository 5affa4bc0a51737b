-- one row per (store_id, channel, source, period, period_start): daily / weekly (ISO, Monday) / monthly,
-- source rows + channel rollups (source `all`) + the store rollup (channel `overall`, source `all`)
{{ config(
    materialized='incremental',
    partition_by=spark_store_partitions(),
    incremental_strategy=incremental_strategy_for('reopened_keys'),
    reopen_grain='metrics_period',
    on_schema_change='fail',
    indexes=[
        {'columns': ['store_id', 'channel', 'source', 'period', 'period_start'], 'unique': true},
        {'columns': ['store_id', 'period', 'source', 'period_start']},
        {'columns': ['store_id', 'channel', 'period', 'period_start']},
    ],
    pre_hook=[
        "{{ add_derived_columns(metrics_profit_after_marketing_columns()) }}",
        "{{ collect_reopened_keys() }}",
    ],
    post_hook="{{ run_watermark_hook() }}",
) }}
{% set additive = metrics_additive_columns() %}

with
{%- if incremental_batch() %}
reopened as (
    -- periods holding a day int_unified_metrics_daily rebuilt since the last run (macros/reopened_keys.sql)
    select * from {{ reopened_relation() }}
),

reopened_days as (
    -- the days of those periods: every day a reopened week or month sums
    select distinct reopened.store_id, spine.date
    from reopened
    cross join lateral {{ date_spine('reopened.period_start',
        "case reopened.period when 'daily' then reopened.period_start"
        ~ " when 'weekly' then " ~ period_end('week', 'reopened.period_start')
        ~ " else " ~ period_end('month', 'reopened.period_start') ~ " end", 'day', 'date') }} as spine
),

daily as (
    -- the day grain of the reopened periods, built incrementally upstream
    select daily.*
    from {{ ref('int_unified_metrics_daily') }} as daily
    inner join reopened_days on reopened_days.store_id = daily.store_id and reopened_days.date = daily.date
),

recounted as (
    -- the reopened weeks and months whose visitor sets may have changed (a session written since
    -- the last run that joined, left or moved between days, channels, sources or visitors; on its
    -- day now and before): only their distinct visitors are recounted; a week or month reopened by
    -- a refund, a cost or a re-delivered session that changed no visit key keeps the count it had
    select distinct reopened.store_id, reopened.period, reopened.period_start
    from reopened
    inner join (
        -- one read of the batch: each such session's day now and its day before
        select distinct moved.store_id, visit_days.date
        from {{ ref('int_sessions') }} as moved
        cross join lateral (values (moved.session_date), (moved.previous_session_date)) as visit_days (date)
        where moved.processed_at > {{ model_watermark() }} and not moved.visit_key_unchanged
          and visit_days.date is not null
    ) as traffic_days
        on traffic_days.store_id = reopened.store_id
       and traffic_days.date between reopened.period_start
           and (case reopened.period when 'weekly' then {{ period_end('week', 'reopened.period_start') }}
                else {{ period_end('month', 'reopened.period_start') }} end)
    where reopened.period <> 'daily'
),

recount_days as (
    -- the days of those weeks and months, per grain: a week's recount reads its 7 days only
    select distinct recounted.store_id, recounted.period, spine.date
    from recounted
    cross join lateral {{ date_spine('recounted.period_start',
        "case recounted.period when 'weekly' then " ~ period_end('week', 'recounted.period_start')
        ~ " else " ~ period_end('month', 'recounted.period_start') ~ " end", 'day', 'date') }} as spine
),

{%- else %}
daily as (
    -- the day grain, built incrementally upstream
    select * from {{ ref('int_unified_metrics_daily') }}
),

{%- endif %}

day_rows as (
    select
        store_id, channel, source,
        'daily'::{{ text_type() }} as period,
        date as period_start,
        date as period_end,
        {%- for column in additive %}
        {{ column }},
        {%- endfor %}
        unique_visitors,
        loaded_at,
        built_at
    from daily
),

summed_rows as (
    -- weekly and monthly rows: every additive column is the sum of the days of the same (channel, source)
    {%- for period, unit in metrics_rollup_periods() %}
    select
        store_id, channel, source,
        '{{ period }}'::{{ text_type() }} as period,
        {{ period_start(unit, 'date') }} as period_start,
        {{ period_end(unit, 'date') }} as period_end,
        {%- for column in additive %}
        sum({{ column }}) as {{ column }},
        {%- endfor %}
        max(loaded_at) as loaded_at,
        max(built_at) as built_at
    from daily
    group by store_id, channel, source, {{ period_start(unit, 'date') }}, {{ period_end(unit, 'date') }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

period_visitors as (
    -- distinct visitors recomputed at each week/month grain (source, channel and store level): never summed from days
    {%- for period, unit in metrics_rollup_periods() %}
    {#- the sessions of the periods whose distinct visitors are recounted at this grain; read once
        per grain, not as a CTE (a materialized copy of every session spills) -#}
    {%- set period_sessions -%}
    (select sessions.store_id, sessions.session_date, sessions.channel, sessions.source, sessions.visitor_id
     from {{ ref('int_sessions') }} as sessions
     {%- if incremental_batch() %}
     inner join recount_days
         on recount_days.store_id = sessions.store_id and recount_days.date = sessions.session_date
        and recount_days.period = '{{ period }}'
     {%- endif %}
     where not sessions.is_removed)
    {%- endset %}
    select
        store_id,
        '{{ period }}'::{{ text_type() }} as period,
        period_start,
        case when grouping(channel) = 1 then 'overall' else channel end as channel,
        case when grouping(source) = 1 then 'all' else source end       as source,
        {{ count_distinct_text('visitor_id') }}                     as unique_visitors
    from (
        select store_id, {{ period_start(unit, 'session_date') }} as period_start, channel, source, visitor_id
        from {{ period_sessions }} as sessions
    ) as bucketed
    group by grouping sets (
        (store_id, period_start, channel, source), (store_id, period_start, channel), (store_id, period_start)
    )
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

period_rows as (
    select
        summed_rows.store_id, summed_rows.channel, summed_rows.source, summed_rows.period,
        summed_rows.period_start, summed_rows.period_end,
        {%- for column in additive %}
        summed_rows.{{ column }},
        {%- endfor %}
        {%- if incremental_batch() %}
        (case when recounted.store_id is not null then coalesce(period_visitors.unique_visitors, 0)
              else coalesce(previous.unique_visitors, 0) end)               as unique_visitors,
        {%- else %}
        coalesce(period_visitors.unique_visitors, 0)                        as unique_visitors,
        {%- endif %}
        summed_rows.loaded_at,
        summed_rows.built_at
    from summed_rows
    left join period_visitors
        on period_visitors.store_id = summed_rows.store_id
       and period_visitors.period = summed_rows.period
       and period_visitors.period_start = summed_rows.period_start
       and period_visitors.channel = summed_rows.channel
       and period_visitors.source = summed_rows.source
    {%- if incremental_batch() %}
    -- its columns are read in the incremental branch of the select list above
    left join recounted  -- noqa: ST11
        on recounted.store_id = summed_rows.store_id
       and recounted.period = summed_rows.period
       and recounted.period_start = summed_rows.period_start
    left join {{ this }} as previous
        on previous.store_id = summed_rows.store_id
       and previous.channel = summed_rows.channel
       and previous.source = summed_rows.source
       and previous.period = summed_rows.period
       and previous.period_start = summed_rows.period_start
    {%- endif %}
),

all_rows as (
    select * from day_rows
    union all
    select * from period_rows
),

scoped as (
    select all_rows.*
    from all_rows
    {%- if incremental_batch() %}
    inner join reopened
        on reopened.store_id = all_rows.store_id
       and reopened.period = all_rows.period
       and reopened.period_start = all_rows.period_start
    {%- endif %}
)

select
    store_id::{{ text_type() }}                                                          as store_id,
    channel::{{ text_type() }}                                                           as channel,
    source::{{ text_type() }}                                                            as source,
    period::{{ text_type() }}                                                            as period,
    period_start::date                                                      as period_start,
    sessions::bigint                                                        as sessions,
    pageviews::bigint                                                       as pageviews,
    unique_visitors::bigint                                                 as unique_visitors,
    round({{ safe_ratio('session_duration_s_sum', 'sessions') }}, 2)::numeric(12,2)   as avg_session_duration_s,
    round({{ safe_ratio('bounced_sessions', 'sessions', 100) }}, 4)::numeric(7,4)     as bounce_rate,
    impressions::bigint                                                     as impressions,
    clicks::bigint                                                          as clicks,
    engagements::bigint                                                     as engagements,
    round({{ safe_ratio('engagements', 'impressions', 100) }}, 4)::numeric(20,4)      as engagement_rate,
    conversions::numeric(18,6)                                              as conversions,
    revenue::numeric(18,2)                                                  as revenue,
    profit::numeric(18,2)                                                   as profit,
    cost::numeric(18,2)                                                     as cost,
    round({{ safe_ratio('conversions', 'sessions', 100) }}, 4)::numeric(20,4)         as conversion_rate,
    round({{ safe_ratio('cost', 'clicks') }}, 4)::numeric(18,4)                      as cpc,
    round({{ safe_ratio('cost', 'conversions') }}, 4)::numeric(20,4)                 as cpa,
    round({{ safe_ratio('revenue', 'cost') }}, 4)::numeric(20,4)                     as roas,
    round({{ safe_ratio('revenue - cost', 'cost', 100) }}, 4)::numeric(20,4)         as roi,
    -- profit after marketing cost (marketing_profit, poas): from this row's sums, as every ratio here
    {%- for column in metrics_profit_after_marketing_columns() %}
    {{ column['expression'] }}::{{ column['data_type'] }} as {{ column['name'] }},
    {%- endfor %}
    period_end::date                                                        as period_end,
    session_duration_s_sum::bigint                                          as session_duration_s_sum,
    bounced_sessions::bigint                                                as bounced_sessions,
    unattributed_conversions::numeric(18,6)                                 as unattributed_conversions,
    unattributed_revenue::numeric(18,2)                                     as unattributed_revenue,
    unattributed_profit::numeric(18,2)                                      as unattributed_profit,
    loaded_at::{{ tstz_type() }}                                                  as loaded_at,
    -- the run that (re)wrote the row (insights refresh finds the stores whose marts changed)
    {{ run_stamp() }}                                                        as built_at
from scoped
