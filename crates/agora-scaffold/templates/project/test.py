"""Tests of << module >>."""

from __future__ import annotations

import pytest

import << module >>


def test_version() -> None:
    """The version comes from the installed package's metadata."""
    assert << module >>.__version__ == "0.1.0"


def test_mean() -> None:
    """The mean of a few integers."""
    assert << module >>.mean([1, 2, 3, 4]) == 2.5


def test_mean_of_nothing() -> None:
    """No values is an error, not a division by zero."""
    with pytest.raises(ValueError, match="no values"):
        << module >>.mean([])
