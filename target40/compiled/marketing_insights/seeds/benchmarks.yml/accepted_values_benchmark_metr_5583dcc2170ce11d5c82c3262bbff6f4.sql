
    
    

with all_values as (

    select
        direction as value_field,
        count(*) as n_records

    from "gen40"."seeds"."benchmark_metrics"
    group by direction

)

select *
from all_values
where value_field not in (
    'higher_is_better','lower_is_better'
)


