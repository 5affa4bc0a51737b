-- one row per store: calendar (timezone), currency and the industry its benchmarks are read for
{{ config(materialized='table') }}

with stores as (
    select * from {{ ref('stg_shop__stores') }}
),

benchmark_industries as (
    -- industries that have at least one benchmark band
    select distinct industry from {{ ref('dim_benchmarks') }}
)

select
    stores.store_id::{{ text_type() }}                                                   as store_id,
    stores.store_name::{{ text_type() }}                                                 as store_name,
    stores.industry::{{ text_type() }}                                                   as industry,
    -- the store's industry when the seed has bands for it, else `general`; fct_benchmark_comparison
    -- still falls back per (channel, metric) when the industry lacks that particular band
    (case when benchmark_industries.industry is not null then stores.industry else 'general' end)::{{ text_type() }}
                                                                            as benchmark_industry,
    stores.currency::{{ text_type() }}                                                   as currency,
    stores.timezone::{{ text_type() }}                                                   as timezone,
    stores.status::{{ text_type() }}                                                     as status,
    stores.created_at::{{ tstz_type() }}                                          as created_at
from stores
left join benchmark_industries on benchmark_industries.industry = stores.industry
