
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select publisher
from "gen40"."seeds"."benchmark_sources"
where publisher is null



  
  
      
    ) dbt_internal_test