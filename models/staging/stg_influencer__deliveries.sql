{{ config(
    materialized=incremental_on_postgres(),
    unique_key=['delivery_id'],
    indexes=[{'columns': ['delivery_id'], 'unique': true}, {'columns': ['staged_at']}],
    post_hook="{{ record_raw_watermark('influencer_deliveries') }}",
) }}
-- one row per delivery (post) under a contract; its store and campaign come through the
-- contract in intermediate (int_influencer__deliveries)
select
    delivery_id::{{ text_type() }}                       as delivery_id,
    contract_id::{{ text_type() }}                       as contract_id,
    lower(trim(deliverable_type))::{{ text_type() }}     as deliverable_type,
    lower(trim(platform))::{{ text_type() }}             as platform,
    post_date::date                         as post_date,
    lower(trim(status))::{{ text_type() }}               as status,
    coalesce(reach, 0)::bigint              as reach,
    coalesce(impressions, 0)::bigint        as impressions,
    coalesce(engagements, 0)::bigint        as engagements,
    coalesce(clicks, 0)::bigint             as clicks,
    _loaded_at::{{ tstz_type() }}                 as loaded_at,
    {{ staging_bookkeeping() }}
from (
    -- the deliveries this run judges (macros/staging.sql); the latest of each key wins
    {{ raw_versions('influencer_deliveries') }}
) as versions
where {{ staging_filter() }}
