
    
    



select order_id
from "gen40"."staging"."stg_shop__orders"
where order_id is null


