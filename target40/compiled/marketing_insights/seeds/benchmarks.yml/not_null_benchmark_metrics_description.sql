
    
    



select description
from "gen40"."seeds"."benchmark_metrics"
where description is null


