
    
    



select reason
from "gen40"."staging"."quarantine_web__customer_identities"
where reason is null


