"""The exceptions the Sibyl client raises or hands to its error callback; all derive from SibylError."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .models import ValidationError

#: An event as it was sent: the JSON object of one NDJSON line.
EventDict = dict[str, object]


@dataclass(frozen=True)
class RejectedEvent:
    """An event the server refused, with the line it had in its batch and every reason given."""

    line: int
    event: EventDict
    errors: list[ValidationError]
    event_type: str | None = None

    def __str__(self) -> str:
        kind = self.event_type or str(self.event.get("event_type", "event"))
        return f"line {self.line} ({kind}): " + "; ".join(describe(error) for error in self.errors)


class SibylError(Exception):
    """Base class of every error of the Sibyl client."""


class ApiError(SibylError):
    """The server refused a request with an error status (4xx, or a 5xx it does not ask to retry).

    ``code`` is the server's stable error code (``invalid_key``, ``unknown_placement``, ``batch_too_large``
    …), ``errors`` its per-field reasons, and ``events`` the events of the refused batch (empty for
    ``recommend``), none of which was accepted.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        errors: Sequence[ValidationError] = (),
        events: Sequence[EventDict] = (),
    ) -> None:
        details = "".join(f"\n  {describe(error)}" for error in errors)
        super().__init__(f"HTTP {status} {code}: {message}{details}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = list(errors)
        self.events = list(events)


class RejectedEventsError(SibylError):
    """The server accepted part of a batch (or none of it) and refused some lines, each with its reasons.

    Refused events are never retried: sending the same event again would be refused the same way.
    """

    def __init__(self, status: int, accepted: int, rejected: Sequence[RejectedEvent]) -> None:
        lines = "".join(f"\n  {line}" for line in rejected)
        super().__init__(f"HTTP {status}: {len(rejected)} event(s) rejected, {accepted} accepted{lines}")
        self.status = status
        self.accepted = accepted
        self.rejected = list(rejected)

    @property
    def events(self) -> list[EventDict]:
        return [line.event for line in self.rejected]


class NetworkError(SibylError):
    """The request did not get an HTTP answer: connection refused or reset, DNS failure, timeout."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class ProtocolError(SibylError):
    """The server answered something that is not the Sibyl API (a body that is not the documented JSON)."""

    def __init__(self, status: int, message: str, events: Sequence[EventDict] = ()) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status
        self.message = message
        #: The events of the batch whose answer could not be read: their fate is unknown.
        self.events = list(events)


class RetriesExhaustedError(SibylError):
    """Every attempt of a request met a retryable failure (429, 503 or a network error); it was given up.

    ``last_status`` is the last HTTP status (None when the last attempt got no answer); the last failure is
    also this exception's ``__cause__``. ``events`` holds the batch's events, none known to be accepted.
    """

    def __init__(
        self, attempts: int, last_status: int | None, last_reason: str, events: Sequence[EventDict] = ()
    ) -> None:
        super().__init__(f"gave up after {attempts} attempt(s); last failure: {last_reason}")
        self.attempts = attempts
        self.last_status = last_status
        self.events = list(events)


class UnexpectedDeliveryError(SibylError):
    """Sending a batch failed in a way the client does not expect (a bug); the error is this one's cause."""

    def __init__(self, error: Exception, events: Sequence[EventDict]) -> None:
        super().__init__(f"sending a batch failed: {type(error).__name__}: {error}")
        self.__cause__ = error
        self.events = list(events)


class QueueFullError(SibylError):
    """track() found the queue full (the server has been unreachable or slow); the event was dropped."""

    def __init__(self, capacity: int, event: EventDict) -> None:
        super().__init__(
            f"the send queue holds its maximum of {capacity} events; dropped {event.get('event_type')}"
        )
        self.capacity = capacity
        self.event = event


class ClientClosedError(SibylError):
    """The client was used after close()."""


class FlushTimeoutError(SibylError):
    """flush() or close() waited its timeout and events were still being sent."""

    def __init__(self, timeout: float, pending: int) -> None:
        super().__init__(f"{pending} event(s) still unsent after waiting {timeout:g} s")
        self.timeout = timeout
        self.pending = pending


class DeliveryError(SibylError):
    """flush() or close() found that some events tracked before it were not accepted.

    ``failures`` holds each failure (RejectedEventsError, ApiError, RetriesExhaustedError, ProtocolError,
    UnexpectedDeliveryError) in the order it happened; the error callback has already seen each of them.
    """

    def __init__(self, failures: Sequence[SibylError]) -> None:
        lost = sum(len(failed_events(failure)) for failure in failures)
        reasons = "".join(f"\n- {failure}" for failure in failures)
        super().__init__(f"{lost} event(s) not accepted in {len(failures)} failure(s):{reasons}")
        self.failures = list(failures)

    @property
    def events(self) -> list[EventDict]:
        return [event for failure in self.failures for event in failed_events(failure)]


def failed_events(failure: SibylError) -> list[EventDict]:
    """The events a delivery failure says were not accepted."""
    if isinstance(
        failure,
        (ApiError, ProtocolError, RejectedEventsError, RetriesExhaustedError, UnexpectedDeliveryError),
    ):
        return failure.events
    if isinstance(failure, QueueFullError):
        return [failure.event]
    return []


def describe(error: ValidationError) -> str:
    """One server-given reason as text: the JSON pointer (or "(document)") and the message."""
    return f"{error.pointer or '(document)'}: {error.message}"
