
    
    



select reason
from "gen40"."staging"."quarantine_seo__blog_articles"
where reason is null


