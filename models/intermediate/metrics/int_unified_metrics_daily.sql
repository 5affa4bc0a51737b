-- one row per (store_id, date, channel, source) incl. channel rollups (source `all`)
-- and the store rollup (channel `overall`)
{{ config(
    materialized='incremental',
    partition_by=spark_store_partitions(),
    incremental_strategy=incremental_strategy_for('reopened_keys'),
    reopen_grain='metrics_day',
    on_schema_change='fail',
    indexes=[
        {'columns': ['store_id', 'date', 'channel', 'source'], 'unique': true},
        {'columns': ['built_at'], 'type': 'brin'},
    ],
    pre_hook="{{ collect_reopened_keys() }}",
    post_hook="{{ run_watermark_hook() }}",
) }}
-- inputs of the reopened-days detection (macros/reopened_keys.sql), declared for the DAG:
-- depends_on: {{ ref('int_sessions') }}
-- depends_on: {{ ref('int_attribution__conversions') }}
-- depends_on: {{ ref('fct_attribution_credits') }}
-- depends_on: {{ ref('stg_seo__article_daily_stats') }}
-- depends_on: {{ ref('stg_influencer__deliveries') }}
-- depends_on: {{ ref('int_influencer__deliveries') }}
-- depends_on: {{ ref('stg_social__posts_daily') }}
-- depends_on: {{ ref('stg_ads__campaign_daily') }}
-- depends_on: {{ ref('stg_finance__marketing_spend') }}

{% set traffic = ['sessions', 'pageviews', 'session_duration_s_sum', 'bounced_sessions'] %}
{% set platform = ['impressions', 'clicks', 'engagements'] %}

