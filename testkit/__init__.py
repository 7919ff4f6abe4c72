"""Browser and server helpers shared by tests/ and benchmarks/ (neither imports the other)."""
