
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select spend_date
from "gen40"."staging"."stg_finance__marketing_spend"
where spend_date is null



  
  
      
    ) dbt_internal_test