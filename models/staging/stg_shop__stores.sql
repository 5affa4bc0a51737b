-- one row per store; industry without a known value is `general` (benchmark fallback)
select
    store_id::text                                   as store_id,
    name::text                                       as store_name,
    coalesce(nullif(lower(trim(industry)), ''), 'general')::text as industry,
    upper(trim(currency))::text                      as currency,
    trim(timezone)::text                             as timezone,
    lower(trim(status))::text                        as status,
    created_at::timestamptz                          as created_at,
    _loaded_at::timestamptz                          as loaded_at
from {{ ref('base_shop__stores') }}
where _dq_reason is null
