#!/usr/bin/env bash
# Installs agora into a virtual environment of its own under $RUNNER_TEMP and puts it on PATH
# (through $GITHUB_PATH) for the next steps. Used by action.yml.
set -euo pipefail

python="${AGORA_PYTHON:-python3}"
version="${AGORA_VERSION:-latest}"
venv="${RUNNER_TEMP:-/tmp}/agora-venv"

"$python" -m venv "$venv"
pip=("$venv/bin/python" -m pip install --quiet --disable-pip-version-check)
case "$version" in
    latest) "${pip[@]}" agora ;;
    source) "${pip[@]}" "${ACTION_PATH:?}" ;;
    *) "${pip[@]}" "agora==$version" ;;
esac
echo "$venv/bin" >> "${GITHUB_PATH:-/dev/null}"
"$venv/bin/agora" --version
