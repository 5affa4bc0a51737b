
    
    

select
    article_id as unique_field,
    count(*) as n_records

from "gen40"."intermediate"."int_seo__articles"
where article_id is not null
group by article_id
having count(*) > 1


