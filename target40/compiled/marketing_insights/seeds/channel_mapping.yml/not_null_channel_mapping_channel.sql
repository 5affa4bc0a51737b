
    
    



select channel
from "gen40"."seeds"."channel_mapping"
where channel is null


