
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select stat_date
from "gen40"."staging"."stg_social__posts_daily"
where stat_date is null



  
  
      
    ) dbt_internal_test