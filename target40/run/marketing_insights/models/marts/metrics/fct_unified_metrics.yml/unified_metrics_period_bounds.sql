
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select * from "gen40"."marts"."fct_unified_metrics" where (period = 'daily' and period_end <> period_start) or (period = 'weekly' and (extract(isodow from period_start) <> 1 or period_end <> period_start + 6)) or (period = 'monthly' and (extract(day from period_start) <> 1
    or period_end <> (period_start + interval '1 month')::date - 1))

  
  
      
    ) dbt_internal_test