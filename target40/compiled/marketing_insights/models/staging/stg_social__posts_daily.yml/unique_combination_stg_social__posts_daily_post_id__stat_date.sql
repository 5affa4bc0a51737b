
select post_id, stat_date, count(*) as occurrences
from "gen40"."staging"."stg_social__posts_daily"
group by post_id, stat_date
having count(*) > 1
