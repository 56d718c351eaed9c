"""Plays the shared cross-language session (tools/conformance/session.json) through the Python client.

    conformance_player.py --base-url URL --key TRACKING_KEY --session PATH --visitor VID \
        --phase track|recommend

``track`` sends every event of the session's ``events`` (``$VISITOR`` replaced by VID) with track(), then
flush() and close(); it exits 0 only when the server accepted all of them. ``recommend`` asks each of the
session's ``requests`` with recommend() and prints one JSON line per request: {"placement", "items"}.
The TypeScript and Go players follow the same contract; the conformance suite checks that all three agree.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from sibyl_sdk import Client, SibylError


def main(argv: Sequence[str] | None = None) -> int:
    options = _parser().parse_args(argv)
    session = json.loads(Path(options.session).read_text("utf-8"))
    if not isinstance(session, dict):
        raise SystemExit(f"{options.session}: expected a JSON object with events and requests")
    if options.phase == "track":
        return track(options.base_url, options.key, session, options.visitor)
    return recommend(options.base_url, options.key, session, options.visitor)


def track(base_url: str, key: str, session: dict[str, object], visitor: str) -> int:
    # Replacing in the JSON text reaches "$VISITOR" wherever the script put it, inside longer strings too.
    text = json.dumps(session["events"]).replace("$VISITOR", json.dumps(visitor)[1:-1])
    events = json.loads(text)
    client = Client(base_url, key, on_error=_report)
    dropped = 0
    try:
        for event in events:
            if not client.track(event):
                dropped += 1
        client.flush()
        client.close()
    except SibylError as failure:
        print(f"track phase failed: {failure}", file=sys.stderr)
        return 1
    if dropped:
        print(f"track phase failed: {dropped} event(s) dropped by a full queue", file=sys.stderr)
        return 1
    return 0


def recommend(base_url: str, key: str, session: dict[str, object], visitor: str) -> int:
    requests = session["requests"]
    assert isinstance(requests, list)
    with Client(base_url, key) as client:
        for request in requests:
            response = client.recommend(
                request["placement"],
                visitor_id=visitor,
                context_item_ids=request.get("context_items"),
                count=request.get("count"),
            )
            line = {"placement": request["placement"], "items": [item.item_id for item in response.items]}
            print(json.dumps(line, separators=(",", ":")), flush=True)
    return 0


def _report(failure: SibylError) -> None:
    print(f"not accepted: {failure}", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Play the cross-language conformance session with the Python SDK."
    )
    parser.add_argument("--base-url", required=True, help="the Sibyl server, e.g. http://127.0.0.1:8080")
    parser.add_argument("--key", required=True, help="the tracking key")
    parser.add_argument("--session", required=True, help="path of session.json")
    parser.add_argument("--visitor", required=True, help="the visitor id that replaces $VISITOR")
    parser.add_argument("--phase", required=True, choices=("track", "recommend"))
    return parser


if __name__ == "__main__":
    sys.exit(main())
