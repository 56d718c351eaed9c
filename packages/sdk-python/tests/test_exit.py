"""A program that never calls close() still delivers its events: the client closes at interpreter exit."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from fake_server import FakeSibyl, Reply, error_body
from sdk_env import HANG_GUARD_SECONDS, child_environment


def run_program(fake: FakeSibyl, body: str) -> subprocess.CompletedProcess[str]:
    program = textwrap.dedent(
        f"""
        import logging, sys
        from sibyl_sdk import Client
        logging.basicConfig(stream=sys.stderr, level=logging.INFO)
        client = Client({fake.url!r}, "k", flush_interval=3600)
        """
    ) + textwrap.dedent(body)
    return subprocess.run(
        [sys.executable, "-c", program],
        env=child_environment(),
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS,
    )


def test_queued_events_are_sent_at_exit(fake: FakeSibyl) -> None:
    finished = run_program(
        fake,
        """
        for item in ("tent", "mat", "stove"):
            client.track({"event_type": "ItemRemove", "item_id": item})
        print("pending", client.pending)
        """,
    )

    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip() == "pending 3", "nothing was sent before the program ended"
    assert [event["item_id"] for event in fake.events()] == ["tent", "mat", "stove"]


def test_a_failure_at_exit_is_logged(fake: FakeSibyl) -> None:
    fake.then(Reply(401, error_body("invalid_key", "the API key is not valid")))
    finished = run_program(
        fake,
        """
        client.track({"event_type": "HomePageView", "user_info": {"visitor_id": "ann"}})
        """,
    )

    assert finished.returncode == 0
    assert "Sibyl client closed at exit; events not delivered" in finished.stderr
    assert "HTTP 401 invalid_key" in finished.stderr


def test_a_closed_client_does_nothing_at_exit(fake: FakeSibyl) -> None:
    finished = run_program(
        fake,
        """
        client.track({"event_type": "HomePageView", "user_info": {"visitor_id": "ann"}})
        client.close()
        print("closed")
        """,
    )

    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip() == "closed"
    assert len(fake.received) == 1
