
    
    

select
    article_id as unique_field,
    count(*) as n_records

from "gen40"."staging"."stg_seo__blog_articles"
where article_id is not null
group by article_id
having count(*) > 1


