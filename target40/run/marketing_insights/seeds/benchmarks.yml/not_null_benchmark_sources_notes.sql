
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select notes
from "gen40"."seeds"."benchmark_sources"
where notes is null



  
  
      
    ) dbt_internal_test