
    
    



select store_id
from "gen40"."staging"."stg_finance__marketing_spend"
where store_id is null


