
select item_type, item_id, count(*) as occurrences
from "gen40"."marts"."fct_marketing_calendar"
group by item_type, item_id
having count(*) > 1