{#- the traffic of the days to build, read once: int_sessions, through its (store_id, session_date)
    index on an incremental run -#}
{%- set sessions -%}
    (select sessions.* from {{ ref('int_sessions') }} as sessions
     {%- if incremental_batch() %}
     inner join reopened on reopened.store_id = sessions.store_id and reopened.date = sessions.session_date
     {%- endif %}
     where not sessions.is_removed)
{%- endset %}

with
{%- if incremental_batch() %}
reopened as (
    -- store-local days to rebuild (macros/reopened_keys.sql: days an input stamped since the
    -- last run can reach); materialized: read by three families below
    select * from {{ reopened_relation() }}
),
{%- endif %}

traffic as {{ cte_materialized() }} (
    -- sessions per day at the source, channel and store grain in one sort: the additive sums and the
    -- distinct visitors of each grain (a distinct count is recomputed per grain, never summed)
    select
        sessions.store_id,
        sessions.session_date                                           as date,
        case when grouping(sessions.channel) = 1 then 'overall' else sessions.channel end as channel,
        case when grouping(sessions.source) = 1 then 'all' else sessions.source end       as source,
        grouping(sessions.source) = 1                                   as is_rollup,
        count(*)                                                        as sessions,
        sum(sessions.pageviews)                                         as pageviews,
        sum(sessions.duration_s)                                        as session_duration_s_sum,
        count(*) filter (where sessions.bounced)                        as bounced_sessions,
        {{ count_distinct_text('sessions.visitor_id') }}        as unique_visitors,
        max(sessions.loaded_at)                                         as loaded_at
    from {{ sessions }} as sessions
    group by grouping sets ((sessions.store_id, sessions.session_date, sessions.channel, sessions.source),
                            (sessions.store_id, sessions.session_date, sessions.channel),
                            (sessions.store_id, sessions.session_date))
),

unioned as (
    -- every family on the fixed column set: the platform and ledger families (small: read whole
    -- on a full build, their reopened days otherwise), attribution, and the traffic sources
    select unioned.*
    from {{ ref('int_metrics__unioned_daily') }} as unioned
    {%- if incremental_batch() %}
    inner join reopened on reopened.store_id = unioned.store_id and reopened.date = unioned.date
    {%- endif %}
    where unioned.family in ({% for family in metrics_platform_families() %}
        '{{ family }}'{% if not loop.last %},{% endif %}{% endfor %}
    )
    {%- if incremental_batch() %}
      -- the bounds as arrays: PostgreSQL pushes them through the families' GROUP BY to the
      -- staged rows' indexes; the join alone aggregated every family's whole history first
      and unioned.store_id = any(array(select distinct bounds.store_id from reopened as bounds))
      and unioned.date = any(array(select distinct bounds.date from reopened as bounds))
    {%- endif %}
    union all
    select 'attribution'::{{ text_type() }} as family, attributed.*
    from ({{ metrics_attribution_family('reopened' if incremental_batch() else none) }}) as attributed
    union all
    select 'web_traffic'::{{ text_type() }}, store_id, date, channel, source, sessions, pageviews, unique_visitors,
           session_duration_s_sum, bounced_sessions, null::bigint, null::bigint, null::bigint, null::numeric(18,2),
           null::numeric(24,12), null::numeric(18,2), null::numeric(18,2), loaded_at, null::{{ tstz_type() }}
    from traffic
    where not is_rollup
),

atoms as (
    -- source grain: the only place values are rounded (conversions to 6 places); every rollup sums these
    select
        store_id,
        date,
        channel,
        source,
        {%- for column in traffic %}
        coalesce(sum({{ column }}), 0)                          as {{ column }},
        {%- endfor %}
        coalesce(sum(unique_visitors), 0)                       as unique_visitors,
        {%- for column in platform %}
        -- null when no platform row reported it (not measured), 0 when reported as 0
        sum({{ column }})                                       as {{ column }},
        {%- endfor %}
        coalesce(sum(cost), 0)                                  as cost,
        round(coalesce(sum(conversions), 0), 6)                 as conversions,
        coalesce(sum(revenue), 0)                               as revenue,
        coalesce(sum(profit), 0)                                as profit,
        max(loaded_at)                                          as loaded_at,
        max(attributed_at)                                      as attributed_at
    from unioned
    group by store_id, date, channel, source
),

rolled as (
    -- source rows, channel rollups and the store rollup in one pass
    select
        store_id,
        date,
        case when grouping(channel) = 1 then 'overall' else channel end as channel,
        case when grouping(source) = 1 then 'all' else source end       as source,
        grouping(channel) = 1                                           as is_store_rollup,
        grouping(source) = 1                                            as is_rollup,
        {%- for column in traffic + platform + ['cost', 'conversions', 'revenue', 'profit'] %}
        sum({{ column }})                                               as {{ column }},
        {%- endfor %}
        {%- for column in metrics_attributed_columns() %}
        coalesce(sum({{ column }}) filter (where channel = 'unattributed'), 0) as unattributed_{{ column }},
        {%- endfor %}
        -- source rows carry their own distinct count; rollups get theirs from `visitors`
        sum(unique_visitors)                                            as source_unique_visitors,
        max(loaded_at)                                                  as loaded_at,
        max(attributed_at)                                              as attributed_at
    from atoms
    group by grouping sets ((store_id, date, channel, source), (store_id, date, channel), (store_id, date))
),

visitors as (
    -- distinct visitors of a channel and of the whole store per day (not the sum of the source counts)
    select store_id, date, channel, unique_visitors from traffic where is_rollup
)

select
    rolled.store_id::{{ text_type() }}                                               as store_id,
    rolled.date::date                                                   as date,
    rolled.channel::{{ text_type() }}                                                as channel,
    rolled.source::{{ text_type() }}                                                 as source,
    rolled.sessions::bigint                                             as sessions,
    rolled.pageviews::bigint                                            as pageviews,
    (case when rolled.is_rollup then coalesce(visitors.unique_visitors, 0)
          else rolled.source_unique_visitors end)::bigint               as unique_visitors,
    rolled.session_duration_s_sum::bigint                               as session_duration_s_sum,
    rolled.bounced_sessions::bigint                                     as bounced_sessions,
    rolled.impressions::bigint                                          as impressions,
    rolled.clicks::bigint                                               as clicks,
    rolled.engagements::bigint                                          as engagements,
    rolled.cost::numeric(18,2)                                          as cost,
    rolled.conversions::numeric(18,6)                                   as conversions,
    rolled.revenue::numeric(18,2)                                       as revenue,
    rolled.profit::numeric(18,2)                                        as profit,
    -- non-zero only on `overall`: conversions of orders with no touch (channel `unattributed`)
    (case when rolled.is_store_rollup then rolled.unattributed_conversions else 0 end)::numeric(18,6)
                                                                        as unattributed_conversions,
    (case when rolled.is_store_rollup then rolled.unattributed_revenue else 0 end)::numeric(18,2)
                                                                        as unattributed_revenue,
    (case when rolled.is_store_rollup then rolled.unattributed_profit else 0 end)::numeric(18,2)
                                                                        as unattributed_profit,
    rolled.loaded_at::{{ tstz_type() }}                                       as loaded_at,
    rolled.attributed_at::{{ tstz_type() }}                                   as attributed_at,
    -- start of the run that (re)built the row: fct_unified_metrics rebuilds the periods of newer days
    {{ run_stamp() }}                                                   as built_at
from rolled
left join visitors
    on visitors.store_id = rolled.store_id
   and visitors.date = rolled.date
   and visitors.channel = rolled.channel
   and rolled.is_rollup
-- `unattributed` is not a channel of this mart: its values live only in the `overall` row
where rolled.is_store_rollup or rolled.channel <> 'unattributed'
