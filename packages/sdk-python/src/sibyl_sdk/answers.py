"""Reading the server's answers into the generated models and the client's errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Callable, TypeVar

from .errors import (
    ApiError,
    EventDict,
    ProtocolError,
    RejectedEvent,
    RejectedEventsError,
    RetriesExhaustedError,
    SibylError,
)
from .models import DecodeError, ErrorBody, IngestResult, RecoResponse
from .transport import Attempts, Response

#: Statuses of POST /v1/events whose body is an IngestResult (a per-line report) rather than an ErrorBody.
LINE_REPORT_STATUSES = frozenset({200, 207, 400, 403})

Model = TypeVar("Model")


def batch_outcome(attempts: Attempts, events: Sequence[EventDict]) -> SibylError | None:
    """The failure of one POST /v1/events of ``events``, or None when the server accepted all of them.

    Raises ProtocolError when the answer is not the API's.
    """
    response = attempts.response
    if attempts.last_failure is not None:
        failure = RetriesExhaustedError(
            attempts.attempts, response.status if response else None, attempts.last_failure, events
        )
        failure.__cause__ = attempts.last_error
        return failure
    assert response is not None  # post_with_retries returns an answer whenever last_failure is None
    body = response.json_object()
    if response.status in LINE_REPORT_STATUSES and "accepted" in body:
        report = decode(IngestResult.from_dict, body, response.status)
        if not report.rejected:
            return None
        rejected: list[RejectedEvent] = []
        for line in report.rejected:
            if not 1 <= line.line <= len(events):
                raise ProtocolError(
                    response.status, f"a rejected line {line.line} of a {len(events)}-line batch"
                )
            rejected.append(RejectedEvent(line.line, events[line.line - 1], line.errors, line.event_type))
        return RejectedEventsError(response.status, report.accepted, rejected)
    if 200 <= response.status < 300:
        raise ProtocolError(response.status, f"unexpected answer to POST /v1/events: {response.body[:200]!r}")
    return api_error(response, body, events)


def api_error(response: Response, body: Mapping[str, object], events: Sequence[EventDict] = ()) -> ApiError:
    """An ErrorBody answer as an ApiError."""
    error = decode(ErrorBody.from_dict, body, response.status)
    return ApiError(response.status, error.error, error.message, error.errors or [], events)


def reco_response(response: Response) -> RecoResponse:
    """The RecoResponse of a POST /v1/recommend answered 200."""
    return decode(RecoResponse.from_dict, response.json_object(), response.status)


def decode(from_dict: Callable[[Any], Model], body: Mapping[str, object], status: int) -> Model:
    """A generated model from an answer's JSON; ProtocolError, saying where, when it does not fit."""
    try:
        return from_dict(body)
    except DecodeError as error:
        raise ProtocolError(status, f"the answer is not the API's ({error}): {dict(body)!r:.200}") from error
