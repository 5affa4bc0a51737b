
select store_id, date, model, channel, count(*) as occurrences
from "gen40"."marts"."fct_channel_attribution_daily"
group by store_id, date, model, channel
having count(*) > 1
