
    
    



select source_id
from "gen40"."seeds"."benchmark_ranges"
where source_id is null


