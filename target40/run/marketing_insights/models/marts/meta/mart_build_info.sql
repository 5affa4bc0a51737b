
  
    

  create  table "gen40"."marts"."mart_build_info__dbt_tmp"
  
  
    
  
  (
    build_id text not null,
    built_at timestamptz,
    attribution_default_model text,
    attribution_lookback_days integer,
    attribution_half_life_days numeric
    
    )
 ;
    insert into "gen40"."marts"."mart_build_info__dbt_tmp" (
      build_id, built_at, attribution_default_model, attribution_lookback_days, attribution_half_life_days
    )
  
  (
    
    select build_id, built_at, attribution_default_model, attribution_lookback_days, attribution_half_life_days
    from (
        -- one row naming the dbt invocation that last rebuilt the marts: the service's cache key
select
    'd03cfaac-ad75-4115-915f-e8aed58e00c8'::text                         as build_id,
    '2026-12-06T12:30:54.482240+00:00'::timestamptz     as built_at,
    'linear'::text      as attribution_default_model,
    30::integer     as attribution_lookback_days,
    7::numeric    as attribution_half_life_days
    ) as model_subq
  );
  