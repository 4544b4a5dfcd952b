#!/usr/bin/env python3
"""Writes the small seed inputs of every fuzz target into fuzz/corpus/<target>/seed-*.

Seeds that come from the real-data corpus are cut down (a few files of a PyPI page, a few edges
of a devstats dump) so that they fit the targets' -max_len; the rest are written here. Run it
from anywhere: `AGORA_CORPUS=/path/to/shared/data python3 fuzz/seed_from_corpus.py`.
"""

import hashlib
import io
import json
import os
import pathlib
import sys
import zipfile
from base64 import urlsafe_b64encode

HERE = pathlib.Path(__file__).resolve().parent
DATA = pathlib.Path(os.environ.get("AGORA_CORPUS", HERE.parent.parent / "shared" / "data"))


def write(target, name, content):
    folder = HERE / "corpus" / target
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode()
    (folder / f"seed-{name}").write_bytes(content)


PY_MODULE = '''"""A module with numpydoc docstrings."""

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
'''

DOCSTRING = '''Compute the mean.

Extended summary that spans
two lines.

Parameters
----------
a : array_like
    The values.
axis : int, optional
    The axis.
*args, **kwargs
    Passed on.

Returns
-------
float
    The mean.

Raises
------
ValueError
    When empty.

See Also
--------
median, average : Other averages.
numpy.std

Notes
-----
.. versionadded:: 1.0

Examples
--------
>>> mean([1, 2])
1.5
'''


def make_wheel():
    files = {
        "demo/__init__.py": b'"""Demo."""\n__version__ = "1.0"\n',
        "demo-1.0.dist-info/METADATA": (
            b"Metadata-Version: 2.4\nName: demo\nVersion: 1.0\nSummary: A demo\n"
            b"Requires-Python: >=3.10\nRequires-Dist: numpy>=1.26; python_version >= '3.10'\n"
            b"Provides-Extra: test\nRequires-Dist: pytest; extra == 'test'\n"
            b"Description-Content-Type: text/markdown\n\n# demo\n"
        ),
        "demo-1.0.dist-info/WHEEL": (
            b"Wheel-Version: 1.0\nGenerator: hand\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        ),
    }
    record = ""
    for name, data in files.items():
        digest = urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record += f"{name},sha256={digest},{len(data)}\n"
    record += "demo-1.0.dist-info/RECORD,,\n"
    files["demo-1.0.dist-info/RECORD"] = record.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return files, buffer.getvalue()


def write_extension_module():
    """A small extension-like shared object (needs a C compiler; skipped without one)."""
    import shutil
    import subprocess
    import tempfile

    if shutil.which("cc") is None:
        return
    with tempfile.TemporaryDirectory() as tmp:
        source = pathlib.Path(tmp) / "ext.c"
        source.write_text(
            "#include <math.h>\n#include <string.h>\n"
            "double demo(const char *s) { return sqrt((double)strlen(s)); }\n"
        )
        target = pathlib.Path(tmp) / "_ext.so"
        subprocess.run(
            ["cc", "-shared", "-fPIC", "-Os", "-s", "-o", str(target), str(source), "-lm"],
            check=True,
        )
        write("wheel_binary", "ext.so", target.read_bytes())


def main():
    if not DATA.is_dir():
        sys.exit(f"no corpus at {DATA}: set AGORA_CORPUS")

    write("python_source", "numpydoc-module.py", PY_MODULE)
    write("numpydoc_docstring", "function", b"\x02a,axis,*args,**kwargs\n" + DOCSTRING.encode())
    write("numpydoc_docstring", "class", b"\x01n\n" + DOCSTRING.encode())

    for project in ["scipy", "scikit-image"]:
        text = (DATA / "repo-review" / project / "pyproject.toml").read_bytes()
        write("pyproject_floors", f"{project}-pyproject.toml", text)
        write("numpydoc_config", f"{project}-pyproject.toml", b"\x00" + text)
    write(
        "numpydoc_config",
        "numpydoc-section.toml",
        b"\x00[tool.numpydoc_validation]\nchecks = ['all', 'GL08', 'SA01']\n"
        b"exclude = ['\\.undocumented_method$', '\\.__repr__$']\n"
        b"override_SS05 = ['^Process ', '^Assess ']\n",
    )
    write(
        "numpydoc_config",
        "setup.cfg",
        b"\x01[tool:numpydoc_validation]\nchecks = all,GL01,ES01\n"
        b"exclude = \\.__init__$\noverride_GL08 = ^_\n",
    )

    files, wheel = make_wheel()
    write("wheel_archive", "demo-1.0-py3-none-any.whl", wheel)
    for member in ["METADATA", "WHEEL", "RECORD"]:
        write("wheel_metadata", member, files[f"demo-1.0.dist-info/{member}"])
    write_extension_module()

    names = []
    for project in ["numpy", "networkx"]:
        page = json.loads((DATA / "pypi" / "simple" / f"{project}.json").read_text())
        picked = page["files"][:2] + page["files"][-2:]
        names += [f"{project}\n{f['filename']}" for f in picked]
        write("pypi_page", f"{project}.json", json.dumps({**page, "files": picked}, indent=1))
    for number, name in enumerate(names):
        write("dist_filename", str(number), name)

    results = DATA / "asv" / "kedro" / "results"
    write("asv_files", "result-v2.json", (results / "github-actions" / "e868adce-virtualenv-py3.11.json").read_bytes())
    write("asv_files", "asv.conf.json", (DATA / "asv" / "kedro" / "asv.conf.json").read_bytes())
    benchmarks = json.loads((results / "benchmarks.json").read_text())
    small = {k: v for k, v in list(benchmarks.items())[:3]}
    small["version"] = benchmarks.get("version", 2)
    write("asv_files", "benchmarks.json", json.dumps(small, indent=1))

    for prefix, name in [(b"\x00", "scipy_issues.json"), (b"\x01", "scipy_prs.json")]:
        edges = json.loads((DATA / "github" / "devstats" / name).read_text())[:3]
        write("devstats_dump", name, prefix + json.dumps(edges).encode())

    for number, query in enumerate([
        'sparse matrix repo:scipy/scipy is:pr is:merged label:"scipy.sparse"',
        'is:issue state:open -label:enhancement author:rgommers created:>=2020-01-01',
        '"memory leak" in:title,body comments:5..20 updated:2021-01-01..2021-06-30 optim*',
        'NOT wontfix involves:ev-br closed:<2019-05 org:scipy label:a,b',
    ]):
        write("search_query", str(number), query)

    write(
        "agora_toml",
        "agora.toml",
        "[ecosystem]\nname = \"demo\"\nindex-url = \"https://pypi.org/simple\"\n"
        "include-defaults = false\n\n[[project]]\nname = \"numpy\"\npypi = \"numpy\"\n"
        "repo = \"numpy/numpy\"\ndocs = \"https://numpy.org/doc/stable/\"\nrole = \"core\"\n\n"
        "checkout = \"../numpy\"\n\n[[project]]\nname = \"kedro\"\nrole = \"member\"\n\n"
        "[python]\n\"3.13\" = 2024-10-07\n\"3.14\" = 2025-10-07\n",
    )


if __name__ == "__main__":
    main()
