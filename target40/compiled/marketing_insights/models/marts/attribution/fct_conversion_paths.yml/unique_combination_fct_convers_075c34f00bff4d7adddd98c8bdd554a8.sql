
select store_id, month_start, channel_path, count(*) as occurrences
from "gen40"."marts"."fct_conversion_paths"
group by store_id, month_start, channel_path
having count(*) > 1
