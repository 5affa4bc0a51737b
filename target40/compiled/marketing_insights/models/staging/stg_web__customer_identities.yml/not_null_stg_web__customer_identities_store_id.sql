
    
    



select store_id
from "gen40"."staging"."stg_web__customer_identities"
where store_id is null


