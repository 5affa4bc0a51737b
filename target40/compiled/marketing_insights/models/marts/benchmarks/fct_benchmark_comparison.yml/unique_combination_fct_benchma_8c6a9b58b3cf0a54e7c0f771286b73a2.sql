
select store_id, channel, metric, period, period_start, count(*) as occurrences
from "gen40"."marts"."fct_benchmark_comparison"
group by store_id, channel, metric, period, period_start
having count(*) > 1
