
    
    



select created_at
from "gen40"."staging"."stg_shop__orders"
where created_at is null


