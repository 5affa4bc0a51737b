
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select amount
from "gen40"."staging"."stg_finance__marketing_spend"
where amount is null



  
  
      
    ) dbt_internal_test