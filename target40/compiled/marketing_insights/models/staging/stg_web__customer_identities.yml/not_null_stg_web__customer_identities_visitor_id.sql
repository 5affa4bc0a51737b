
    
    



select visitor_id
from "gen40"."staging"."stg_web__customer_identities"
where visitor_id is null


