
    
    



select unit
from "gen40"."seeds"."benchmark_metrics"
where unit is null


