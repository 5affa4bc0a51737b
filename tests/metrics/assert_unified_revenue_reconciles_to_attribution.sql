-- fct_unified_metrics: per store and month, the `overall` revenue and profit equal the credited revenue and
-- profit of var('attribution_default_model') in fct_attribution_credits exactly (cents are exact), and
-- conversions equal the credited conversions within the rounding of the daily source rows (6 places each).
-- Incremental runs check the months the run rewrote.

with overall as (
    select store_id, period_start as month_start, conversions, revenue, profit
    from {{ ref('fct_unified_metrics') }} as unified
    where period = 'monthly' and channel = 'overall' {{ checked_periods_only('unified') }}
),

credits as (
    {%- if full_checks() %}
    select
        credits.store_id, {{ period_start('month', 'credits.converted_date') }} as month_start,
        sum(credits.credited_conversions) as conversions,
        sum(credits.credited_revenue) as revenue,
        sum(credits.credited_profit) as profit
    from {{ ref('fct_attribution_credits') }} as credits
    where credits.model = '{{ var("attribution_default_model") }}'
    group by 1, 2
    {%- else %}
    -- the credits of the checked months only, a lateral lookup per month through the (store_id,
    -- converted_date) index: as a join on the month list, PostgreSQL scanned every credit (3 s at scale 40)
    select overall.store_id, overall.month_start, summed.*
    from overall
    cross join lateral (
        select
            sum(credits.credited_conversions) as conversions,
            sum(credits.credited_revenue) as revenue,
            sum(credits.credited_profit) as profit
        from {{ ref('fct_attribution_credits') }} as credits
        where credits.store_id = overall.store_id
          and credits.converted_date >= overall.month_start
          and credits.converted_date < (overall.month_start + interval '1 month')::date
          and credits.model = '{{ var("attribution_default_model") }}'
    ) as summed
    {%- endif %}
),

source_days as (
    -- number of rounded daily source rows behind each month (the rounding error bound)
    select store_id, {{ period_start('month', 'period_start') }} as month_start, count(*) as rounded_rows
    from {{ ref('fct_unified_metrics') }}
    where period = 'daily' and source <> 'all'
      and (store_id, {{ period_start('month', 'period_start') }})
          in (select overall.store_id, overall.month_start from overall)
    group by 1, 2
)

select
    coalesce(overall.store_id, credits.store_id) as store_id,
    coalesce(overall.month_start, credits.month_start) as month_start,
    overall.revenue as overall_revenue, credits.revenue as attributed_revenue,
    overall.conversions as overall_conversions, credits.conversions as attributed_conversions
from credits
full outer join overall
    on overall.store_id = credits.store_id and overall.month_start = credits.month_start
left join source_days
    on source_days.store_id = coalesce(overall.store_id, credits.store_id)
   and source_days.month_start = coalesce(overall.month_start, credits.month_start)
where coalesce(overall.revenue, 0) <> coalesce(credits.revenue, 0)
   or coalesce(overall.profit, 0) <> coalesce(credits.profit, 0)
   -- each unattributed and channel source-day is rounded once to 6 places: |error| <= 0.0000005 per row
   or abs(coalesce(overall.conversions, 0) - coalesce(credits.conversions, 0))
      > 0.0000005 * (coalesce(source_days.rounded_rows, 0) + 31)
