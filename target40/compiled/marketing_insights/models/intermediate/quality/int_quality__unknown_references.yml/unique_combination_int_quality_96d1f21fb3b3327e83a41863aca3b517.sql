
select table_name, row_key, count(*) as occurrences
from "gen40"."intermediate"."int_quality__unknown_references"
group by table_name, row_key
having count(*) > 1
