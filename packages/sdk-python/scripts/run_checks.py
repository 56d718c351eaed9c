"""Runs the Python SDK's checks, configured in pyproject.toml: pytest, mypy --strict and ruff.

    python3 scripts/run_checks.py          # pytest, then mypy (the package's test script)
    python3 scripts/run_checks.py mypy     # mypy only (typecheck)
    python3 scripts/run_checks.py ruff     # ruff check and ruff format --check (lint)

Like scripts/with-toolchain.mjs for python3 itself: when a tool is not installed, the checks fail if CI is set
and are skipped with a loud message otherwise (scripts/ci/python-deps.sh installs them).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
CHECKS = {
    "pytest": [["-m", "pytest"]],
    "mypy": [["-m", "mypy"], ["-m", "mypy", "--python-version", "3.9", "src"]],
    "ruff": [["-m", "ruff", "check", "."], ["-m", "ruff", "format", "--check", "."]],
}
#: The modules each check needs (requirements-dev.txt); the packaging tests build with build and setuptools.
NEEDS = {"pytest": ["pytest", "build", "setuptools"], "mypy": ["mypy"], "ruff": ["ruff"]}


def main(argv: list[str]) -> int:
    wanted = argv or ["pytest", "mypy"]
    unknown = [name for name in wanted if name not in CHECKS]
    if unknown:
        print(
            f"usage: run_checks.py [{' | '.join(CHECKS)}]...; unknown: {', '.join(unknown)}", file=sys.stderr
        )
        return 2
    missing = [
        module for name in wanted for module in NEEDS[name] if importlib.util.find_spec(module) is None
    ]
    if missing:
        banner = "!" * 78
        names = ", ".join(missing)
        if os.environ.get("CI"):
            print(
                f"{banner}\nrequired when CI is set, and missing for {sys.executable}: {names}\n{banner}",
                file=sys.stderr,
            )
            return 1
        print(
            f"{banner}\nSKIPPED: not installed for {sys.executable}: {names}.\n"
            "The Python SDK's checks did not run. Install them with scripts/ci/python-deps.sh;"
            f" in CI they are required.\n{banner}",
            file=sys.stderr,
        )
        return 0
    for name in wanted:
        for arguments in CHECKS[name]:
            print(f"== {' '.join(arguments[1:])}", flush=True)
            finished = subprocess.run([sys.executable, *arguments], cwd=PACKAGE)
            if finished.returncode != 0:
                return finished.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
