
    
    

select
    metric as unique_field,
    count(*) as n_records

from "gen40"."seeds"."benchmark_metrics"
where metric is not null
group by metric
having count(*) > 1


