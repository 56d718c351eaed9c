"""The environment a child Python process needs to import the same sibyl_sdk as the tests."""

from __future__ import annotations

import os
from pathlib import Path

import sibyl_sdk

SDK_ROOT = Path(sibyl_sdk.__file__).resolve().parents[1]

#: Not a speed limit: only turns a child process that hangs (a deadlock) into a failure, not a stuck suite.
HANG_GUARD_SECONDS = 600.0


def child_environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(SDK_ROOT)}
