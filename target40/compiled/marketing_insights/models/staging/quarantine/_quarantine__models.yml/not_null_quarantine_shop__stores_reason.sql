
    
    



select reason
from "gen40"."staging"."quarantine_shop__stores"
where reason is null


