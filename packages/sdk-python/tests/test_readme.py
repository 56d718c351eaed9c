"""The README's example runs against a real server and prints what its comments say."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from sdk_env import HANG_GUARD_SECONDS, child_environment
from sibyl_server import start_sibyl_server

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_example_runs_and_prints_what_it_promises(tmp_path: Path) -> None:
    found = re.search(r"```python\n(.*?)```", README.read_text("utf-8"), re.DOTALL)
    assert found, "README.md has a ```python example"
    code = found.group(1)
    promised = [
        match.group(1).strip() for match in re.finditer(r"print\(.*\)\s*#\s*(.+)$", code, re.MULTILINE)
    ]
    assert promised, "the example says what it prints"

    with start_sibyl_server(tmp_path / "data") as server:
        environment = {**child_environment(), "SIBYL_URL": server.url, "SIBYL_KEY": server.server_key}
        run = subprocess.run(
            [sys.executable, "-c", code],
            env=environment,
            capture_output=True,
            text=True,
            timeout=HANG_GUARD_SECONDS,
        )

    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == " ".join(promised).split()
