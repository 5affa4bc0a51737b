{{ config(
    partition_by=spark_store_partitions(),
    unique_key=['campaign_id'],
    indexes=[{'columns': ['campaign_id'], 'unique': true}, {'columns': ['staged_at']}],
    post_hook="{{ record_raw_watermark('influencer_campaigns') }}",
) }}
-- one row per influencer campaign (the `campaign:<id>` source of the influencer channel)
select
    campaign_id::{{ text_type() }}                       as campaign_id,
    store_id::{{ text_type() }}                          as store_id,
    name::{{ text_type() }}                              as campaign_name,
    lower(trim(status))::{{ text_type() }}               as status,
    budget_allocated::numeric(14,2)         as budget_allocated,
    start_date::date                        as start_date,
    end_date::date                          as end_date,
    created_at::{{ tstz_type() }}                 as created_at,
    _loaded_at::{{ tstz_type() }}                 as loaded_at,
    {{ staging_bookkeeping() }}
from (
    -- the deliveries this run judges (macros/staging.sql); the latest of each key wins
    {{ raw_versions('influencer_campaigns') }}
) as versions
where {{ staging_filter() }}
