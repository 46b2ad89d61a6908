"""Benchmarks and truth, apart from the product: `oracle/` composes crawls with known truth and scores
an export (quality), `perf/` times builds, updates and queries (speed). See bench/README.md."""
