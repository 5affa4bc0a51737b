
    
    



select reason
from "gen40"."staging"."quarantine_shop__orders"
where reason is null


