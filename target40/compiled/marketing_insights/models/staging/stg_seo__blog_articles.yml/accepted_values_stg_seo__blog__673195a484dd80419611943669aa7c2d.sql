
    
    

with all_values as (

    select
        status as value_field,
        count(*) as n_records

    from "gen40"."staging"."stg_seo__blog_articles"
    group by status

)

select *
from all_values
where value_field not in (
    'draft','scheduled','published','archived'
)


