{#- Fails (or warns) with one failure per row matching `where`: the failure count is the
    number of offending rows, which is what a warn-level quarantine counter should show.
    `spark_condition`: the same rule in Spark SQL, for the few rules whose PostgreSQL form does not
    parse there (jsonb operators); the quality checkpoint reads `condition`, on PostgreSQL. -#}
{% test no_rows_where(model, condition, spark_condition=none) %}
select * from {{ model }} where {{ spark_condition if (spark_condition and target.type == 'spark') else condition }}
{% endtest %}
