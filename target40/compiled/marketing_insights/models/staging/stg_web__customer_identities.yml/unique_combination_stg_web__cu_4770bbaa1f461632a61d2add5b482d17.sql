
select store_id, visitor_id, count(*) as occurrences
from "gen40"."staging"."stg_web__customer_identities"
group by store_id, visitor_id
having count(*) > 1
