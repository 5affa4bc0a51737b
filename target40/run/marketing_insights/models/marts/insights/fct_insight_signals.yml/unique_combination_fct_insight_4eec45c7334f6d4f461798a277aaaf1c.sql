
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select store_id, signal_type, channel, source, period, count(*) as occurrences
from "gen40"."marts"."fct_insight_signals"
group by store_id, signal_type, channel, source, period
having count(*) > 1

  
  
      
    ) dbt_internal_test