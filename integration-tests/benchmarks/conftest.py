"""Benchmarks (``nox -s bench``): pytest-benchmark suites that report ratios, never fail on time."""
