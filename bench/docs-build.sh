#!/usr/bin/env bash
# Benchmark: `agora docs build` against Sphinx (autodoc + autosummary + numpydoc with
# pydata-sphinx-theme, the stack scientific-Python projects build their API reference with)
# and against `griffe dump -d numpy` (the fastest static extractor; extraction alone), on
# networkx 3.6.1, side by side in one run.
#
# The sdist is fetched from PyPI into .cache/sdists (sha256-checked); the anchors go into a
# git-ignored venv ($VENV, default .venv-docs-bench) with networkx 3.6.1 itself, which Sphinx
# imports. The Sphinx project documents every public module of networkx recursively with
# autosummary, with templates that give every function, class, method and attribute a page
# as agora does (numpydoc sections, the pydata theme); the page counts of both are printed.
# Commands, each run $RUNS times (default 3; Sphinx once, it takes minutes):
#   sphinx (autodoc+autosummary+numpydoc, pydata theme)   python -m sphinx -b html -j 1 …
#   griffe dump -d numpy                                  griffe dump networkx -s SRC -d numpy
#   agora docs build (pages + objects.inv)                agora docs build SDIST --out DIR
#   agora docs build --no-pages (extraction + inventory)  agora docs build SDIST --no-pages …
# Wall time and peak memory (max RSS, from GNU time) of each are printed as a Markdown table,
# with the ratios to agora's. Record them in bench/RESULTS.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/agora-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
RUNS="${RUNS:-3}"

SDIST=".cache/sdists/networkx-3.6.1.tar.gz"
SHA256="26b7c357accc0c8cde558ad486283728b65b6a95d85ee1cd66bafab4c8168509"
if ! echo "$SHA256  $SDIST" | sha256sum --check --status 2>/dev/null; then
    mkdir -p .cache/sdists
    curl -fsSL --retry 3 -o "$SDIST.part" \
        "https://files.pythonhosted.org/packages/6a/51/63fe664f3908c97be9d2e4f1158eb633317598cfa6e1fc14af5383f17512/networkx-3.6.1.tar.gz"
    echo "$SHA256  $SDIST.part" | sha256sum --check --status
    mv "$SDIST.part" "$SDIST"
fi
tar xzf "$SDIST" -C "$WORK"
SRC="$WORK/networkx-3.6.1"

VENV="${VENV:-$ROOT/.venv-docs-bench}"
if ! "$VENV/bin/python" -c "import sphinx, numpydoc, pydata_sphinx_theme, griffe, networkx" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check \
        "sphinx==9.0.4" "numpydoc==1.11.0" "pydata-sphinx-theme==0.24.0" "griffe==2.4.1" "networkx==3.6.1" >&2
fi

# AGORA=/path/to/agora runs a binary built beforehand (say which build in RESULTS.md).
if [[ -z "${AGORA:-}" ]]; then
    echo "building agora (release)…" >&2
    cargo build --release --quiet -p agora
    AGORA="${CARGO_TARGET_DIR:-$ROOT/target}/release/agora"
fi

# The Sphinx project: every public module of networkx, recursively, and a page per object in
# it, as agora writes one. Sphinx's default autosummary templates list a module's functions
# and classes without a page for each (349 pages on networkx); these templates give each
# function, class, exception, method and attribute its own page, the way numpy's and scipy's
# API references are built (`:toctree:` in the module and class templates). Test modules are
# left out, as agora leaves them out.
mkdir -p "$WORK/sphinx/_templates/autosummary"
cat >"$WORK/sphinx/conf.py" <<'PY'
project = "NetworkX"
extensions = ["sphinx.ext.autodoc", "sphinx.ext.autosummary", "numpydoc"]
autosummary_generate = True
templates_path = ["_templates"]
numpydoc_show_class_members = False
html_theme = "pydata_sphinx_theme"
suppress_warnings = ["autosummary", "autodoc", "toc", "ref"]
PY
cat >"$WORK/sphinx/_templates/autosummary/module.rst" <<'RST'
{{ fullname | escape | underline }}

.. automodule:: {{ fullname }}

{% for title, items in [("Functions", functions), ("Classes", classes), ("Exceptions", exceptions), ("Data", attributes)] %}
{% if items %}
.. rubric:: {{ title }}

.. autosummary::
   :toctree:

{% for item in items %}
   {{ item }}
{% endfor %}
{% endif %}
{% endfor %}
{% if modules %}
.. rubric:: Modules

.. autosummary::
   :toctree:
   :recursive:

{% for item in modules if item.split(".")[-1] not in ("tests", "conftest") %}
   {{ item }}
{% endfor %}
{% endif %}
RST
cat >"$WORK/sphinx/_templates/autosummary/class.rst" <<'RST'
{{ fullname | escape | underline }}

.. currentmodule:: {{ module }}

.. autoclass:: {{ objname }}

{% for title, items in [("Methods", methods), ("Attributes", attributes)] %}
{% set items = items | reject("equalto", "__init__") | list %}
{% if items %}
.. rubric:: {{ title }}

