
-- Fixture for fct_benchmark_comparison
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('ads' as text)
 as "channel", 
    
    cast('roas' as text)
 as "metric", 
    
    cast('daily' as text)
 as "period", 
    
    cast('2024-03-10' as date)
 as "period_start", 
    
    cast('general' as text)
 as "industry", cast(null as numeric(20,4)) as "value", 
    
    cast(1 as numeric(12,4))
 as "poor", 
    
    cast(2 as numeric(12,4))
 as "average", 
    
    cast(4 as numeric(12,4))
 as "good", 
    
    cast(6 as numeric(12,4))
 as "excellent", 
    
    cast('higher_is_better' as text)
 as "direction", cast(null as text) as "rating"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('social' as text)
 as "channel", 
    
    cast('roas' as text)
 as "metric", 
    
    cast('daily' as text)
 as "period", 
    
    cast('2024-03-10' as date)
 as "period_start", 
    
    cast('general' as text)
 as "industry", cast(null as numeric(20,4)) as "value", 
    
    cast(1 as numeric(12,4))
 as "poor", 
    
    cast(2 as numeric(12,4))
 as "average", 
    
    cast(4 as numeric(12,4))
 as "good", 
    
    cast(6 as numeric(12,4))
 as "excellent", 
    
    cast('higher_is_better' as text)
 as "direction", cast(null as text) as "rating"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('seo' as text)
 as "channel", 
    
    cast('roas' as text)
 as "metric", 
    
    cast('daily' as text)
 as "period", 
    
    cast('2024-03-10' as date)
 as "period_start", 
    
    cast('general' as text)
 as "industry", cast(null as numeric(20,4)) as "value", 
    
    cast(1 as numeric(12,4))
 as "poor", 
    
    cast(2 as numeric(12,4))
 as "average", 
    
    cast(4 as numeric(12,4))
 as "good", 
    
    cast(6 as numeric(12,4))
 as "excellent", 
    
    cast('higher_is_better' as text)
 as "direction", cast(null as text) as "rating"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('email' as text)
 as "channel", 
    
    cast('cpa' as text)
 as "metric", 
    
    cast('daily' as text)
 as "period", 
    
    cast('2024-03-10' as date)
 as "period_start", 
    
    cast('general' as text)
 as "industry", cast(null as numeric(20,4)) as "value", 
    
    cast(80 as numeric(12,4))
 as "poor", 
    
    cast(50 as numeric(12,4))
 as "average", 
    
    cast(30 as numeric(12,4))
 as "good", 
    
    cast(20 as numeric(12,4))
 as "excellent", 
    
    cast('lower_is_better' as text)
 as "direction", cast(null as text) as "rating"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('influencer' as text)
 as "channel", 
    
    cast('cpa' as text)
 as "metric", 
    
    cast('daily' as text)
 as "period", 
    
    cast('2024-03-10' as date)
 as "period_start", 
    
    cast('general' as text)
 as "industry", cast(null as numeric(20,4)) as "value", 
    
    cast(80 as numeric(12,4))
 as "poor", 
    
    cast(50 as numeric(12,4))
 as "average", 
    
    cast(30 as numeric(12,4))
 as "good", 
    
    cast(20 as numeric(12,4))
 as "excellent", 
    
    cast('lower_is_better' as text)
 as "direction", cast(null as text) as "rating"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('ads' as text)
 as "channel", 
    
    cast('cpc' as text)
 as "metric", 
    
    cast('daily' as text)
 as "period", 
    
    cast('2024-03-10' as date)
 as "period_start", 
    
    cast('general' as text)
 as "industry", cast(null as numeric(20,4)) as "value", 
    
    cast(0.1 as numeric(12,4))
 as "poor", 
    
    cast(0.05 as numeric(12,4))
 as "average", 
    
    cast(0.02 as numeric(12,4))
 as "good", 
    
    cast(0.01 as numeric(12,4))
 as "excellent", 
    
    cast('lower_is_better' as text)
 as "direction", cast(null as text) as "rating"