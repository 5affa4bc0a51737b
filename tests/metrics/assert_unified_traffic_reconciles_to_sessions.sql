-- fct_unified_metrics: per store and month, `overall` sessions, pageviews, bounced sessions and distinct
-- visitors equal those of the staged sessions of known stores, bucketed by the store-local date.
-- Full checks recompute the local date from stg_web__sessions; incremental runs check the months the
-- run rewrote against int_sessions (through its (store_id, session_date) index, one month at a time).

-- both branches' inputs, declared for the DAG:
-- depends_on: {{ ref('stg_web__sessions') }}
-- depends_on: {{ ref('stg_shop__stores') }}
-- depends_on: {{ ref('int_sessions') }}

with overall as (
    select store_id, period_start as month_start, sessions, pageviews, bounced_sessions, unique_visitors
    from {{ ref('fct_unified_metrics') }} as unified
    where period = 'monthly' and channel = 'overall' {{ checked_periods_only('unified') }}
),

{% if full_checks() %}
sessions as (
    select
        sessions.store_id,
        {{ period_start('month', local_time('sessions.started_at', 'stores.timezone') ~ '::date') }} as month_start,
        count(*) as sessions, sum(sessions.pageviews) as pageviews,
        count(*) filter (where sessions.bounced) as bounced_sessions,
        {{ count_distinct_text('sessions.visitor_id') }} as unique_visitors
    from {{ ref('stg_web__sessions') }} as sessions
    inner join {{ ref('stg_shop__stores') }} as stores on stores.store_id = sessions.store_id
    group by 1, 2
)
{% else %}
sessions as (
    -- per checked month a lateral lookup through int_sessions' (store_id, session_date) index: as a
    -- join on the month list, PostgreSQL merge-joined every session of the history (9.5 s at scale 40)
    select overall.store_id, overall.month_start, counted.*
    from overall
    cross join lateral (
        select
            count(*) as sessions, sum(sessions.pageviews) as pageviews,
            count(*) filter (where sessions.bounced) as bounced_sessions,
            {{ count_distinct_text('sessions.visitor_id') }} as unique_visitors
        from {{ ref('int_sessions') }} as sessions
        where sessions.store_id = overall.store_id
          and sessions.session_date >= overall.month_start
          and sessions.session_date < (overall.month_start + interval '1 month')::date
          and not sessions.is_removed
    ) as counted
)
{% endif %}

select coalesce(overall.store_id, sessions.store_id) as store_id,
       coalesce(overall.month_start, sessions.month_start) as month_start
from sessions
full outer join overall
    on overall.store_id = sessions.store_id and overall.month_start = sessions.month_start
where coalesce(overall.sessions, 0) <> coalesce(sessions.sessions, 0)
   or coalesce(overall.pageviews, 0) <> coalesce(sessions.pageviews, 0)
   or coalesce(overall.bounced_sessions, 0) <> coalesce(sessions.bounced_sessions, 0)
   or coalesce(overall.unique_visitors, 0) <> coalesce(sessions.unique_visitors, 0)
