-- benchmark_ranges must have one row per (channel, metric, industry), and its bands must be
-- strictly ordered in the metric's direction:
--   higher_is_better: poor < average < good < excellent
--   lower_is_better:  poor > average > good > excellent
-- Returns the offending rows (duplicate keys, misordered or null bands, or a metric with no
-- known direction in benchmark_metrics).

with ranges as (

    select channel, metric, industry, poor, average, good, excellent
    from {{ ref('benchmark_ranges') }}

),

metrics as (

    select metric, direction
    from {{ ref('benchmark_metrics') }}

),

duplicate_keys as (

    select
        channel,
        metric,
        industry,
        'duplicate (channel, metric, industry): ' || cast(count(*) as {{ text_type() }}) || ' rows' as failure
    from ranges
    group by channel, metric, industry
    having count(*) > 1

),

misordered as (

    select
        r.channel,
        r.metric,
        r.industry,
        case
            when m.direction is null then 'metric missing from benchmark_metrics'
            when r.poor is null or r.average is null or r.good is null or r.excellent is null
                then 'null band'
            else 'bands not strictly ordered for ' || m.direction
        end as failure
    from ranges as r
    left join metrics as m
        on m.metric = r.metric
    where m.direction is null
        or r.poor is null
        or r.average is null
        or r.good is null
        or r.excellent is null
        or m.direction not in ('higher_is_better', 'lower_is_better')
        or (
            m.direction = 'higher_is_better'
            and not (r.poor < r.average and r.average < r.good and r.good < r.excellent)
        )
        or (
            m.direction = 'lower_is_better'
            and not (r.poor > r.average and r.average > r.good and r.good > r.excellent)
        )

)

select channel, metric, industry, failure from duplicate_keys
union all
select channel, metric, industry, failure from misordered
