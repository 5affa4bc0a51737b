{#- accepted_values whose list is a seed column (`to`, `field`): the channels and attribution models
    are written once, in seeds/channels.csv and seeds/attribution_models.csv. `parent_where` keeps
    part of the seed (e.g. the rule-based models); `extra_values` are accepted besides the seed's
    (`overall`, `unattributed`). Like accepted_values: nulls pass, one failure row per bad value. -#}
{% test accepted_seed_values(model, column_name, to, field, parent_where='true', extra_values=[]) %}
with

checked as (
    -- distinct values first: the checked models are large, the list is short
    select {{ column_name }} as value, count(*) as n_records
    from {{ model }}
    where {{ column_name }} is not null
    group by {{ column_name }}
)

select checked.value, checked.n_records
from checked
where checked.value not in (select accepted.{{ field }} from {{ to }} as accepted where {{ parent_where }})
{%- for extra in extra_values %}
    and checked.value <> '{{ extra }}'
{%- endfor %}
{% endtest %}
