"""Retries only on 429, 503 and network errors; Retry-After honoured; exponential backoff, full jitter."""

from __future__ import annotations

import socket
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from conftest import ClientFactory, Recorder
from fake_server import HANG_UP, FakeSibyl, Reply, error_body

from sibyl_sdk import (
    Client,
    DeliveryError,
    RejectedEventsError,
    RetriesExhaustedError,
    RetryPolicy,
)
from sibyl_sdk.retry import parse_retry_after

BUSY = Reply(503, error_body("overloaded", "too many bytes in flight; retry"), {"Retry-After": "2"})
THROTTLED = Reply(429, error_body("rate_limited", "slow down"))


def event(item: str) -> dict[str, object]:
    return {"event_type": "DetailItemView", "user_info": {"visitor_id": "ann"}, "item": {"item_id": item}}


def test_a_503_is_retried_after_its_retry_after_with_the_same_event_ids(
    fake: FakeSibyl, make_client: ClientFactory, recorder: Recorder
) -> None:
    fake.then(BUSY)
    client = make_client()
    client.track(event("tent"))
    client.track(event("mat"))
    client.flush()

    first, second = fake.received
    assert first.body == second.body, "a retry resends the same lines, event_ids included"
    assert recorder.sleeps == [2.0]
    assert recorder.errors == []


def test_429_and_network_errors_back_off_exponentially_with_full_jitter(
    fake: FakeSibyl, make_client: ClientFactory, recorder: Recorder
) -> None:
    fake.then(THROTTLED, HANG_UP, THROTTLED)
    client = make_client()
    client.track(event("tent"))
    client.flush()

    assert len(fake.received) == 4
    # base 0.1 s doubling per attempt, times the fixed jitter draw of 0.5.
    assert recorder.sleeps == pytest.approx([0.05, 0.1, 0.2])
    assert recorder.errors == []


def test_gives_up_after_max_attempts_and_reports_the_events(
    fake: FakeSibyl, make_client: ClientFactory, recorder: Recorder
) -> None:
    fake.then(BUSY, BUSY, BUSY, BUSY)
    client = make_client()
    client.track(event("tent"))
    with pytest.raises(DeliveryError) as raised:
        client.flush()

    (failure,) = raised.value.failures
    assert isinstance(failure, RetriesExhaustedError)
    assert failure.attempts == 4 and failure.last_status == 503
    assert "overloaded" in str(failure)
    assert [lost["item"] for lost in failure.events] == [{"item_id": "tent"}]
    assert recorder.errors == [failure]
    assert len(recorder.sleeps) == 3
    client.flush()  # the failure was reported once; nothing is left


def test_an_unreachable_server_is_retried_then_given_up(recorder: Recorder) -> None:
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
    policy = RetryPolicy(max_attempts=3, base_delay=1.0, sleep=recorder.sleep, random=lambda: 1.0)
    client = Client(f"http://127.0.0.1:{port}", "k", retry=policy, on_error=recorder.on_error)
    client.track(event("tent"))
    with pytest.raises(DeliveryError) as raised:
        client.close()

    (failure,) = raised.value.failures
    assert isinstance(failure, RetriesExhaustedError) and failure.last_status is None
    assert "refused" in str(failure.__cause__).lower()
    assert recorder.sleeps == [1.0, 2.0]


@pytest.mark.parametrize("status", [207, 400, 403])
def test_refused_lines_are_never_retried(
    fake: FakeSibyl, make_client: ClientFactory, recorder: Recorder, status: int
) -> None:
    rejected = [{"line": 1, "event_type": "DetailItemView", "errors": [{"pointer": "/item", "message": "x"}]}]
    fake.then(Reply(status, {"accepted": 1 if status == 207 else 0, "rejected": rejected}))
    client = make_client()
    client.track(event("tent"))
    with pytest.raises(DeliveryError) as raised:
        client.flush()

    assert len(fake.received) == 1
    assert recorder.sleeps == []
    assert isinstance(raised.value.failures[0], RejectedEventsError)


def test_recommend_is_retried_like_track(
    fake: FakeSibyl, make_client: ClientFactory, recorder: Recorder
) -> None:
    answer = {"rec_id": "r-1", "placement": "trending", "items": []}
    fake.then(BUSY, HANG_UP, Reply(200, answer))
    client = make_client()
    response = client.recommend("trending", visitor_id="ann")

    assert response.rec_id == "r-1"
    bodies = {request.body for request in fake.received}
    assert len(fake.received) == 3 and len(bodies) == 1, "every attempt carries the same event_id"
    assert recorder.sleeps == pytest.approx([2.0, 0.1])


def test_recommend_gives_up_with_retries_exhausted(fake: FakeSibyl, make_client: ClientFactory) -> None:
    fake.then(THROTTLED, THROTTLED, THROTTLED, THROTTLED)
    client = make_client()
    with pytest.raises(RetriesExhaustedError) as raised:
        client.recommend("trending", visitor_id="ann")
    assert raised.value.last_status == 429 and raised.value.attempts == 4


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert parse_retry_after("5") == 5.0
    assert parse_retry_after(" 0 ") == 0.0
    later = format_datetime(now + timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(later, now=now.timestamp()) == 30.0
    earlier = format_datetime(now - timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(earlier, now=now.timestamp()) == 0.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("-3") is None


def test_backoff_is_capped_and_retry_after_bounded() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=5.0, max_retry_after=60.0, random=lambda: 1.0)
    assert [policy.delay(attempt) for attempt in range(1, 6)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    assert policy.delay(1, retry_after=3600.0) == 60.0
    jittered = RetryPolicy(base_delay=1.0, random=lambda: 0.25)
    assert jittered.delay(3) == 1.0
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)
