
    
    



select amount
from "gen40"."staging"."stg_finance__marketing_spend"
where amount is null


