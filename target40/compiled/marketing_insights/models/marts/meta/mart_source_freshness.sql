-- one row per raw source table: when it last received data, as of this build (the service reads
-- this instead of the raw schema; `insights validate` also runs `dbt source freshness` on raw)

with accepted as (
    -- rows that reached staging (clean, latest delivery per key); those pointing at an unknown
    -- store or contract are counted as quarantined below
    select 'shop'::text as source_name, 'stores'::text as source_table,
           max(loaded_at) as last_loaded_at,
           count(*) - (select count(*) from "gen40"."intermediate"."int_quality__unknown_references"
                       where table_name = 'stores') as row_count
    from "gen40"."staging"."stg_shop__stores"
    union all
    select 'shop'::text as source_name, 'marketing_channels'::text as source_table,
           max(loaded_at) as last_loaded_at,
           count(*) - (select count(*) from "gen40"."intermediate"."int_quality__unknown_references"
                       where table_name = 'marketing_channels') as row_count
    from "gen40"."staging"."stg_shop__marketing_channels"
    union all
    select 'shop'::text as source_name, 'orders'::text as source_table,
           max(loaded_at) as last_loaded_at,
           count(*) - (select count(*) from "gen40"."intermediate"."int_quality__unknown_references"
                       where table_name = 'orders') as row_count
    from "gen40"."staging"."stg_shop__orders"
    union all
    select 'seo'::text as source_name, 'blog_articles'::text as source_table,
           max(loaded_at) as last_loaded_at,
           count(*) - (select count(*) from "gen40"."intermediate"."int_quality__unknown_references"
                       where table_name = 'blog_articles') as row_count
    from "gen40"."staging"."stg_seo__blog_articles"
    union all
    select 'seo'::text as source_name, 'article_daily_stats'::text as source_table,
           max(loaded_at) as last_loaded_at,
           count(*) - (select count(*) from "gen40"."intermediate"."int_quality__unknown_references"
                       where table_name = 'article_daily_stats') as row_count
    from "gen40"."staging"."stg_seo__article_daily_stats"
    union all
    select 'influencer'::text as source_name, 'influencers'::text as source_table,
           max(loaded_at) as last_loaded_at,
           count(*) - (select count(*) from "gen40"."intermediate"."int_quality__unknown_references"
                       where table_name = 'influencers') as row_count
    from "gen40"."staging"."stg_influencer__influencers"
    union all
    select 'influencer'::text as source_name, 'influencer_campaigns'::text as source_table,
           max(loaded_at) as last_loaded_at,
           count(*) - (select count(*) from "gen40"."intermediate"."int_quality__unknown_references"
                       where table_name = 'influencer_campaigns') as row_count
    from "gen40"."staging"."stg_influencer__campaigns"
    union all
    select 'influencer'::text as source_name, 'influencer_outreach'::text as source_table,
           max(loaded_at) as last_loaded_at,
           count(*) - (select count(*) from "gen40"."intermediate"."int_quality__unknown_references"
                       where table_name = 'influencer_outreach') as row_count
    from "gen40"."staging"."stg_influencer__outreach"
    union all
    select 'influencer'::text as source_name, 'influencer_contracts'::text as source_table,
           max(loaded_at) as last_loaded_at,
           count(*) - (select count(*) from "gen40"."intermediate"."int_quality__unknown_references"
                       where table_name = 'influencer_contracts') as row_count
    from "gen40"."staging"."stg_influencer__contracts"
    union all
    select 'influencer'::text as source_name, 'influencer_deliveries'::text as source_table,
           max(loaded_at) as last_loaded_at,
           count(*) - (select count(*) from "gen40"."intermediate"."int_quality__unknown_references"
                       where table_name = 'influencer_deliveries') as row_count
    from "gen40"."staging"."stg_influencer__deliveries"
    union all
    select 'social'::text as source_name, 'social_posts_daily'::text as source_table,
           max(loaded_at) as last_loaded_at,
           count(*) - (select count(*) from "gen40"."intermediate"."int_quality__unknown_references"
                       where table_name = 'social_posts_daily') as row_count
    from "gen40"."staging"."stg_social__posts_daily"
    union all
    select 'ads'::text as source_name, 'ad_campaign_daily'::text as source_table,
           max(loaded_at) as last_loaded_at,
           count(*) - (select count(*) from "gen40"."intermediate"."int_quality__unknown_references"
                       where table_name = 'ad_campaign_daily') as row_count
    from "gen40"."staging"."stg_ads__campaign_daily"
    union all
    select 'finance'::text as source_name, 'marketing_spend'::text as source_table,
           max(loaded_at) as last_loaded_at,
           count(*) - (select count(*) from "gen40"."intermediate"."int_quality__unknown_references"
                       where table_name = 'marketing_spend') as row_count
    from "gen40"."staging"."stg_finance__marketing_spend"
    union all
    select 'web'::text as source_name, 'web_sessions'::text as source_table,
           max(loaded_at) as last_loaded_at,
           count(*) - (select count(*) from "gen40"."intermediate"."int_quality__unknown_references"
                       where table_name = 'web_sessions') as row_count
    from "gen40"."staging"."stg_web__sessions"
    union all
    select 'web'::text as source_name, 'customer_identities'::text as source_table,
           max(loaded_at) as last_loaded_at,
           count(*) - (select count(*) from "gen40"."intermediate"."int_quality__unknown_references"
                       where table_name = 'customer_identities') as row_count
    from "gen40"."staging"."stg_web__customer_identities"
    
),

quarantined as (
    -- rows excluded from the marts still count as delivered: raw max(_loaded_at) = the later of both
    select table_name as source_table,
           max(raw_loaded_at) as last_loaded_at,
           count(*) filter (where reason <> 'duplicate') as quarantined_rows
    from "gen40"."marts"."data_quality_issues"
    group by table_name
),

measured as (
    select
        accepted.source_table,
        accepted.source_name,
        greatest(accepted.last_loaded_at, quarantined.last_loaded_at) as last_loaded_at,
        accepted.row_count,
        coalesce(quarantined.quarantined_rows, 0) as quarantined_rows,
        '2026-12-06T12:30:54.482240+00:00'::timestamptz as checked_at
    from accepted
    left join quarantined on quarantined.source_table = accepted.source_table
)

select
    source_table::text                                                       as source_table,
    source_name::text                                                        as source_name,
    last_loaded_at::timestamptz                                              as last_loaded_at,
    row_count::bigint                                                        as rows,
    quarantined_rows::bigint                                                 as quarantined_rows,
    checked_at::timestamptz                                                  as checked_at,
    round((extract(epoch from (checked_at - last_loaded_at)) / 3600.0)::numeric, 2)::numeric(14,2)
                                                                             as age_hours,
    36::integer                                                as warn_after_hours,
    96::integer                                               as error_after_hours,
    (case
        when last_loaded_at is null then 'error'
        when checked_at - last_loaded_at > interval '96 hours' then 'error'
        when checked_at - last_loaded_at > interval '36 hours' then 'warn'
        else 'ok'
    end)::text                                                               as status
from measured