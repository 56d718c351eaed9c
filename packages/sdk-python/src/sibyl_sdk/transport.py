"""HTTP requests to a Sibyl server, with the standard library only."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message

from .errors import NetworkError, ProtocolError
from .retry import RETRYABLE_STATUSES, RetryPolicy, parse_retry_after


@dataclass(frozen=True)
class Response:
    """An HTTP answer: status, headers (names in lower case) and the raw body."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    def json_object(self) -> Mapping[str, object]:
        """The body as a JSON object; ProtocolError when it is anything else."""
        try:
            parsed: object = json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise ProtocolError(
                self.status, f"the body is not JSON ({error}): {self.body[:200]!r}"
            ) from error
        if not isinstance(parsed, dict):
            raise ProtocolError(self.status, f"expected a JSON object, got {type(parsed).__name__}")
        return parsed


class HttpTransport:
    """POSTs to one server with one key. Thread-safe: every request opens its own connection."""

    def __init__(self, base_url: str, key: str, timeout: float, user_agent: str) -> None:
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"base_url must be an http:// or https:// URL, got {base_url!r}")
        if not key:
            raise ValueError("key must not be empty: pass a tracking key or a server key")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._headers = {
            "Authorization": f"Bearer {key}",
            "Accept": "application/json",
            "User-Agent": user_agent,
        }

    def post(self, path: str, body: bytes, content_type: str) -> Response:
        """One POST; raises NetworkError when no HTTP answer came back."""
        url = self.base_url + path
        request = urllib.request.Request(
            url, data=body, method="POST", headers={**self._headers, "Content-Type": content_type}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return Response(answer.status, _lower(answer.headers), answer.read())
        except urllib.error.HTTPError as error:
            # urllib raises for every status >= 400; for the client those are answers, not failures.
            with error:
                try:
                    payload = error.read()
                except (OSError, http.client.HTTPException) as read_error:
                    raise NetworkError(
                        url, f"HTTP {error.code}, body unreadable: {read_error}"
                    ) from read_error
                return Response(error.code, _lower(error.headers), payload)
        except urllib.error.URLError as error:
            raise NetworkError(url, str(error.reason)) from error
        except (OSError, http.client.HTTPException) as error:
            raise NetworkError(url, f"{type(error).__name__}: {error}") from error


def _lower(headers: Message[str, str] | None) -> Mapping[str, str]:
    return {name.lower(): value for name, value in headers.items()} if headers is not None else {}


@dataclass(frozen=True)
class Attempts:
    """How a request with retries ended: the last answer, or the failure of every attempt."""

    response: Response | None
    attempts: int
    #: Why the last attempt failed, when it did: a status line or the network error.
    last_failure: str | None = None
    last_error: NetworkError | None = None


def post_with_retries(
    transport: HttpTransport, policy: RetryPolicy, path: str, body: bytes, content_type: str
) -> Attempts:
    """POSTs until an answer that is not 429/503 comes back, or the policy's attempts are used up.

    Returns the final non-retryable answer, or — when every attempt failed — the last retryable answer (or
    none if the last attempt got no answer) with ``last_failure`` set.
    """
    attempt = 0
    while True:
        attempt += 1
        response: Response | None = None
        error: NetworkError | None = None
        try:
            response = transport.post(path, body, content_type)
        except NetworkError as network_error:
            error = network_error
        if response is not None and response.status not in RETRYABLE_STATUSES:
            return Attempts(response, attempt)
        failure = str(error) if error is not None else _status_line(response)
        if attempt >= policy.max_attempts:
            return Attempts(response, attempt, failure, error)
        retry_after = parse_retry_after(response.headers.get("retry-after")) if response else None
        policy.sleep(policy.delay(attempt, retry_after))


def _status_line(response: Response | None) -> str:
    if response is None:
        return "no answer"
    try:
        body = response.json_object()
    except ProtocolError:
        return f"HTTP {response.status}"
    return f"HTTP {response.status} {body.get('error', '')}: {body.get('message', '')}".rstrip(": ")
