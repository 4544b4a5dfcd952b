"""Benchmarks of << name >>, run by asv (`asv run`); `agora bench ingest` reads the results."""

from __future__ import annotations

import << module >>


class TimeMean:
    """How long `<< module >>.mean` takes on a thousand values."""

    def setup(self) -> None:
        """Make the values."""
        self.values = [float(i) for i in range(1000)]

    def time_mean(self) -> None:
        """Time one call."""
        << module >>.mean(self.values)
