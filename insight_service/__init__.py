"""Marketing insights warehouse: dbt marts plus a Flask insight service."""

__version__ = "0.1.0"
