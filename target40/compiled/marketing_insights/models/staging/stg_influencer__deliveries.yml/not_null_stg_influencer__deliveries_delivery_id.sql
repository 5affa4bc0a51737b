
    
    



select delivery_id
from "gen40"."staging"."stg_influencer__deliveries"
where delivery_id is null


