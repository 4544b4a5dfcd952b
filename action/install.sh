#!/usr/bin/env bash
# Installs agora into a virtual environment of its own under $RUNNER_TEMP and puts it on PATH
# (through $GITHUB_PATH) for the next steps. Used by action.yml.
set -euo pipefail

python="${AGORA_PYTHON:-python3}"
version="${AGORA_VERSION:-latest}"
venv="${RUNNER_TEMP:-/tmp}/agora-venv"

"$python" -m venv "$venv"
pip=("$venv/bin/python" -m pip install --quiet --disable-pip-version-check)
# "agora" on PyPI is an unrelated project: agora's wheel is scientific-python-agora.
case "$version" in
    latest) "${pip[@]}" scientific-python-agora ;;
    source) "${pip[@]}" "${ACTION_PATH:?}" ;;
    *) "${pip[@]}" "scientific-python-agora==$version" ;;
esac
echo "$venv/bin" >> "${GITHUB_PATH:-/dev/null}"
# Refuse anything that is not agora's binary.
if ! "$venv/bin/agora" --version | grep -Eq '^agora [0-9]'; then
    echo "::error title=agora action::the installed package has no agora binary of agora's" >&2
    exit 2
fi
"$venv/bin/agora" --version
