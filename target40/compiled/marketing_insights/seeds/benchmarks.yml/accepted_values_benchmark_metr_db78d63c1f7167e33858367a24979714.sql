
    
    

with all_values as (

    select
        metric as value_field,
        count(*) as n_records

    from "gen40"."seeds"."benchmark_metrics"
    group by metric

)

select *
from all_values
where value_field not in (
    'conversion_rate','bounce_rate','engagement_rate','cpc','cpa','roas','roi'
)


