
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select source_id
from "gen40"."seeds"."benchmark_ranges"
where source_id is null



  
  
      
    ) dbt_internal_test