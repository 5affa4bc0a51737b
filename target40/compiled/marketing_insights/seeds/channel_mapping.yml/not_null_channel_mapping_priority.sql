
    
    



select priority
from "gen40"."seeds"."channel_mapping"
where priority is null


