
select article_id, stat_date, count(*) as occurrences
from "gen40"."staging"."stg_seo__article_daily_stats"
group by article_id, stat_date
having count(*) > 1
