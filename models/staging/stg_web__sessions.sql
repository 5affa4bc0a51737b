{{ config(
    partition_by=spark_store_partitions(),
    unique_key=['session_id'],
    indexes=[{'columns': ['session_id'], 'unique': true}, {'columns': ['staged_at']}],
    post_hook="{{ record_raw_watermark('web_sessions') }}",
) }}
-- one row per web session, cleaned: utm/referrer/landing fields trimmed and lower-cased,
-- empty strings as null (local date, channel, source and person: int_sessions)
select
    session_id::{{ text_type() }}                                                        as session_id,
    store_id::{{ text_type() }}                                                          as store_id,
    nullif(trim(visitor_id), '')::{{ text_type() }}                                      as visitor_id,
    nullif(trim(customer_id), '')::{{ text_type() }}                                     as customer_id,
    started_at::{{ tstz_type() }}                                                 as started_at,
    greatest(coalesce(duration_s, 0), 0)::integer                           as duration_s,
    greatest(coalesce(pageviews, 0), 0)::integer                            as pageviews,
    coalesce(bounced, false)::boolean                                       as bounced,
    -- path without query string, fragment or trailing slash; split_part, not a regex, on millions of rows
    coalesce(nullif(trim(trailing '/' from split_part(split_part(lower(trim(landing_path)), '?', 1), '#', 1)), ''), '/')
        ::{{ text_type() }}
                                                                            as landing_path,
    nullif((case when lower(trim(referrer_host)) like 'www.%' then substr(lower(trim(referrer_host)), 5)
                 else lower(trim(referrer_host)) end), '')::{{ text_type() }}            as referrer_host,
    nullif(lower(trim(utm_source)), '')::{{ text_type() }}                               as utm_source,
    nullif(lower(trim(utm_medium)), '')::{{ text_type() }}                               as utm_medium,
    nullif(lower(trim(utm_campaign)), '')::{{ text_type() }}                             as utm_campaign,
    nullif(lower(trim(utm_content)), '')::{{ text_type() }}                              as utm_content,
    _loaded_at::{{ tstz_type() }}                                                 as loaded_at,
    {{ staging_bookkeeping() }}
from (
    -- the deliveries this run judges (macros/staging.sql); the latest of each key wins
    {{ raw_versions('web_sessions') }}
) as versions
where {{ staging_filter() }}
