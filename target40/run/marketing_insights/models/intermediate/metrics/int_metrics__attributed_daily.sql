
  create view "gen40"."intermediate"."int_metrics__attributed_daily__dbt_tmp"
    
    
      
  as (
    -- attribution family: conversions, revenue and profit credited under var('attribution_default_model'), by conversion day


select
        credits.store_id::text                                  as store_id,
        credits.converted_date::date                            as date,
        -- includes channel `unattributed` (orders without a touch): only the `overall` rollup keeps it
        credits.channel::text                                   as channel,
        credits.source::text                                    as source,
        null::bigint                                            as sessions,
        null::bigint                                            as pageviews,
        null::bigint                                            as unique_visitors,
        null::bigint                                            as session_duration_s_sum,
        null::bigint                                            as bounced_sessions,
        null::bigint                                            as impressions,
        null::bigint                                            as clicks,
        null::bigint                                            as engagements,
        null::numeric(18,2)                                     as cost,
        sum(credits.credited_conversions)::numeric(24,12)       as conversions,
        sum(credits.credited_revenue)::numeric(18,2)            as revenue,
        sum(credits.credited_profit)::numeric(18,2)             as profit,
        -- when the order row was delivered: the freshness of the conversion (credits only know when dbt ran)
        max(orders.loaded_at)::timestamptz                      as loaded_at,
        max(credits.processed_at)::timestamptz                  as attributed_at
    from "gen40"."marts"."fct_attribution_credits" as credits
    left join "gen40"."intermediate"."int_attribution__conversions" as orders on orders.order_id = credits.order_id
    where credits.model = 'linear'
    group by credits.store_id, credits.converted_date, credits.channel, credits.source
  );