"""The bounded queue between track() and the server, and the background thread that empties it in batches."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Callable, Optional

from .errors import (
    ClientClosedError,
    EventDict,
    FlushTimeoutError,
    SibylError,
    UnexpectedDeliveryError,
)

logger = logging.getLogger("sibyl_sdk")


@dataclass(frozen=True)
class Pending:
    """A tracked event waiting to be sent: its JSON line, the event (for error reports) and its place."""

    seq: int
    line: bytes
    event: EventDict
    queued_at: float


#: Sends one batch; returns the failure (already typed) or None when every event was accepted.
Deliver = Callable[[list[Pending]], Optional[SibylError]]


class BatchQueue:
    """Holds at most ``capacity`` events and sends them, in order, from one background thread.

    A batch leaves when it has ``batch_size`` events or ``max_batch_bytes`` bytes, when its oldest event has
    waited ``flush_interval`` seconds, or at flush() / close(). Every failure goes to ``on_failure`` (from the
    background thread) and is also kept until a flush() covering the failed events collects it.
    """

    def __init__(
        self,
        deliver: Deliver,
        *,
        capacity: int,
        batch_size: int,
        max_batch_bytes: int,
        flush_interval: float,
        on_failure: Callable[[SibylError], None],
    ) -> None:
        if capacity < 1 or batch_size < 1 or max_batch_bytes < 1:
            raise ValueError("capacity, batch_size and max_batch_bytes must be at least 1")
        if flush_interval <= 0:
            raise ValueError(f"flush_interval must be positive, got {flush_interval}")
        self._deliver = deliver
        self._capacity = capacity
        self._batch_size = batch_size
        self._max_batch_bytes = max_batch_bytes
        self._interval = flush_interval
        self._on_failure = on_failure
        self._cond = threading.Condition()
        self._buffer: deque[Pending] = deque()
        self._buffer_bytes = 0
        self._last_seq = 0
        self._done_seq = 0
        self._flush_to = 0
        self._closing = False
        self._failures: list[tuple[int, SibylError]] = []
        self._worker: threading.Thread | None = None

    def put(self, line: bytes, event: EventDict) -> bool:
        """Queues one event; False (and nothing queued) when the queue is full."""
        with self._cond:
            if self._closing:
                raise ClientClosedError("the client is closed; create a new one to send more events")
            if len(self._buffer) >= self._capacity:
                return False
            self._last_seq += 1
            self._buffer.append(Pending(self._last_seq, line, event, time.monotonic()))
            self._buffer_bytes += len(line) + 1
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="sibyl-sdk-sender", daemon=True)
                self._worker.start()
            self._cond.notify_all()
            return True

    @property
    def capacity(self) -> int:
        return self._capacity

    @property
    def pending(self) -> int:
        """Events tracked and not yet answered for (queued or being sent)."""
        with self._cond:
            return self._last_seq - self._done_seq

    def flush(self, timeout: float | None = None) -> list[SibylError]:
        """Sends everything queued now and waits for the answers; returns the failures of those events."""
        self._refuse_from_worker("flush")
        with self._cond:
            target = self._last_seq
            self._flush_to = max(self._flush_to, target)
            self._cond.notify_all()
            if not self._cond.wait_for(lambda: self._done_seq >= target, timeout):
                raise FlushTimeoutError(timeout or 0.0, target - self._done_seq)
            return self._take_failures(target)

    def close(self, timeout: float | None = None) -> list[SibylError]:
        """Refuses new events, sends the queued ones, stops the thread; returns failures not yet collected."""
        self._refuse_from_worker("close")
        with self._cond:
            self._closing = True
            self._cond.notify_all()
            worker = self._worker
        if worker is not None:
            worker.join(timeout)
            if worker.is_alive():
                raise FlushTimeoutError(timeout or 0.0, self.pending)
        with self._cond:
            return self._take_failures(self._last_seq)

    def _take_failures(self, upto: int) -> list[SibylError]:
        taken = [failure for seq, failure in self._failures if seq <= upto]
        self._failures = [(seq, failure) for seq, failure in self._failures if seq > upto]
        return taken

    def _refuse_from_worker(self, what: str) -> None:
        if threading.current_thread() is self._worker:
            raise RuntimeError(f"{what}() called from the error callback would wait for itself")

    def _run(self) -> None:
        while True:
            batch = self._next_batch()
            if batch is None:
                return
            try:
                failure = self._deliver(batch)
            except Exception as error:
                # Without this the thread would die and every later flush() would wait forever; the error is
                # reported like any other failure instead.
                failure = UnexpectedDeliveryError(error, [pending.event for pending in batch])
            with self._cond:
                self._done_seq = batch[-1].seq
                if failure is not None:
                    self._failures.append((self._done_seq, failure))
                self._cond.notify_all()
            if failure is not None:
                self._report(failure)

    def _next_batch(self) -> list[Pending] | None:
        """Waits until a batch is due and takes it; None when closing and nothing is left."""
        with self._cond:
            while True:
                if self._buffer:
                    wait = self._due_in()
                    if wait <= 0:
                        return self._take_batch()
                    self._cond.wait(wait)
                elif self._closing:
                    return None
                else:
                    self._cond.wait()

    def _due_in(self) -> float:
        oldest = self._buffer[0]
        if (
            self._closing
            or self._flush_to >= oldest.seq
            or len(self._buffer) >= self._batch_size
            or self._buffer_bytes >= self._max_batch_bytes
        ):
            return 0.0
        return oldest.queued_at + self._interval - time.monotonic()

    def _take_batch(self) -> list[Pending]:
        batch: list[Pending] = []
        size = 0
        while self._buffer and len(batch) < self._batch_size:
            line_bytes = len(self._buffer[0].line) + 1
            # A single event larger than the byte bound still goes, alone: the server judges it.
            if batch and size + line_bytes > self._max_batch_bytes:
                break
            pending = self._buffer.popleft()
            batch.append(pending)
            size += line_bytes
        self._buffer_bytes -= size
        return batch

    def _report(self, failure: SibylError) -> None:
        try:
            self._on_failure(failure)
        except Exception:
            # A failing callback must not stop delivery of later batches; it is logged, not hidden.
            logger.exception("the Sibyl error callback raised while handling: %s", failure)
