"""Benchmarks, never timed tests: `make bench` (`python -m onecouncil.bench`) prints issue
13's figures against their goals; `python -m onecouncil.bench.ledger_load` the loader's alone."""
