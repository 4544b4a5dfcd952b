"""
The << name >> package.

<< description >>
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterable

<% if backend == "meson-python" %>
from ._core import total

<% endif %>
__all__ = ["__version__", "mean"]

__version__ = importlib.metadata.version("<< name >>")


def mean(values: Iterable[float]) -> float:
    """
    Return the arithmetic mean of some numbers.

    Parameters
    ----------
    values : iterable of float
        The numbers, at least one.

    Returns
    -------
    float
        Their sum divided by how many there are.

    Raises
    ------
    ValueError
        If `values` is empty.
    """
    numbers = [float(value) for value in values]
    if not numbers:
        msg = "mean() of no values"
        raise ValueError(msg)
<% if backend == "meson-python" %>
    return total(numbers) / len(numbers)
<% else %>
    return sum(numbers) / len(numbers)
<% endif %>
