-- one row per influencer profile
select
    influencer_id::text                 as influencer_id,
    lower(trim(platform))::text         as platform,
    trim(handle)::text                  as handle,
    followers::bigint                   as followers,
    lower(trim(niche))::text            as niche,
    _loaded_at::timestamptz             as loaded_at
from {{ ref('base_influencer__influencers') }}
where _dq_reason is null
