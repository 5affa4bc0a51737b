
select order_id, model, touchpoint_id, count(*) as occurrences
from "gen40"."marts"."fct_attribution_credits"
group by order_id, model, touchpoint_id
having count(*) > 1
