
    
    

with all_values as (

    select
        signal_type as value_field,
        count(*) as n_records

    from "gen40"."marts"."fct_insight_signals"
    group by signal_type

)

select *
from all_values
where value_field not in (
    'revenue_decline','revenue_growth','roas_below_benchmark','cpa_above_benchmark','budget_underutilized','budget_overpacing','marginal_efficiency_decline','outsized_source_revenue','sessions_drop'
)


