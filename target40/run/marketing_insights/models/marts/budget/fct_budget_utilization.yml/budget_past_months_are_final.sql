
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select * from "gen40"."marts"."fct_budget_utilization" where not is_current_month and (projected_spend <> spent or days_elapsed <> days_in_month)

  
  
      
    ) dbt_internal_test