"""Failures reach the error callback as they happen, and flush() as a DeliveryError, with the reasons."""

from __future__ import annotations

import logging

import pytest
from conftest import ClientFactory, Recorder
from fake_server import FakeSibyl, Reply, error_body

from sibyl_sdk import (
    ApiError,
    DeliveryError,
    ProtocolError,
    RejectedEventsError,
    SibylError,
    ValidationError,
)


def event(item: str) -> dict[str, object]:
    return {"event_type": "DetailItemView", "user_info": {"visitor_id": "ann"}, "item": {"item_id": item}}


def test_a_207_names_each_refused_event_with_its_pointers(
    fake: FakeSibyl, make_client: ClientFactory, recorder: Recorder
) -> None:
    fake.then(
        Reply(
            207,
            {
                "accepted": 2,
                "rejected": [
                    {
                        "line": 2,
                        "event_type": "DetailItemView",
                        "errors": [
                            {"pointer": "/item/item_id", "message": "must NOT have fewer than 1 characters"}
                        ],
                    }
                ],
            },
        )
    )
    client = make_client()
    for item in ("tent", "", "mat"):
        client.track(event(item))
    with pytest.raises(DeliveryError) as raised:
        client.flush()

    (failure,) = raised.value.failures
    assert isinstance(failure, RejectedEventsError)
    assert failure.status == 207 and failure.accepted == 2
    (line,) = failure.rejected
    assert line.line == 2 and line.event_type == "DetailItemView"
    assert line.event["item"] == {"item_id": ""}
    assert line.errors == [
        ValidationError(pointer="/item/item_id", message="must NOT have fewer than 1 characters")
    ]
    assert "line 2 (DetailItemView): /item/item_id: must NOT have fewer than 1 characters" in str(
        raised.value
    )
    assert raised.value.events == [line.event]
    assert recorder.errors == [failure]


def test_an_error_answer_is_an_api_error_holding_the_batch(
    fake: FakeSibyl, make_client: ClientFactory, recorder: Recorder
) -> None:
    fake.then(Reply(401, error_body("invalid_key", "the API key is not valid")))
    client = make_client()
    client.track(event("tent"))
    with pytest.raises(DeliveryError) as raised:
        client.flush()

    (failure,) = raised.value.failures
    assert isinstance(failure, ApiError)
    assert (failure.status, failure.code, failure.message) == (401, "invalid_key", "the API key is not valid")
    assert [lost["item"] for lost in failure.events] == [{"item_id": "tent"}]


def test_a_400_error_body_keeps_its_pointers(fake: FakeSibyl, make_client: ClientFactory) -> None:
    fake.then(
        Reply(400, error_body("empty_batch", "no events", [{"pointer": "", "message": "holds no events"}]))
    )
    client = make_client()
    client.track(event("tent"))
    with pytest.raises(DeliveryError) as raised:
        client.flush()

    (failure,) = raised.value.failures
    assert isinstance(failure, ApiError) and failure.errors == [
        ValidationError(pointer="", message="holds no events")
    ]
    assert "(document): holds no events" in str(failure)


def test_an_answer_that_is_not_the_api_is_a_protocol_error(
    fake: FakeSibyl, make_client: ClientFactory
) -> None:
    fake.then(Reply(200, b"<html>proxy login</html>"), Reply(502, b"bad gateway"))
    client = make_client(batch_size=1)
    client.track(event("tent"))
    client.track(event("mat"))
    with pytest.raises(DeliveryError) as raised:
        client.flush()

    first, second = raised.value.failures
    assert isinstance(first, ProtocolError) and first.status == 200 and "not JSON" in str(first)
    assert isinstance(second, ProtocolError) and second.status == 502
    assert [lost["item"] for lost in raised.value.events] == [{"item_id": "tent"}, {"item_id": "mat"}]


def test_a_rejected_line_outside_the_batch_is_a_protocol_error(
    fake: FakeSibyl, make_client: ClientFactory
) -> None:
    fake.then(
        Reply(207, {"accepted": 0, "rejected": [{"line": 9, "errors": [{"pointer": "", "message": "?"}]}]})
    )
    client = make_client()
    client.track(event("tent"))
    with pytest.raises(DeliveryError) as raised:
        client.flush()
    assert isinstance(raised.value.failures[0], ProtocolError)


def test_flush_reports_each_failure_once(fake: FakeSibyl, make_client: ClientFactory) -> None:
    fake.then(Reply(413, error_body("batch_too_large", "too many")))
    client = make_client()
    client.track(event("tent"))
    with pytest.raises(DeliveryError):
        client.flush()
    client.track(event("mat"))
    client.flush()
    client.close()


def test_failures_found_in_the_background_wait_for_the_next_flush(
    fake: FakeSibyl, make_client: ClientFactory, recorder: Recorder
) -> None:
    fake.then(Reply(401, error_body("missing_key", "send a key")))
    client = make_client(flush_interval=0.01)
    client.track(event("tent"))
    fake.wait_for_requests(1)
    with pytest.raises(DeliveryError) as raised:
        client.close()
    assert isinstance(raised.value.failures[0], ApiError)
    assert recorder.errors == raised.value.failures


def test_a_raising_error_callback_is_logged_and_delivery_goes_on(
    fake: FakeSibyl, make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(failure: SibylError) -> None:
        raise RuntimeError("callback bug")

    fake.then(Reply(401, error_body("invalid_key", "bad key")))
    client = make_client(batch_size=1, on_error=broken)
    with caplog.at_level(logging.ERROR, logger="sibyl_sdk"):
        client.track(event("tent"))
        client.track(event("mat"))
        with pytest.raises(DeliveryError):
            client.flush()
    assert len(fake.received) == 2
    assert "the Sibyl error callback raised" in caplog.text and "callback bug" in caplog.text


def test_the_default_error_callback_logs_a_warning(fake: FakeSibyl, caplog: pytest.LogCaptureFixture) -> None:
    from sibyl_sdk import Client

    fake.then(Reply(401, error_body("invalid_key", "bad key")))
    client = Client(fake.url, "k")
    with caplog.at_level(logging.WARNING, logger="sibyl_sdk"):
        client.track(event("tent"))
        with pytest.raises(DeliveryError):
            client.close()
    assert "Sibyl events not accepted: HTTP 401 invalid_key: bad key" in caplog.text
