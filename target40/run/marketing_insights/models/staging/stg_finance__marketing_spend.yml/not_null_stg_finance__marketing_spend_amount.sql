
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select amount
from "gen40"."staging"."stg_finance__marketing_spend"
where amount is null



  
  
      
    ) dbt_internal_test