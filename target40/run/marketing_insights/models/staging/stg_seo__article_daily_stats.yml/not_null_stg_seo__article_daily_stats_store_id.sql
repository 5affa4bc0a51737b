
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select store_id
from "gen40"."staging"."stg_seo__article_daily_stats"
where store_id is null



  
  
      
    ) dbt_internal_test