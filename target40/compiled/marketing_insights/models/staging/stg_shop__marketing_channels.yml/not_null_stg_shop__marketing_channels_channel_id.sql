
    
    



select channel_id
from "gen40"."staging"."stg_shop__marketing_channels"
where channel_id is null


