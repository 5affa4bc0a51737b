
select store_id, channel, source, period, period_start, count(*) as occurrences
from "gen40"."marts"."fct_unified_metrics"
group by store_id, channel, source, period, period_start
having count(*) > 1
