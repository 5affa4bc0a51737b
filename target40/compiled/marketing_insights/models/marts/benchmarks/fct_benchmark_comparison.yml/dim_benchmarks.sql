
-- Fixture for dim_benchmarks
select 
    
    cast('ads' as text)
 as "channel", 
    
    cast('roas' as text)
 as "metric", 
    
    cast('general' as text)
 as "industry", 
    
    cast(1 as numeric(12,4))
 as "poor", 
    
    cast(2 as numeric(12,4))
 as "average", 
    
    cast(4 as numeric(12,4))
 as "good", 
    
    cast(6 as numeric(12,4))
 as "excellent", 
    
    cast('higher_is_better' as text)
 as "direction", cast(null as text) as "unit", cast(null as text) as "metric_description", cast(null as text) as "source_id", cast(null as text) as "source_publisher", cast(null as text) as "source_title", cast(null as text) as "source_year", cast(null as text) as "source_url"