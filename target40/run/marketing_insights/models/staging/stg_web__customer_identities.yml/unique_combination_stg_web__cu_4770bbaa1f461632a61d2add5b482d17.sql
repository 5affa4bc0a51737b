
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select store_id, visitor_id, count(*) as occurrences
from "gen40"."staging"."stg_web__customer_identities"
group by store_id, visitor_id
having count(*) > 1

  
  
      
    ) dbt_internal_test