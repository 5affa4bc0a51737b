
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select unit
from "gen40"."seeds"."benchmark_metrics"
where unit is null



  
  
      
    ) dbt_internal_test