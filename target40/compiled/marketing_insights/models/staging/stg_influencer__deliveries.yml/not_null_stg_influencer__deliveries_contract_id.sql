
    
    



select contract_id
from "gen40"."staging"."stg_influencer__deliveries"
where contract_id is null


