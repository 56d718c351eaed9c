"""track() queues, a background thread sends NDJSON batches by size, bytes and interval; flush() waits."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest
from conftest import ClientFactory, Recorder
from fake_server import FakeSibyl, Received, Reply, accept_all

from sibyl_sdk import (
    ClientClosedError,
    DeliveryError,
    FlushTimeoutError,
    QueueFullError,
    SibylError,
    UnexpectedDeliveryError,
)
from sibyl_sdk.batching import BatchQueue, Pending


def view(visitor: str, item: str) -> dict[str, object]:
    return {"event_type": "DetailItemView", "user_info": {"visitor_id": visitor}, "item": {"item_id": item}}


def test_sends_ndjson_batches_of_at_most_batch_size(fake: FakeSibyl, make_client: ClientFactory) -> None:
    client = make_client(batch_size=3)
    for index in range(7):
        assert client.track(view("ann", f"item-{index}"))
    client.flush()

    requests = fake.received
    assert [len(request.lines) for request in requests] == [3, 3, 1]
    assert [line["item"] for request in requests for line in request.lines] == [
        {"item_id": f"item-{index}"} for index in range(7)
    ]
    first = requests[0]
    assert first.path == "/v1/events"
    assert first.headers["content-type"] == "application/x-ndjson"
    assert first.headers["authorization"] == "Bearer test-key"
    assert first.headers["user-agent"].startswith("sibyl-sdk-python/")
    assert first.body.endswith(b"\n") and first.body.count(b"\n") == 3
    assert client.pending == 0


def test_a_batch_leaves_when_its_oldest_event_has_waited_the_flush_interval(
    fake: FakeSibyl, make_client: ClientFactory
) -> None:
    client = make_client(batch_size=100, flush_interval=0.05)
    client.track(view("ann", "tent"))
    client.track(view("ann", "mat"))

    (request,) = fake.wait_for_requests(1)
    assert [line["item"] for line in request.lines] == [{"item_id": "tent"}, {"item_id": "mat"}]


def test_a_batch_leaves_when_it_reaches_max_batch_bytes(fake: FakeSibyl, make_client: ClientFactory) -> None:
    line_bytes = len(
        b'{"event_type":"DetailItemView","user_info":{"visitor_id":"ann"},"item":{"item_id":"i-0"}}'
    )
    event_id_bytes = len(',"event_id":""') + 36
    client = make_client(batch_size=100, max_batch_bytes=2 * (line_bytes + event_id_bytes + 1))
    for index in range(5):
        client.track(view("ann", f"i-{index}"))
    client.flush()

    assert [len(request.lines) for request in fake.received] == [2, 2, 1]


def test_every_event_gets_an_event_id_and_the_callers_own_is_kept(
    fake: FakeSibyl, make_client: ClientFactory
) -> None:
    client = make_client()
    mine = view("ann", "tent")
    mine["event_id"] = "order-17-view"
    theirs = view("bob", "mat")
    client.track(mine)
    client.track(theirs)
    client.flush()

    sent = fake.events()
    assert sent[0]["event_id"] == "order-17-view"
    generated = sent[1]["event_id"]
    assert isinstance(generated, str) and uuid.UUID(generated).version == 4
    assert "event_id" not in theirs, "the caller's mapping is copied, not changed"


class ModelLike:
    """Anything with to_dict() is sent as what it renders, like the generated models."""

    def __init__(self, item_id: str) -> None:
        self.item_id = item_id

    def to_dict(self) -> dict[str, Any]:
        return {"event_type": "ItemRemove", "item_id": self.item_id}


def test_accepts_objects_with_to_dict(fake: FakeSibyl, make_client: ClientFactory) -> None:
    client = make_client()
    client.track(ModelLike("tent"))
    client.flush()

    (event,) = fake.events()
    assert event["event_type"] == "ItemRemove" and event["item_id"] == "tent" and "event_id" in event


def test_refuses_in_the_callers_thread_what_is_not_an_event(make_client: ClientFactory) -> None:
    client = make_client()
    with pytest.raises(ValueError, match="event_type"):
        client.track({"item_id": "tent"})
    with pytest.raises(TypeError):
        client.track({"event_type": "ItemRemove", "item_id": {"not", "json"}})
    with pytest.raises(ValueError):
        client.track({"event_type": "RateItem", "rating": float("nan")})
    with pytest.raises(TypeError, match="mapping or a model"):
        client.track(42)  # type: ignore[arg-type]
    assert client.pending == 0


def test_a_full_queue_drops_the_new_event_and_tells_the_error_callback(
    fake: FakeSibyl, make_client: ClientFactory, recorder: Recorder
) -> None:
    release = threading.Event()

    def slow(request: Received) -> Reply:
        release.wait()
        return accept_all(request)

    fake.default = slow
    client = make_client(batch_size=1, max_queue_size=2)
    assert client.track(view("ann", "in-flight"))
    fake.wait_for_requests(1)
    assert client.track(view("ann", "queued-1"))
    assert client.track(view("ann", "queued-2"))
    assert not client.track(view("ann", "dropped"))

    (failure,) = recorder.errors
    assert isinstance(failure, QueueFullError)
    assert failure.capacity == 2
    assert failure.event["item"] == {"item_id": "dropped"}
    release.set()
    client.flush()
    assert [event["item"] for event in fake.events()] == [
        {"item_id": "in-flight"},
        {"item_id": "queued-1"},
        {"item_id": "queued-2"},
    ]


def test_close_sends_what_is_queued_and_then_refuses_events(
    fake: FakeSibyl, make_client: ClientFactory
) -> None:
    client = make_client()
    client.track(view("ann", "tent"))
    client.close()
    client.close()

    assert len(fake.events()) == 1
    with pytest.raises(ClientClosedError):
        client.track(view("ann", "mat"))
    with pytest.raises(ClientClosedError):
        client.recommend("trending", visitor_id="ann")


def test_flush_with_nothing_tracked_sends_nothing(fake: FakeSibyl, make_client: ClientFactory) -> None:
    client = make_client()
    client.flush()
    assert fake.received == []


def test_track_is_safe_from_many_threads(fake: FakeSibyl, make_client: ClientFactory) -> None:
    client = make_client(batch_size=7)

    def send(thread: int) -> None:
        for index in range(50):
            client.track(view(f"v{thread}", f"i{index}"))

    threads = [threading.Thread(target=send, args=(thread,)) for thread in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    client.flush()

    ids = [event["event_id"] for event in fake.events()]
    assert len(ids) == 200 and len(set(ids)) == 200
    assert all(len(request.lines) <= 7 for request in fake.received)


def test_flush_gives_up_waiting_after_its_timeout(fake: FakeSibyl, make_client: ClientFactory) -> None:
    release = threading.Event()

    def stuck(request: Received) -> Reply:
        release.wait()
        return accept_all(request)

    fake.default = stuck
    client = make_client()
    client.track(view("ann", "tent"))
    with pytest.raises(FlushTimeoutError) as raised:
        client.flush(timeout=0.05)
    assert raised.value.pending == 1
    release.set()
    client.flush()
    assert client.pending == 0


def test_a_bug_in_one_delivery_is_reported_and_later_batches_still_go() -> None:
    delivered: list[list[str]] = []
    failures: list[SibylError] = []

    def deliver(batch: list[Pending]) -> SibylError | None:
        items = [pending.line.decode() for pending in batch]
        if items == ["boom"]:
            raise KeyError("a bug")
        delivered.append(items)
        return None

    queue = BatchQueue(
        deliver,
        capacity=10,
        batch_size=1,
        max_batch_bytes=1000,
        flush_interval=60,
        on_failure=failures.append,
    )
    queue.put(b"boom", {"event_type": "X"})
    queue.put(b"fine", {"event_type": "X"})
    (failure,) = queue.flush()
    assert isinstance(failure, UnexpectedDeliveryError) and isinstance(failure.__cause__, KeyError)
    assert failure.events == [{"event_type": "X"}]
    assert failures == [failure]
    assert delivered == [["fine"]]
    assert queue.close() == []


def test_flush_from_the_error_callback_is_refused(fake: FakeSibyl, make_client: ClientFactory) -> None:
    seen: list[BaseException] = []
    fake.then(Reply(401, {"error": "invalid_key", "message": "bad key"}))

    def flush_inside(failure: SibylError) -> None:
        try:
            client.flush()
        except RuntimeError as error:
            seen.append(error)

    client = make_client(on_error=flush_inside)
    client.track(view("ann", "tent"))
    with pytest.raises(DeliveryError):
        client.flush()
    assert len(seen) == 1 and "wait for itself" in str(seen[0])
