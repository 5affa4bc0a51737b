
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select direction
from "gen40"."seeds"."benchmark_metrics"
where direction is null



  
  
      
    ) dbt_internal_test