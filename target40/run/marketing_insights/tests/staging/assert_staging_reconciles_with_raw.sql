
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  -- Nothing is silently dropped: for every raw table,
-- raw rows = rows reaching the marts + quarantined rows (bad rows, superseded duplicates, and
-- staged rows pointing at an unknown store or contract, which are both staged and quarantined).

with counts as (
    
    select
        'stores' as table_name,
        (select count(*) from "gen40"."raw"."stores") as raw_rows,
        (select count(*) from "gen40"."staging"."stg_shop__stores") as staged_rows,
        (select count(*) from "gen40"."intermediate"."int_quality__unknown_references" where table_name = 'stores') as orphaned_rows,
        (select count(*) from "gen40"."marts"."data_quality_issues" where table_name = 'stores') as quarantined_rows
    union all
    
    select
        'marketing_channels' as table_name,
        (select count(*) from "gen40"."raw"."marketing_channels") as raw_rows,
        (select count(*) from "gen40"."staging"."stg_shop__marketing_channels") as staged_rows,
        (select count(*) from "gen40"."intermediate"."int_quality__unknown_references" where table_name = 'marketing_channels') as orphaned_rows,
        (select count(*) from "gen40"."marts"."data_quality_issues" where table_name = 'marketing_channels') as quarantined_rows
    union all
    
    select
        'orders' as table_name,
        (select count(*) from "gen40"."raw"."orders") as raw_rows,
        (select count(*) from "gen40"."staging"."stg_shop__orders") as staged_rows,
        (select count(*) from "gen40"."intermediate"."int_quality__unknown_references" where table_name = 'orders') as orphaned_rows,
        (select count(*) from "gen40"."marts"."data_quality_issues" where table_name = 'orders') as quarantined_rows
    union all
    
    select
        'blog_articles' as table_name,
        (select count(*) from "gen40"."raw"."blog_articles") as raw_rows,
        (select count(*) from "gen40"."staging"."stg_seo__blog_articles") as staged_rows,
        (select count(*) from "gen40"."intermediate"."int_quality__unknown_references" where table_name = 'blog_articles') as orphaned_rows,
        (select count(*) from "gen40"."marts"."data_quality_issues" where table_name = 'blog_articles') as quarantined_rows
    union all
    
    select
        'article_daily_stats' as table_name,
        (select count(*) from "gen40"."raw"."article_daily_stats") as raw_rows,
        (select count(*) from "gen40"."staging"."stg_seo__article_daily_stats") as staged_rows,
        (select count(*) from "gen40"."intermediate"."int_quality__unknown_references" where table_name = 'article_daily_stats') as orphaned_rows,
        (select count(*) from "gen40"."marts"."data_quality_issues" where table_name = 'article_daily_stats') as quarantined_rows
    union all
    
    select
        'influencers' as table_name,
        (select count(*) from "gen40"."raw"."influencers") as raw_rows,
        (select count(*) from "gen40"."staging"."stg_influencer__influencers") as staged_rows,
        (select count(*) from "gen40"."intermediate"."int_quality__unknown_references" where table_name = 'influencers') as orphaned_rows,
        (select count(*) from "gen40"."marts"."data_quality_issues" where table_name = 'influencers') as quarantined_rows
    union all
    
    select
        'influencer_campaigns' as table_name,
        (select count(*) from "gen40"."raw"."influencer_campaigns") as raw_rows,
        (select count(*) from "gen40"."staging"."stg_influencer__campaigns") as staged_rows,
        (select count(*) from "gen40"."intermediate"."int_quality__unknown_references" where table_name = 'influencer_campaigns') as orphaned_rows,
        (select count(*) from "gen40"."marts"."data_quality_issues" where table_name = 'influencer_campaigns') as quarantined_rows
    union all
    
    select
        'influencer_outreach' as table_name,
        (select count(*) from "gen40"."raw"."influencer_outreach") as raw_rows,
        (select count(*) from "gen40"."staging"."stg_influencer__outreach") as staged_rows,
        (select count(*) from "gen40"."intermediate"."int_quality__unknown_references" where table_name = 'influencer_outreach') as orphaned_rows,
        (select count(*) from "gen40"."marts"."data_quality_issues" where table_name = 'influencer_outreach') as quarantined_rows
    union all
    
    select
        'influencer_contracts' as table_name,
        (select count(*) from "gen40"."raw"."influencer_contracts") as raw_rows,
        (select count(*) from "gen40"."staging"."stg_influencer__contracts") as staged_rows,
        (select count(*) from "gen40"."intermediate"."int_quality__unknown_references" where table_name = 'influencer_contracts') as orphaned_rows,
        (select count(*) from "gen40"."marts"."data_quality_issues" where table_name = 'influencer_contracts') as quarantined_rows
    union all
    
    select
        'influencer_deliveries' as table_name,
        (select count(*) from "gen40"."raw"."influencer_deliveries") as raw_rows,
        (select count(*) from "gen40"."staging"."stg_influencer__deliveries") as staged_rows,
        (select count(*) from "gen40"."intermediate"."int_quality__unknown_references" where table_name = 'influencer_deliveries') as orphaned_rows,
        (select count(*) from "gen40"."marts"."data_quality_issues" where table_name = 'influencer_deliveries') as quarantined_rows
    union all
    
    select
        'social_posts_daily' as table_name,
        (select count(*) from "gen40"."raw"."social_posts_daily") as raw_rows,
        (select count(*) from "gen40"."staging"."stg_social__posts_daily") as staged_rows,
        (select count(*) from "gen40"."intermediate"."int_quality__unknown_references" where table_name = 'social_posts_daily') as orphaned_rows,
        (select count(*) from "gen40"."marts"."data_quality_issues" where table_name = 'social_posts_daily') as quarantined_rows
    union all
    
    select
        'ad_campaign_daily' as table_name,
        (select count(*) from "gen40"."raw"."ad_campaign_daily") as raw_rows,
        (select count(*) from "gen40"."staging"."stg_ads__campaign_daily") as staged_rows,
        (select count(*) from "gen40"."intermediate"."int_quality__unknown_references" where table_name = 'ad_campaign_daily') as orphaned_rows,
        (select count(*) from "gen40"."marts"."data_quality_issues" where table_name = 'ad_campaign_daily') as quarantined_rows
    union all
    
    select
        'marketing_spend' as table_name,
        (select count(*) from "gen40"."raw"."marketing_spend") as raw_rows,
        (select count(*) from "gen40"."staging"."stg_finance__marketing_spend") as staged_rows,
        (select count(*) from "gen40"."intermediate"."int_quality__unknown_references" where table_name = 'marketing_spend') as orphaned_rows,
        (select count(*) from "gen40"."marts"."data_quality_issues" where table_name = 'marketing_spend') as quarantined_rows
    union all
    
    select
        'web_sessions' as table_name,
        (select count(*) from "gen40"."raw"."web_sessions") as raw_rows,
        (select count(*) from "gen40"."staging"."stg_web__sessions") as staged_rows,
        (select count(*) from "gen40"."intermediate"."int_quality__unknown_references" where table_name = 'web_sessions') as orphaned_rows,
        (select count(*) from "gen40"."marts"."data_quality_issues" where table_name = 'web_sessions') as quarantined_rows
    union all
    
    select
        'customer_identities' as table_name,
        (select count(*) from "gen40"."raw"."customer_identities") as raw_rows,
        (select count(*) from "gen40"."staging"."stg_web__customer_identities") as staged_rows,
        (select count(*) from "gen40"."intermediate"."int_quality__unknown_references" where table_name = 'customer_identities') as orphaned_rows,
        (select count(*) from "gen40"."marts"."data_quality_issues" where table_name = 'customer_identities') as quarantined_rows
    
    
)

select * from counts where raw_rows <> staged_rows - orphaned_rows + quarantined_rows
  
  
      
    ) dbt_internal_test