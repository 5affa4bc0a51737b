
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select url
from "gen40"."seeds"."benchmark_sources"
where url is null



  
  
      
    ) dbt_internal_test