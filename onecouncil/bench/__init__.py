"""Benchmarks: run as modules (`python -m onecouncil.bench.<name>`), never as timed tests."""
