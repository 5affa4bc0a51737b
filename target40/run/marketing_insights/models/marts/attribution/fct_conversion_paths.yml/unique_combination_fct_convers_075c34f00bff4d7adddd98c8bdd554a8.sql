
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select store_id, month_start, channel_path, count(*) as occurrences
from "gen40"."marts"."fct_conversion_paths"
group by store_id, month_start, channel_path
having count(*) > 1

  
  
      
    ) dbt_internal_test