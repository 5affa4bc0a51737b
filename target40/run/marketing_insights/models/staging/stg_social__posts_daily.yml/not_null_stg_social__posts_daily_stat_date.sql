
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select stat_date
from "gen40"."staging"."stg_social__posts_daily"
where stat_date is null



  
  
      
    ) dbt_internal_test