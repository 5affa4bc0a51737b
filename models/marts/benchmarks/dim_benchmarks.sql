-- one row per (channel, metric, industry): the seeded benchmark bands with the metric's direction
-- and the publication behind them
{{ config(materialized='table') }}

select
    ranges.channel::{{ text_type() }}                    as channel,
    ranges.metric::{{ text_type() }}                     as metric,
    ranges.industry::{{ text_type() }}                   as industry,
    ranges.poor::numeric(12,4)              as poor,
    ranges.average::numeric(12,4)           as average,
    ranges.good::numeric(12,4)              as good,
    ranges.excellent::numeric(12,4)         as excellent,
    metrics.direction::{{ text_type() }}                 as direction,
    metrics.unit::{{ text_type() }}                      as unit,
    -- money bands only: the currency a store's value is converted into before it is rated
    ranges.currency::{{ text_type() }}                   as currency,
    metrics.description::{{ text_type() }}               as metric_description,
    ranges.source_id::{{ text_type() }}                  as source_id,
    sources.publisher::{{ text_type() }}                 as source_publisher,
    sources.title::{{ text_type() }}                     as source_title,
    sources.year::{{ text_type() }}                      as source_year,
    sources.url::{{ text_type() }}                       as source_url
from {{ ref('benchmark_ranges') }} as ranges
inner join {{ ref('benchmark_metrics') }} as metrics on metrics.metric = ranges.metric
left join {{ ref('benchmark_sources') }} as sources on sources.source_id = ranges.source_id
