"""Sphinx configuration of << name >>'s documentation."""

from __future__ import annotations

import importlib.metadata

project = "<< name >>"
author = "<< author >>"
copyright = f"<< year >>, {author}"
version = release = importlib.metadata.version("<< name >>")

extensions = [
    "myst_parser",
    "numpydoc",
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
]
source_suffix = [".md", ".rst"]
exclude_patterns = ["_build"]
intersphinx_mapping = {"python": ("https://docs.python.org/3", None)}
nitpicky = True
