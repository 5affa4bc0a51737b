
    
    



select source_id
from "gen40"."seeds"."benchmark_sources"
where source_id is null


