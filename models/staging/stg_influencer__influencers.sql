{{ config(
    materialized=incremental_on_postgres(),
    unique_key=['influencer_id'],
    indexes=[{'columns': ['influencer_id'], 'unique': true}, {'columns': ['staged_at']}],
    post_hook="{{ record_raw_watermark('influencers') }}",
) }}
-- one row per influencer profile
select
    influencer_id::{{ text_type() }}                 as influencer_id,
    lower(trim(platform))::{{ text_type() }}         as platform,
    trim(handle)::{{ text_type() }}                  as handle,
    followers::bigint                   as followers,
    lower(trim(niche))::{{ text_type() }}            as niche,
    _loaded_at::{{ tstz_type() }}             as loaded_at,
    {{ staging_bookkeeping() }}
from (
    -- the deliveries this run judges (macros/staging.sql); the latest of each key wins
    {{ raw_versions('influencers') }}
) as versions
where {{ staging_filter() }}
