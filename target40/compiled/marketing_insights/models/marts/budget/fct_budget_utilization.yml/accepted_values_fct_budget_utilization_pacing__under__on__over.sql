
    
    

with all_values as (

    select
        pacing as value_field,
        count(*) as n_records

    from "gen40"."marts"."fct_budget_utilization"
    group by pacing

)

select *
from all_values
where value_field not in (
    'under','on','over'
)


