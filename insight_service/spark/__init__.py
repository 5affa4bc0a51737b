"""The Apache Spark target (README "Spark"): a local Spark session over Parquet tables, the raw
loader of the sample and the copy of the marts into PostgreSQL for serving."""
