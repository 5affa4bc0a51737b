-- fct_unified_metrics: each channel's monthly cost equals raw_sources.md "Channel costs" computed from
-- staging: ads = ad_campaign_daily.spend + ledger, social = social_posts_daily.spend + ledger, seo /
-- influencer / email = ledger only (store-local months), for stores the warehouse knows. Returns the
-- (store, channel, month) that differ. Incremental runs check the months the run rewrote.

with staged as (
    select store_id, 'ads'::{{ text_type() }} as channel, stat_date as day, spend as amount
    from {{ ref('stg_ads__campaign_daily') }}
    union all
    select store_id, 'social', stat_date, spend from {{ ref('stg_social__posts_daily') }}
    union all
    select store_id, channel, spend_date, amount from {{ ref('stg_finance__marketing_spend') }}
),

expected as (
    select * from (
        select
            staged.store_id, staged.channel, {{ period_start('month', 'staged.day') }} as month_start,
            sum(staged.amount) as cost
        from staged
        inner join {{ ref('stg_shop__stores') }} as stores on stores.store_id = staged.store_id
        group by 1, 2, 3
    ) as monthly
    where true {{ checked_periods_only('monthly', "'monthly'", 'month_start') }}
),

unified as (
    select store_id, channel, period_start as month_start, cost
    from {{ ref('fct_unified_metrics') }} as unified
    where period = 'monthly' and source = 'all' and channel <> 'overall' {{ checked_periods_only('unified') }}
)

select
    coalesce(unified.store_id, expected.store_id) as store_id,
    coalesce(unified.channel, expected.channel) as channel,
    coalesce(unified.month_start, expected.month_start) as month_start,
    unified.cost as unified_cost,
    expected.cost as staged_cost
from unified
full outer join expected
    on expected.store_id = unified.store_id
   and expected.channel = unified.channel
   and expected.month_start = unified.month_start
where coalesce(unified.cost, 0) <> coalesce(expected.cost, 0)
