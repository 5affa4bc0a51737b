-- one row per outreach message to an influencer
select
    outreach_id::text               as outreach_id,
    campaign_id::text               as campaign_id,
    influencer_id::text             as influencer_id,
    lower(trim(status))::text       as status,
    sent_at::timestamptz            as sent_at,
    opened_at::timestamptz          as opened_at,
    replied_at::timestamptz         as replied_at,
    _loaded_at::timestamptz         as loaded_at
from {{ ref('base_influencer__outreach') }}
where _dq_reason is null
