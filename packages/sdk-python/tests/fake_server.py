"""A scripted stand-in for a Sibyl server on a local port, in a background thread, for the unit tests."""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

#: Not a speed limit: how long a test waits for the client's background thread before calling it a hang.
HANG_GUARD_SECONDS = 600.0


@dataclass(frozen=True)
class Received:
    """One request the fake server got."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def lines(self) -> list[dict[str, object]]:
        """The NDJSON body's events."""
        return [json.loads(line) for line in self.body.decode("utf-8").splitlines() if line.strip()]

    @property
    def json(self) -> dict[str, object]:
        parsed = json.loads(self.body)
        assert isinstance(parsed, dict)
        return parsed


@dataclass(frozen=True)
class Reply:
    """An answer to send: status, JSON body (or raw bytes) and extra headers."""

    status: int = 200
    body: Mapping[str, object] | bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


#: Hangs up without answering: the client sees a network error.
HANG_UP = Reply(status=0)

Responder = Callable[[Received], Reply]


def accept_all(request: Received) -> Reply:
    """What a healthy server answers: every event of the batch accepted."""
    return Reply(200, {"accepted": len(request.lines), "rejected": []})


class FakeSibyl:
    """Answers each request with the next scripted responder, then with ``default``; records every request."""

    def __init__(self, default: Responder = accept_all) -> None:
        self.default = default
        self._script: deque[Reply | Responder] = deque()
        self._received: list[Received] = []
        self._cond = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def then(self, *replies: Reply | Responder) -> FakeSibyl:
        """Queues answers for the next requests, in order."""
        with self._cond:
            self._script.extend(replies)
        return self

    @property
    def received(self) -> list[Received]:
        with self._cond:
            return list(self._received)

    def events(self) -> list[dict[str, object]]:
        """Every event received on /v1/events, in order."""
        return [line for request in self.received if request.path == "/v1/events" for line in request.lines]

    def wait_for_requests(self, count: int) -> list[Received]:
        with self._cond:
            if not self._cond.wait_for(lambda: len(self._received) >= count, HANG_GUARD_SECONDS):
                raise AssertionError(f"expected {count} request(s), got {len(self._received)}")
            return list(self._received)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, request: Received) -> Reply:
        with self._cond:
            self._received.append(request)
            self._cond.notify_all()
            step = self._script.popleft() if self._script else self.default
        return step if isinstance(step, Reply) else step(request)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                headers = {name.lower(): value for name, value in self.headers.items()}
                reply = fake._answer(Received("POST", self.path, headers, body))
                if reply.status == 0:
                    self.close_connection = True
                    return
                payload = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the tests assert on what was received instead."""

        return Handler


def error_body(code: str, message: str, errors: list[dict[str, str]] | None = None) -> dict[str, object]:
    body: dict[str, object] = {"error": code, "message": message}
    if errors is not None:
        body["errors"] = errors
    return body
