-- influencer platform family: posted deliveries on their post_date, rolled up to the campaign (source campaign:<id>)
{{ config(materialized='view') }}

select
    store_id::{{ text_type() }}                                          as store_id,
    post_date::date                                         as date,
    'influencer'::{{ text_type() }}                                      as channel,
    coalesce('campaign:' || campaign_id, 'unassigned')::{{ text_type() }} as source,
    null::bigint                                            as sessions,
    null::bigint                                            as pageviews,
    null::bigint                                            as unique_visitors,
    null::bigint                                            as session_duration_s_sum,
    null::bigint                                            as bounced_sessions,
    -- metrics are cumulative as last reported: all of a delivery's metrics land on its post_date
    sum(impressions)::bigint                                as impressions,
    sum(clicks)::bigint                                     as clicks,
    sum(engagements)::bigint                                as engagements,
    -- fees are costed through the spend ledger (raw_sources.md "Channel costs")
    null::numeric(18,2)                                     as cost,
    null::numeric(24,12)                                    as conversions,
    null::numeric(18,2)                                     as revenue,
    null::numeric(18,2)                                     as profit,
    max(loaded_at)::{{ tstz_type() }}                             as loaded_at,
    null::{{ tstz_type() }}                                       as attributed_at
from {{ ref('int_influencer__deliveries') }}
where post_date is not null
  and status in ('posted', 'verified')
group by store_id, post_date, campaign_id
