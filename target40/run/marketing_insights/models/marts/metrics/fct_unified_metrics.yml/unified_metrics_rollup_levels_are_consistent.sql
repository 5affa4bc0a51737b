
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select * from "gen40"."marts"."fct_unified_metrics" where channel = 'overall' and source <> 'all'

  
  
      
    ) dbt_internal_test