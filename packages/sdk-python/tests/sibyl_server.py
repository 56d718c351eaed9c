"""Starts a real Sibyl server (the built apps/server) for integration tests."""

from __future__ import annotations

import json
import re
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
CLI = REPO / "apps" / "server" / "dist" / "cli.js"
TRACKING_KEY = "py-sdk-tracking-key-0123"
SERVER_KEY = "py-sdk-server-key-0123456"
LISTENING = re.compile(r"Sibyl listening on (http://\S+)")
#: Not a speed limit: turns a server that never comes up into a failure; a healthy one is ready in a second.
START_PATIENCE = 600.0


@dataclass(frozen=True)
class SibylServer:
    url: str
    tracking_key: str
    server_key: str

    def get(self, path: str) -> dict[str, object]:
        """GET an inspection endpoint with the server key."""
        request = urllib.request.Request(
            self.url + path, headers={"Authorization": f"Bearer {self.server_key}"}
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            parsed = json.loads(answer.read())
        assert isinstance(parsed, dict)
        return parsed


@contextmanager
def start_sibyl_server(data_dir: Path) -> Iterator[SibylServer]:
    if not CLI.exists():
        raise RuntimeError(
            f"{CLI} is missing: build the server first with `pnpm --filter @sibyl/server... build`"
        )
    output = data_dir.parent / f"{data_dir.name}-stdout.log"
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [
                "node",
                str(CLI),
                "serve",
                "-p",
                "0",
                "-d",
                str(data_dir),
                "--tracking-key",
                TRACKING_KEY,
                "--server-key",
                SERVER_KEY,
                "--durability",
                "none",
                "--log-level",
                "warn",
            ],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        url = _wait_until_listening(process, output)
        _wait_until_ready(url)
        yield SibylServer(url, TRACKING_KEY, SERVER_KEY)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_listening(process: subprocess.Popen[bytes], output: Path) -> str:
    deadline = time.monotonic() + START_PATIENCE
    while time.monotonic() < deadline:
        text = output.read_text("utf-8", errors="replace")
        found = LISTENING.search(text)
        if found:
            return found.group(1)
        if process.poll() is not None:
            raise RuntimeError(f"the Sibyl server exited with {process.returncode}:\n{text}")
        time.sleep(0.05)
    raise RuntimeError(
        f"the Sibyl server did not start listening:\n{output.read_text('utf-8', errors='replace')}"
    )


def _wait_until_ready(url: str) -> None:
    deadline = time.monotonic() + START_PATIENCE
    while True:
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError as error:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the Sibyl server at {url} never became ready: {error}") from error
        time.sleep(0.05)
