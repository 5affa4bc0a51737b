
    
    



select reason
from "gen40"."staging"."quarantine_social__posts_daily"
where reason is null


