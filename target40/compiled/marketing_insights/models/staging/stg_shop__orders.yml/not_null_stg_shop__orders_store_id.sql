
    
    



select store_id
from "gen40"."staging"."stg_shop__orders"
where store_id is null


