"""Benchmarks of << name >> for asv."""
