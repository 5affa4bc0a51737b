
      
  
    

  create  table "gen40"."marts"."fct_channel_attribution_daily__dbt_tmp"
  
  
    
  
  (
    store_id text not null,
    date date not null,
    model text not null,
    channel text not null,
    attributed_conversions numeric(18,6),
    attributed_revenue numeric(18,2),
    attributed_profit numeric(18,2)
    
    )
 ;
    insert into "gen40"."marts"."fct_channel_attribution_daily__dbt_tmp" (
      store_id, date, model, channel, attributed_conversions, attributed_revenue, attributed_profit
    )
  
  (
    
    select store_id, date, model, channel, attributed_conversions, attributed_revenue, attributed_profit
    from (
        -- one row per (store, local conversion date, model, channel): attributed results for charts
-- Incremental: the days of re-credited, moved or removed orders are rebuilt (macros/reopened_keys.sql).

-- depends_on: "gen40"."intermediate"."int_attribution__conversions"

with credits as (
    -- credits of the days to (re)build
    select credits.*
    from "gen40"."marts"."fct_attribution_credits" as credits
)

select
    store_id::text                                  as store_id,
    converted_date::date                            as date,
    model::text                                     as model,
    channel::text                                   as channel,
    sum(credited_conversions)::numeric(18,6)        as attributed_conversions,
    sum(credited_revenue)::numeric(18,2)            as attributed_revenue,
    sum(credited_profit)::numeric(18,2)             as attributed_profit
from credits
group by store_id, converted_date, model, channel
    ) as model_subq
  );
  
  