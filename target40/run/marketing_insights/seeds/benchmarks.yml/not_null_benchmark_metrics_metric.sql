
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select metric
from "gen40"."seeds"."benchmark_metrics"
where metric is null



  
  
      
    ) dbt_internal_test