
select channel, metric, industry, count(*) as occurrences
from "gen40"."marts"."dim_benchmarks"
group by channel, metric, industry
having count(*) > 1
