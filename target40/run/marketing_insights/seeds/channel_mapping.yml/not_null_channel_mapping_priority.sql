
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select priority
from "gen40"."seeds"."channel_mapping"
where priority is null



  
  
      
    ) dbt_internal_test