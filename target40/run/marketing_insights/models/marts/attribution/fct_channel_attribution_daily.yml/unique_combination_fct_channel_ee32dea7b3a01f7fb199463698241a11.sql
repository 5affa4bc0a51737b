
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select store_id, date, model, channel, count(*) as occurrences
from "gen40"."marts"."fct_channel_attribution_daily"
group by store_id, date, model, channel
having count(*) > 1

  
  
      
    ) dbt_internal_test