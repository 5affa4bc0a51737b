
    
    



select metric
from "gen40"."seeds"."benchmark_metrics"
where metric is null


