
    
    



select store_id
from "gen40"."staging"."stg_influencer__contracts"
where store_id is null


