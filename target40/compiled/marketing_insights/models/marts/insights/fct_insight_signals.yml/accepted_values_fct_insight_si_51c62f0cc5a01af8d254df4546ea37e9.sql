
    
    

with all_values as (

    select
        comparison_kind as value_field,
        count(*) as n_records

    from "gen40"."marts"."fct_insight_signals"
    group by comparison_kind

)

select *
from all_values
where value_field not in (
    'previous_period','benchmark','budget','trailing_weeks','channel_share'
)


