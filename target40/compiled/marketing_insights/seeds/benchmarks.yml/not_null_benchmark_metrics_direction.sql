
    
    



select direction
from "gen40"."seeds"."benchmark_metrics"
where direction is null


