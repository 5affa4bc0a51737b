
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select post_id, stat_date, count(*) as occurrences
from "gen40"."staging"."stg_social__posts_daily"
group by post_id, stat_date
having count(*) > 1

  
  
      
    ) dbt_internal_test