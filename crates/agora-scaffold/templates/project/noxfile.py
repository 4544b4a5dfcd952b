#!/usr/bin/env -S uv run --script
# /// script
# dependencies = ["nox>=2025.10.14"]
# ///
"""Tasks for << name >>: `nox` runs the tests, `nox -s docs` builds the documentation."""

from __future__ import annotations

import nox

nox.needs_version = ">=2025.10.14"
nox.options.default_venv_backend = "uv|virtualenv"


@nox.session(default=True)
def tests(session: nox.Session) -> None:
    """
    Run the tests.

    Parameters
    ----------
    session : nox.Session
        The session nox passes in; extra arguments (`nox -- -x`) go to pytest.
    """
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session(default=False)
def docs(session: nox.Session) -> None:
    """
    Build the documentation into docs/_build/html.

    Parameters
    ----------
    session : nox.Session
        The session nox passes in.
    """
    session.install("-e", ".[docs]")
    session.run("sphinx-build", "-W", "-b", "html", "docs", "docs/_build/html")


if __name__ == "__main__":
    nox.main()
