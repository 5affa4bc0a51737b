
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  -- Every benchmarked metric must be a ratio column of fct_unified_metrics (fct_benchmark_comparison reads
-- the value from the column of the same name), and every banded channel a channel of dim_channels.
-- Returns the seeded metrics/channels the marts cannot rate.

select 'metric' as kind, metric as name
from "gen40"."seeds"."benchmark_metrics"
where metric not in ('conversion_rate', 'bounce_rate', 'engagement_rate', 'cpc', 'cpa', 'roas', 'roi', 'avg_session_duration_s')
union all
select distinct 'channel', ranges.channel
from "gen40"."seeds"."benchmark_ranges" as ranges
left join "gen40"."marts"."dim_channels" as channels on channels.channel = ranges.channel
where channels.channel is null
  
  
      
    ) dbt_internal_test