
    
    



select spend_date
from "gen40"."staging"."stg_finance__marketing_spend"
where spend_date is null


