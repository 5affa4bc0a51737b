-- fct_unified_metrics: per store and month, `overall` sessions, pageviews, bounced sessions and distinct
-- visitors equal those of stg_web__sessions bucketed by the store-local session_date.

with sessions as (
    select
        store_id, {{ period_start('month', 'session_date') }} as month_start,
        count(*) as sessions, sum(pageviews) as pageviews, count(*) filter (where bounced) as bounced_sessions,
        count(distinct visitor_id) as unique_visitors
    from {{ ref('stg_web__sessions') }}
    group by 1, 2
),

overall as (
    select store_id, period_start as month_start, sessions, pageviews, bounced_sessions, unique_visitors
    from {{ ref('fct_unified_metrics') }}
    where period = 'monthly' and channel = 'overall'
)

select coalesce(overall.store_id, sessions.store_id) as store_id,
       coalesce(overall.month_start, sessions.month_start) as month_start
from sessions
full outer join overall
    on overall.store_id = sessions.store_id and overall.month_start = sessions.month_start
where coalesce(overall.sessions, 0) <> coalesce(sessions.sessions, 0)
   or coalesce(overall.pageviews, 0) <> coalesce(sessions.pageviews, 0)
   or coalesce(overall.bounced_sessions, 0) <> coalesce(sessions.bounced_sessions, 0)
   or coalesce(overall.unique_visitors, 0) <> coalesce(sessions.unique_visitors, 0)
