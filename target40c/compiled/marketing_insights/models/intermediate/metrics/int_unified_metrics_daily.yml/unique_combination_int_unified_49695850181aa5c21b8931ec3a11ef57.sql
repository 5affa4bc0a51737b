
select store_id, date, channel, source, count(*) as occurrences
from "gen40"."intermediate"."int_unified_metrics_daily"
group by store_id, date, channel, source
having count(*) > 1
