"""Deterministic, realistic sample data for the raw schema (see ../shared/contracts/raw_sources.md)."""
