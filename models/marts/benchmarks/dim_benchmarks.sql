-- one row per (channel, metric, industry): the seeded benchmark bands with the metric's direction
-- and the publication behind them
{{ config(materialized='table') }}

select
    ranges.channel::text                    as channel,
    ranges.metric::text                     as metric,
    ranges.industry::text                   as industry,
    ranges.poor::numeric(12,4)              as poor,
    ranges.average::numeric(12,4)           as average,
    ranges.good::numeric(12,4)              as good,
    ranges.excellent::numeric(12,4)         as excellent,
    metrics.direction::text                 as direction,
    metrics.unit::text                      as unit,
    -- money bands only: the currency a store's value is converted into before it is rated
    ranges.currency::text                   as currency,
    metrics.description::text               as metric_description,
    ranges.source_id::text                  as source_id,
    sources.publisher::text                 as source_publisher,
    sources.title::text                     as source_title,
    sources.year::text                      as source_year,
    sources.url::text                       as source_url
from {{ ref('benchmark_ranges') }} as ranges
inner join {{ ref('benchmark_metrics') }} as metrics on metrics.metric = ranges.metric
left join {{ ref('benchmark_sources') }} as sources on sources.source_id = ranges.source_id
