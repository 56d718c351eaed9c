#!/usr/bin/env bash
# Installs what the Python SDK's test suite needs (packages/sdk-python/requirements-dev.txt) into the python3 on
# PATH, installing python3 and pip with apt-get first when the machine has neither. Run it before `pnpm test`:
#
#   scripts/ci/python-deps.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { echo "python-deps.sh: $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v python3 >/dev/null 2>&1 || ! python3 -m pip --version >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || { say "python3 with pip is required and apt-get is not available"; exit 1; }
  say "installing python3 and pip with apt-get"
  as_root apt-get update -qq
  as_root apt-get install -y -qq python3 python3-pip python3-venv >/dev/null
fi

python3 - <<'PY'
import sys
if sys.version_info < (3, 9):
    sys.exit(f"python-deps.sh: the Python SDK needs Python >= 3.9, found {sys.version.split()[0]}")
PY

flags=(--quiet --disable-pip-version-check)
# A distribution's own Python (PEP 668) refuses pip installs by default; a CI machine is disposable.
if python3 -c 'import os, sys, sysconfig; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")) else 1)'; then
  flags+=(--break-system-packages)
fi
say "python $(python3 -c 'import platform; print(platform.python_version())'): pip install -r packages/sdk-python/requirements-dev.txt"
python3 -m pip install "${flags[@]}" -r packages/sdk-python/requirements-dev.txt
python3 -m pytest --version >&2
python3 -m mypy --version >&2
