"""The Sibyl client: track() events in the background, recommend() synchronously."""

from __future__ import annotations

import atexit
import logging
import uuid
from collections.abc import Mapping, Sequence
from importlib import metadata
from types import TracebackType
from typing import Callable

from .answers import api_error, batch_outcome, reco_response
from .batching import BatchQueue, Pending
from .encoding import Event, encode_line, encode_ndjson, json_object, prepare_event
from .errors import (
    ClientClosedError,
    DeliveryError,
    EventDict,
    ProtocolError,
    QueueFullError,
    RetriesExhaustedError,
    SibylError,
)
from .models import EventContext, Filter, RecoResponse
from .retry import RetryPolicy
from .transport import HttpTransport, post_with_retries

logger = logging.getLogger("sibyl_sdk")


def _version() -> str:
    try:
        return metadata.version("sibyl-sdk")
    except metadata.PackageNotFoundError:
        # Imported from a source checkout rather than an installed distribution.
        return "0+source"


def log_failure(failure: SibylError) -> None:
    """The default error callback: a warning on the ``sibyl_sdk`` logger."""
    logger.warning("Sibyl events not accepted: %s", failure)


class Client:
    """A connection to one Sibyl server with one key.

    ``track()`` queues an event and returns at once; a background thread sends queued events as NDJSON batches
    of up to ``batch_size`` events, at the latest ``flush_interval`` seconds after the oldest was queued.
    ``flush()`` sends what is queued and waits; ``close()`` (run at interpreter exit too) flushes and stops.

    The queue holds at most ``max_queue_size`` events. When it is full — the server has been unreachable or
    slow for a while — ``track()`` drops the new event, hands a ``QueueFullError`` to ``on_error`` and returns
    False: tracking never blocks or raises in the caller's request path because the server is away.

    Failed deliveries (refused lines, error answers, retries given up) go to ``on_error`` as they happen — by
    default a warning on the ``sibyl_sdk`` logger — and ``flush()`` / ``close()`` raise ``DeliveryError`` with
    those of the events tracked before them.
    """

    def __init__(
        self,
        base_url: str,
        key: str,
        *,
        batch_size: int = 100,
        flush_interval: float = 1.0,
        max_queue_size: int = 10_000,
        max_batch_bytes: int = 4 * 1024 * 1024,
        timeout: float = 10.0,
        retry: RetryPolicy | None = None,
        on_error: Callable[[SibylError], None] = log_failure,
        close_timeout: float = 10.0,
    ) -> None:
        self._transport = HttpTransport(base_url, key, timeout, f"sibyl-sdk-python/{_version()}")
        self._retry = retry or RetryPolicy()
        self._on_error = on_error
        self._close_timeout = close_timeout
        self._queue = BatchQueue(
            self._send_batch,
            capacity=max_queue_size,
            batch_size=batch_size,
            max_batch_bytes=max_batch_bytes,
            flush_interval=flush_interval,
            on_failure=on_error,
        )
        self._closed = False
        atexit.register(self._close_at_exit)

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    @property
    def pending(self) -> int:
        """Events tracked whose answer has not come back yet."""
        return self._queue.pending

    def track(self, event: Event) -> bool:
        """Queues an event for sending; True when queued, False when dropped because the queue is full.

        ``event`` is a generated model (``DetailItemView(...)``) or a mapping with the event's JSON fields.
        It is copied and given an ``event_id`` when it has none. An event that is not plain JSON raises
        TypeError or ValueError here, in the caller; a closed client raises ClientClosedError.
        """
        data = prepare_event(event)
        line = encode_line(data)
        if self._queue.put(line, data):
            return True
        self._on_error(QueueFullError(self._queue.capacity, data))
        return False

    def flush(self, timeout: float | None = None) -> None:
        """Sends every queued event and waits for the answers.

        Raises DeliveryError when some event tracked before this call was not accepted (since the last flush),
        FlushTimeoutError when ``timeout`` seconds passed first.
        """
        failures = self._queue.flush(timeout)
        if failures:
            raise DeliveryError(failures)

    def close(self, timeout: float | None = None) -> None:
        """Flushes, stops the background thread and refuses further events; closing twice does nothing.

        Raises like flush(). Waits at most ``timeout`` seconds (default: the client's ``close_timeout``).
        """
        if self._closed:
            return
        self._closed = True
        atexit.unregister(self._close_at_exit)
        failures = self._queue.close(self._close_timeout if timeout is None else timeout)
        if failures:
            raise DeliveryError(failures)

    def recommend(
        self,
        placement: str,
        *,
        visitor_id: str,
        user_id: str | None = None,
        session_id: str | None = None,
        context_item_ids: Sequence[str] | None = None,
        count: int | None = None,
        category: str | None = None,
        query: str | None = None,
        filter: Filter | Mapping[str, object] | None = None,
        exclude_item_ids: Sequence[str] | None = None,
        context: EventContext | Mapping[str, object] | None = None,
    ) -> RecoResponse:
        """Asks ``placement`` for recommendations for a visitor; returns the server's RecoResponse.

        ``filter`` and ``context`` are the generated ``Filter`` and ``EventContext``, or their JSON objects.

        Retried like track() on 429, 503 and network errors (the request carries an event_id, so it is logged
        once). Raises ApiError for an error answer — 404 ``unknown_placement``, 400 with the pointers of the
        invalid fields, 401/403 for keys — and RetriesExhaustedError when every attempt failed.
        """
        if self._closed:
            raise ClientClosedError("the client is closed; create a new one to ask for recommendations")
        user_info: EventDict = {"visitor_id": visitor_id}
        if user_id is not None:
            user_info["user_id"] = user_id
        if session_id is not None:
            user_info["session_id"] = session_id
        request: EventDict = {
            "event_type": "RecoRequest",
            "event_id": str(uuid.uuid4()),
            "placement": placement,
            "user_info": user_info,
        }
        optional: Mapping[str, object] = {
            "context_item_ids": list(context_item_ids) if context_item_ids is not None else None,
            "count": count,
            "category": category,
            "query": query,
            "filter": json_object(filter, "filter") if filter is not None else None,
            "exclude_item_ids": list(exclude_item_ids) if exclude_item_ids is not None else None,
            "context": json_object(context, "context") if context is not None else None,
        }
        request.update({name: value for name, value in optional.items() if value is not None})
        attempts = post_with_retries(
            self._transport, self._retry, "/v1/recommend", encode_line(request), "application/json"
        )
        response = attempts.response
        if attempts.last_failure is not None:
            failure = RetriesExhaustedError(
                attempts.attempts, response.status if response else None, attempts.last_failure
            )
            raise failure from attempts.last_error
        assert response is not None  # post_with_retries returns an answer whenever last_failure is None
        if response.status != 200:
            raise api_error(response, response.json_object())
        return reco_response(response)

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            self.close()
            return
        # The body already failed: report delivery failures without hiding the exception in flight.
        try:
            self.close()
        except SibylError as failure:
            logger.error("Sibyl client closed after an error; events not delivered: %s", failure)

    def _send_batch(self, batch: list[Pending]) -> SibylError | None:
        events = [pending.event for pending in batch]
        body = encode_ndjson([pending.line for pending in batch])
        attempts = post_with_retries(self._transport, self._retry, "/v1/events", body, "application/x-ndjson")
        try:
            return batch_outcome(attempts, events)
        except ProtocolError as error:
            return ProtocolError(error.status, error.message, events)

    def _close_at_exit(self) -> None:
        try:
            self.close()
        except SibylError as failure:
            # Nobody is left to raise to at interpreter exit; the log is the only place to say it.
            logger.error("Sibyl client closed at exit; events not delivered: %s", failure)
