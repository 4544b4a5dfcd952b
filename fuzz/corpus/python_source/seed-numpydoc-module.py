"""A module with numpydoc docstrings."""

__all__ = ["mean", "Grid"]

import numpy as np


def mean(a, axis=None, *, keepdims=False, **kwargs):
    """
    Compute the arithmetic mean along the specified axis.

    Parameters
    ----------
    a : array_like
        Array containing numbers whose mean is desired.
    axis : None or int or tuple of ints, optional
        Axis or axes along which the means are computed.

    Returns
    -------
    m : ndarray
        The mean.

    See Also
    --------
    average : Weighted average.

    Examples
    --------
    >>> mean([1, 2])
    1.5
    """
    return np.mean(a, axis=axis)  # numpydoc ignore=PR01


class Grid:
    """A grid.

    Parameters
    ----------
    n : int
        Size.
    """

    def __init__(self, n: int = 3) -> None:
        self.n = n

    @property
    def size(self):
        """int: The size."""
        return self.n

    def cells(self):
        """Yield the cells.

        Yields
        ------
        int
            A cell.
        """
        yield from range(self.n)


async def fetch(url: str, /, timeout: float = 1.0) -> bytes:
    """Fetch.
    """
    async with session(url) as s:
        return [x async for x in s if (y := x)]
