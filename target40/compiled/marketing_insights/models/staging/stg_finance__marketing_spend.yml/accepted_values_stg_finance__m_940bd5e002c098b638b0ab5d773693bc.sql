
    
    

with all_values as (

    select
        source_type as value_field,
        count(*) as n_records

    from "gen40"."staging"."stg_finance__marketing_spend"
    group by source_type

)

select *
from all_values
where value_field not in (
    'article','contract','campaign','tool','other'
)


