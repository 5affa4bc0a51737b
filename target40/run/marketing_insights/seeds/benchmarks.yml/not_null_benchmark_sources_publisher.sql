
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select publisher
from "gen40"."seeds"."benchmark_sources"
where publisher is null



  
  
      
    ) dbt_internal_test