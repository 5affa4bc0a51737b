{{ config(
    materialized=incremental_on_postgres(),
    unique_key=['outreach_id'],
    indexes=[{'columns': ['outreach_id'], 'unique': true}, {'columns': ['staged_at']}],
    post_hook="{{ record_raw_watermark('influencer_outreach') }}",
) }}
-- one row per outreach message to an influencer
select
    outreach_id::{{ text_type() }}               as outreach_id,
    campaign_id::{{ text_type() }}               as campaign_id,
    influencer_id::{{ text_type() }}             as influencer_id,
    lower(trim(status))::{{ text_type() }}       as status,
    sent_at::{{ tstz_type() }}            as sent_at,
    opened_at::{{ tstz_type() }}          as opened_at,
    replied_at::{{ tstz_type() }}         as replied_at,
    _loaded_at::{{ tstz_type() }}         as loaded_at,
    {{ staging_bookkeeping() }}
from (
    -- the deliveries this run judges (macros/staging.sql); the latest of each key wins
    {{ raw_versions('influencer_outreach') }}
) as versions
where {{ staging_filter() }}
