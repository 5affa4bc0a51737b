
select platform, campaign_id, stat_date, count(*) as occurrences
from "gen40"."staging"."stg_ads__campaign_daily"
group by platform, campaign_id, stat_date
having count(*) > 1
