
    
    

with all_values as (

    select
        kind as value_field,
        count(*) as n_records

    from "gen40"."marts"."fct_markov_transitions"
    group by kind

)

select *
from all_values
where value_field not in (
    'transition','chain_total','passthrough','converting_channel'
)


