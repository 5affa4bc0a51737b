
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select channel, metric, industry, count(*) as occurrences
from "gen40"."marts"."dim_benchmarks"
group by channel, metric, industry
having count(*) > 1

  
  
      
    ) dbt_internal_test