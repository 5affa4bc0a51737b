
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select table_name, row_key, count(*) as occurrences
from "gen40"."intermediate"."int_quality__unknown_references"
group by table_name, row_key
having count(*) > 1

  
  
      
    ) dbt_internal_test