"""asv benchmarks of << name >>."""
