
    
    

with all_values as (

    select
        model as value_field,
        count(*) as n_records

    from "gen40"."marts"."fct_attribution_credits"
    group by model

)

select *
from all_values
where value_field not in (
    'first_touch','last_touch','linear','position_based','time_decay'
)