.. autosummary::
   :toctree:

{% for item in items %}
   {{ objname }}.{{ item }}
{% endfor %}
{% endif %}
{% endfor %}
RST
cat >"$WORK/sphinx/index.rst" <<'RST'
NetworkX API
============

.. autosummary::
   :toctree: generated
   :recursive:

   networkx
RST

# run NAME COMMAND…: wall seconds and max RSS (MiB), appended to $WORK/results.tsv.
run() {
    local name="$1"
    shift
    /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >"$WORK/out.txt" 2>&1 || {
        echo "error: $name failed:" >&2
        tail -20 "$WORK/out.txt" >&2
        exit 1
    }
    read -r seconds kib <"$WORK/time.txt"
    printf '%s\t%s\t%s\n' "$name" "$seconds" "$((kib / 1024))" >>"$WORK/results.tsv"
}

for _ in $(seq "$RUNS"); do
    rm -rf "$WORK/agora-site"
    run "agora docs build (pages + objects.inv)" "$AGORA" docs build "$SDIST" --out "$WORK/agora-site"
    rm -rf "$WORK/agora-inv"
    run "agora docs build --no-pages" "$AGORA" docs build "$SDIST" --no-pages --out "$WORK/agora-inv"
    run "griffe dump networkx -d numpy" "$VENV/bin/griffe" dump networkx -s "$SRC" -d numpy -o "$WORK/griffe.json"
done
rm -rf "$WORK/sphinx/_build" "$WORK/sphinx/generated"
export PYTHONPATH="$SRC"
# SPHINX_LIMIT=SECONDS stops Sphinx after that long (on a loaded 2-core machine the full
# build takes over an hour: the theme renders the navigation of every page); its time and
# memory are then lower bounds, and the row says so.
sphinx_name="sphinx autodoc+autosummary+numpydoc, pydata theme"
if [[ -n "${SPHINX_LIMIT:-}" ]]; then
    /usr/bin/time -f "%e %M" -o "$WORK/time.txt" timeout "$SPHINX_LIMIT" \
        "$VENV/bin/python" -m sphinx -b html -q "$WORK/sphinx" "$WORK/sphinx/_build" >"$WORK/out.txt" 2>&1 || status=$?
    if [[ "${status:-0}" == 124 ]]; then
        sphinx_name="$sphinx_name, stopped at ${SPHINX_LIMIT} s (lower bounds)"
    elif [[ "${status:-0}" != 0 ]]; then
        echo "error: sphinx failed:" >&2
        tail -20 "$WORK/out.txt" >&2
        exit 1
    fi
    read -r seconds kib < <(tail -1 "$WORK/time.txt")
    printf '%s\t%s\t%s\n' "$sphinx_name" "$seconds" "$((kib / 1024))" >>"$WORK/results.tsv"
else
    run "$sphinx_name" "$VENV/bin/python" -m sphinx -b html -q "$WORK/sphinx" "$WORK/sphinx/_build"
fi

pages_agora=$(find "$WORK/agora-site/api" -name '*.html' | wc -l)
pages_sphinx=$(find "$WORK/sphinx/_build/generated" -name '*.html' 2>/dev/null | wc -l)
sphinx_sources=$(find "$WORK/sphinx/generated" -name '*.rst' 2>/dev/null | wc -l)
echo "machine: $(date -u +%F), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), load $(cut -d' ' -f1-3 /proc/loadavg), runs: $RUNS"
echo "pages (api/ and generated/): agora $pages_agora, sphinx $pages_sphinx written of $sphinx_sources"
PAGES_AGORA="$pages_agora" PAGES_SPHINX="$pages_sphinx" python3 - "$WORK/results.tsv" <<'PY'
import collections, statistics, sys
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, seconds, mib = line.rstrip("\n").split("\t")
    rows[name].append((float(seconds), int(mib)))
med = {n: (statistics.median(s for s, _ in v), max(m for _, m in v)) for n, v in rows.items()}
agora_pages = med["agora docs build (pages + objects.inv)"]
agora_noPages = med["agora docs build --no-pages"]
print("| command | median wall (s) | peak RSS (MiB) | time / agora's | memory / agora's |")
print("|---|---:|---:|---:|---:|")
for name, (seconds, mib) in med.items():
    base = agora_noPages if "griffe" in name or "no-pages" in name else agora_pages
    print(f"| {name} | {seconds:.2f} | {mib} | {seconds / base[0]:.1f}× | {mib / max(base[1], 1):.1f}× |")
import os
sphinx = next(v for n, v in med.items() if n.startswith("sphinx"))
pages_agora, pages_sphinx = int(os.environ["PAGES_AGORA"]), int(os.environ["PAGES_SPHINX"])
per_agora = 1000 * agora_pages[0] / max(pages_agora, 1)
per_sphinx = 1000 * sphinx[0] / max(pages_sphinx, 1)
print(f"per page: agora {per_agora:.2f} ms, sphinx {per_sphinx:.1f} ms ({per_sphinx / per_agora:.0f}×)")
PY
