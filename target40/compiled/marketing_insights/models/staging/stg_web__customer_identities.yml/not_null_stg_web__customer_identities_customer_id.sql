
    
    



select customer_id
from "gen40"."staging"."stg_web__customer_identities"
where customer_id is null


