
    
    



select reason
from "gen40"."staging"."quarantine_shop__marketing_channels"
where reason is null


