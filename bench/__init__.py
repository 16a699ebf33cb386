"""Benchmark for Posyantek: run with `make bench` (see bench/README.md)."""
