
    
    



select spend_id
from "gen40"."staging"."stg_finance__marketing_spend"
where spend_id is null


