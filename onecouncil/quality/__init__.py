"""Data-quality checks (dbt data tests and Great Expectations suites) and their one verdict."""
