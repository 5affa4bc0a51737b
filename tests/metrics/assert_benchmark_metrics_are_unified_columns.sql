-- Every benchmarked metric must be a ratio column of fct_unified_metrics (fct_benchmark_comparison reads
-- the value from the column of the same name), and every banded channel a channel of dim_channels.
-- Returns the seeded metrics/channels the marts cannot rate.

select 'metric' as kind, metric as name
from {{ ref('benchmark_metrics') }}
where metric not in ({% for column in metrics_benchmarkable_columns() %}
    '{{ column }}'{% if not loop.last %},{% endif %}{% endfor %}
)
union all
select distinct 'channel', ranges.channel
from {{ ref('benchmark_ranges') }} as ranges
left join {{ ref('dim_channels') }} as channels on channels.channel = ranges.channel
where channels.channel is null
