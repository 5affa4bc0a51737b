
    
    

with child as (
    select source_id as from_field
    from "gen40"."seeds"."benchmark_ranges"
    where source_id is not null
),

parent as (
    select source_id as to_field
    from "gen40"."seeds"."benchmark_sources"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null


