-- one row per (store, month, channel path): the ChannelAttribution input (converting and non-converting paths)
{{ config(indexes=[{'columns': ['store_id', 'month_start']}]) }}

with converting as (
    -- each converting order's credited path, in the month of conversion
    select
        store_id,
        date_trunc('month', converted_date)::date as month_start,
        channel_path,
        count(*)                                  as conversions,
        sum(revenue)                              as conversion_value
    from {{ ref('fct_order_attribution') }}
    group by 1, 2, 3
),

journey_sessions as (
    -- sessions already part of some order's journey
    select distinct session_id from {{ ref('int_attribution__touchpoints') }} where session_id is not null
),

stray_sessions as (
    -- sessions of a person that belong to no order's journey
    select sessions.*, date_trunc('month', sessions.session_date)::date as month_start
    from {{ ref('int_attribution__sessions') }} as sessions
    where not exists (select 1 from journey_sessions where journey_sessions.session_id = sessions.session_id)
),

stray_credited as (
    -- the same direct rule as journeys: direct counts only when it is all there is
    select
        stray_sessions.*,
        channel <> 'direct'
            or not bool_or(channel <> 'direct') over (partition by store_id, person_key, month_start) as is_credited
    from stray_sessions
),

non_converting as (
    -- one path per person and calendar month
    select
        store_id,
        month_start,
        string_agg(channel, ' > ' order by started_at, session_id) as channel_path
    from stray_credited
    where is_credited
    group by store_id, person_key, month_start
),

non_converting_counts as (
    select store_id, month_start, channel_path, count(*) as null_conversions
    from non_converting
    group by 1, 2, 3
)

select
    coalesce(converting.store_id, non_converting_counts.store_id)::text          as store_id,
    coalesce(converting.month_start, non_converting_counts.month_start)::date    as month_start,
    coalesce(converting.channel_path, non_converting_counts.channel_path)::text  as channel_path,
    coalesce(converting.conversions, 0)::integer                                 as conversions,
    coalesce(converting.conversion_value, 0)::numeric(18,2)                      as conversion_value,
    coalesce(non_converting_counts.null_conversions, 0)::integer                 as null_conversions
from converting
full outer join non_converting_counts
    on non_converting_counts.store_id = converting.store_id
   and non_converting_counts.month_start = converting.month_start
   and non_converting_counts.channel_path = converting.channel_path
