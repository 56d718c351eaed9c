"""The Python conformance player keeps its command-line contract against a real server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sdk_env import HANG_GUARD_SECONDS, child_environment
from sibyl_server import REPO, SibylServer, start_sibyl_server

from sibyl_sdk import Client

SESSION = REPO / "tools" / "conformance" / "session.json"
PLAYER = Path(__file__).with_name("conformance_player.py")


def play(server: SibylServer, visitor: str, phase: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(PLAYER), "--base-url", server.url, "--key", server.tracking_key]
    command += ["--session", str(SESSION), "--visitor", visitor, "--phase", phase]
    return subprocess.run(
        command, env=child_environment(), capture_output=True, text=True, timeout=HANG_GUARD_SECONDS
    )


def test_two_visitors_playing_the_session_get_the_same_recommendations(tmp_path: Path) -> None:
    session = json.loads(SESSION.read_text("utf-8"))
    with start_sibyl_server(tmp_path / "data") as server:
        with Client(server.url, server.server_key) as shop:
            for event in session["catalog"]:
                shop.track(event)
        outputs = []
        for visitor in ("py-first", "py-second"):
            tracked = play(server, visitor, "track")
            assert tracked.returncode == 0, tracked.stderr
        for visitor in ("py-first", "py-second"):
            asked = play(server, visitor, "recommend")
            assert asked.returncode == 0, asked.stderr
            outputs.append([json.loads(line) for line in asked.stdout.splitlines()])

    first, second = outputs
    assert [line["placement"] for line in first] == [request["placement"] for request in session["requests"]]
    assert all(line["items"] for line in first), first
    assert first == second


def test_the_track_phase_fails_when_the_server_refuses_events(tmp_path: Path) -> None:
    with start_sibyl_server(tmp_path / "data") as server:
        refused = play(
            SibylServer(server.url, "not-a-key-of-this-server", server.server_key), "py-x", "track"
        )
    assert refused.returncode == 1
    assert "invalid_key" in refused.stderr
