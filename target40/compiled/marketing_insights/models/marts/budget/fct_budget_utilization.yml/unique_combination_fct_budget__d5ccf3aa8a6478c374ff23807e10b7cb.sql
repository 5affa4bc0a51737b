
select store_id, channel, month_start, count(*) as occurrences
from "gen40"."marts"."fct_budget_utilization"
group by store_id, channel, month_start
having count(*) > 1
