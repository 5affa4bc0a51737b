-- one row per upstream MarketingChannel: the budget owner of a channel type in a store
select
    channel_id::text                      as channel_id,
    store_id::text                        as store_id,
    lower(trim(type))::text               as channel,
    name::text                            as channel_name,
    monthly_budget::numeric(14,2)         as monthly_budget,
    lower(trim(status))::text             as status,
    created_at::timestamptz               as created_at,
    _loaded_at::timestamptz               as loaded_at
from {{ ref('base_shop__marketing_channels') }}
where _dq_reason is null
