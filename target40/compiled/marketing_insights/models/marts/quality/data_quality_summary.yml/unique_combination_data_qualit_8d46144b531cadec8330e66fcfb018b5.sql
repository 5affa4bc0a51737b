
select store_id, table_name, reason, count(*) as occurrences
from "gen40"."marts"."data_quality_summary"
group by store_id, table_name, reason
having count(*) > 1
