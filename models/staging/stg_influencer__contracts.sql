{{ config(
    partition_by=spark_store_partitions(),
    unique_key=['contract_id'],
    indexes=[{'columns': ['contract_id'], 'unique': true}, {'columns': ['staged_at']}],
    post_hook="{{ record_raw_watermark('influencer_contracts') }}",
) }}
-- one row per influencer contract; fees are costed through the marketing_spend ledger
select
    contract_id::{{ text_type() }}               as contract_id,
    store_id::{{ text_type() }}                  as store_id,
    campaign_id::{{ text_type() }}               as campaign_id,
    influencer_id::{{ text_type() }}             as influencer_id,
    fee::numeric(14,2)              as fee,
    start_date::date                as start_date,
    end_date::date                  as end_date,
    lower(trim(status))::{{ text_type() }}       as status,
    _loaded_at::{{ tstz_type() }}         as loaded_at,
    {{ staging_bookkeeping() }}
from (
    -- the deliveries this run judges (macros/staging.sql); the latest of each key wins
    {{ raw_versions('influencer_contracts') }}
) as versions
where {{ staging_filter() }}
