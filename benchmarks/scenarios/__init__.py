"""Benchmark scenarios, one module per page. Each module defines SCENARIOS: list[Scenario]."""
