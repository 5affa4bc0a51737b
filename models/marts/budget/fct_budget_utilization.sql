-- one row per (store_id, channel, month_start): spend against the channel's monthly budget, with linear pacing
{{ config(
    materialized='table',
    indexes=[{'columns': ['store_id', 'channel', 'month_start'], 'unique': true}, {'columns': ['store_id', 'month_start']}],
) }}

with unified as (
    select store_id, channel, source, period, period_start, cost, loaded_at
    from {{ ref('fct_unified_metrics') }}
),

stores as (
    select store_id, timezone from {{ ref('dim_stores') }}
),

store_calendar as (
    -- "today" of a store = its latest store-local day with data (deterministic, unlike now()), ignoring
    -- days dated more than one day after the load that delivered them (stray future-dated rows);
    -- the month containing it is the current month
    select
        unified.store_id,
        min(unified.period_start) as first_date,
        max(unified.period_start) filter (
            where unified.loaded_at is null
               or unified.period_start <= {{ local_time('unified.loaded_at', 'stores.timezone') }}::date + 1
        ) as as_of_date
    from unified
    inner join stores on stores.store_id = unified.store_id
    where unified.period = 'daily' and unified.channel = 'overall'
    group by unified.store_id
),

monthly_cost as (
    select store_id, channel, period_start as month_start, cost
    from unified
    where period = 'monthly' and source = 'all' and channel <> 'overall'
),

budgets as (
    -- sum over the store's active MarketingChannels of that type (current budget, applied to every month)
    select store_id, channel, sum(monthly_budget) as monthly_budget
    from {{ ref('stg_shop__marketing_channels') }}
    where status = 'active'
    group by store_id, channel
),

store_channels as (
    -- channels with an active budget or with any cost
    select store_id, channel from budgets
    union
    select store_id, channel from monthly_cost where cost <> 0
),

months as (
    -- every month from the store's first data month to its current month
    select
        store_calendar.store_id,
        store_calendar.as_of_date,
        spine.month_start
    from store_calendar
    cross join lateral {{ date_spine(period_start('month', 'store_calendar.first_date'),
                                     period_start('month', 'store_calendar.as_of_date'),
                                     'month', 'month_start') }} as spine
),

measured as (
    select
        months.store_id,
        store_channels.channel,
        months.month_start,
        {{ period_end('month', 'months.month_start') }}                          as month_end,
        months.as_of_date,
        months.month_start = {{ period_start('month', 'months.as_of_date') }}  as is_current_month,
        budgets.monthly_budget,
        coalesce(monthly_cost.cost, 0)                                          as spent,
        extract(day from {{ period_end('month', 'months.month_start') }})::integer as days_in_month
    from months
    inner join store_channels on store_channels.store_id = months.store_id
    left join budgets
        on budgets.store_id = months.store_id and budgets.channel = store_channels.channel
    left join monthly_cost
        on monthly_cost.store_id = months.store_id
       and monthly_cost.channel = store_channels.channel
       and monthly_cost.month_start = months.month_start
),

paced as (
    select
        measured.*,
        case
            when measured.is_current_month then extract(day from measured.as_of_date)::integer
            else measured.days_in_month
        end as days_elapsed
    from measured
),

projected as (
    select
        paced.*,
        -- linear pace to month end for the current month; past months are final
        case
            when paced.is_current_month then round(paced.spent / paced.days_elapsed * paced.days_in_month, 2)
            else paced.spent
        end as projected_spend
    from paced
)

select
    store_id::{{ text_type() }}                                                          as store_id,
    channel::{{ text_type() }}                                                           as channel,
    month_start::date                                                       as month_start,
    monthly_budget::numeric(18,2)                                           as monthly_budget,
    spent::numeric(18,2)                                                    as spent,
    round({{ safe_ratio('spent', 'monthly_budget', 100) }}, 4)::numeric(20,4) as utilization_pct,
    days_elapsed::integer                                                   as days_elapsed,
    days_in_month::integer                                                  as days_in_month,
    projected_spend::numeric(18,2)                                          as projected_spend,
    (case
        when monthly_budget is null or monthly_budget = 0 then null
        when projected_spend < 0.9 * monthly_budget then 'under'
        when projected_spend > 1.1 * monthly_budget then 'over'
        else 'on'
    end)::{{ text_type() }}                                                              as pacing,
    round({{ safe_ratio('projected_spend', 'monthly_budget', 100) }}, 4)::numeric(20,4) as projected_utilization_pct,
    month_end::date                                                         as month_end,
    is_current_month::boolean                                               as is_current_month,
    as_of_date::date                                                        as as_of_date
from projected
