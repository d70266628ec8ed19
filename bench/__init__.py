"""Benchmarks, the load driver and the health check (see docs/performance.md)."""
