"""Transformations: the dbt project in dbt/, run in-process (onecouncil.transform.dbt)."""
