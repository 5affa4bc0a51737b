
    
    

with all_values as (

    select
        severity as value_field,
        count(*) as n_records

    from "gen40"."marts"."fct_insight_signals"
    group by severity

)

select *
from all_values
where value_field not in (
    'high','medium','low'
)


