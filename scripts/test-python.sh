#!/usr/bin/env bash
# Makes .build/python, a venv with the Python packages the test suite compares against
# (python-stdnum for the identifier differential test, jsonschema to check every report.json
# against docs/report.schema.json), and prints its interpreter's path.
# Idempotent: does nothing when the pinned versions are already there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.build/python"
wanted=(python-stdnum==2.2 jsonschema==4.26.0)
if [ ! -x "$venv/bin/python3" ]; then
    python3 -m venv "$venv" >&2
fi
if ! "$venv/bin/python3" -c "import stdnum, jsonschema, sys, importlib.metadata as m
sys.exit(stdnum.__version__ != '2.2' or m.version('jsonschema') != '4.26.0')" 2>/dev/null; then
    "$venv/bin/python3" -m pip install --quiet --disable-pip-version-check "${wanted[@]}" >&2
fi
echo "$venv/bin/python3"
