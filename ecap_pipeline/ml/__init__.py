"""Predictive models on warehouse data: plain Python (numpy, scipy, polars), no Dagster."""
