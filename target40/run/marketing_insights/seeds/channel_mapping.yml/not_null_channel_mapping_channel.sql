
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select channel
from "gen40"."seeds"."channel_mapping"
where channel is null



  
  
      
    ) dbt_internal_test