
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select store_id
from "gen40"."staging"."stg_influencer__campaigns"
where store_id is null



  
  
      
    ) dbt_internal_test