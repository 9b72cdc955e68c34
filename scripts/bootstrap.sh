#!/usr/bin/env bash
# Create or update the project's virtualenv (.venv) from uv.lock. Needs only Python 3.11.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3.11}"
UV_VERSION="0.13.9"

if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "bootstrap: $PYTHON not found; install Python 3.11 or set PYTHON=/path/to/python3.11" >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    echo "bootstrap: creating .venv with $("$PYTHON" --version)"
    "$PYTHON" -m venv .venv
fi
if [ ! -x .venv/bin/uv ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==${UV_VERSION}"
fi
# --locked: fail rather than silently re-resolve if pyproject.toml and uv.lock disagree.
UV_PROJECT_ENVIRONMENT=.venv .venv/bin/uv sync --locked --quiet
touch .venv/.synced
