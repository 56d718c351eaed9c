"""recommend(): the RecoRequest it sends and the typed RecoResponse or ApiError it returns."""

from __future__ import annotations

import uuid

import pytest
from conftest import ClientFactory
from fake_server import FakeSibyl, Reply, error_body

from sibyl_sdk import ApiError, ProtocolError, RecoResponse, ValidationError
from sibyl_sdk.models import EqCondition, EventContext, Filter

ANSWER: dict[str, object] = {
    "rec_id": "r-42",
    "placement": "product_page_similar",
    "items": [
        {"item_id": "mat", "score": 0.9, "strategy": "cooccurrence", "context_item_id": "tent"},
        {"item_id": "stove", "score": 0.4, "strategy": "fallback:popular"},
    ],
}


def test_sends_a_reco_request_and_returns_the_typed_response(
    fake: FakeSibyl, make_client: ClientFactory
) -> None:
    fake.then(Reply(200, ANSWER))
    client = make_client()
    response = client.recommend(
        "product_page_similar",
        visitor_id="bob",
        user_id="u-7",
        context_item_ids=["tent"],
        count=2,
        filter={"eq": {"field": "in_stock", "value": True}},
        exclude_item_ids=["lamp"],
    )

    assert isinstance(response, RecoResponse)
    assert response.rec_id == "r-42" and response.placement == "product_page_similar"
    assert [(item.item_id, item.strategy, item.context_item_id) for item in response.items] == [
        ("mat", "cooccurrence", "tent"),
        ("stove", "fallback:popular", None),
    ]
    (request,) = fake.received
    assert request.path == "/v1/recommend"
    assert request.headers["content-type"] == "application/json"
    sent = request.json
    event_id = sent.pop("event_id")
    assert isinstance(event_id, str) and uuid.UUID(event_id).version == 4
    assert sent == {
        "event_type": "RecoRequest",
        "placement": "product_page_similar",
        "user_info": {"visitor_id": "bob", "user_id": "u-7"},
        "context_item_ids": ["tent"],
        "count": 2,
        "filter": {"eq": {"field": "in_stock", "value": True}},
        "exclude_item_ids": ["lamp"],
    }


def test_leaves_out_what_is_not_given(fake: FakeSibyl, make_client: ClientFactory) -> None:
    fake.then(Reply(200, {"rec_id": "r-1", "placement": "trending", "items": []}))
    make_client().recommend("trending", visitor_id="ann")

    sent = fake.received[0].json
    assert set(sent) == {"event_type", "event_id", "placement", "user_info"}


def test_an_unknown_placement_is_an_api_error_with_its_pointer(
    fake: FakeSibyl, make_client: ClientFactory
) -> None:
    fake.then(
        Reply(
            404,
            error_body(
                "unknown_placement",
                "no placement named nowhere",
                [{"pointer": "/placement", "message": "no placement named nowhere"}],
            ),
        )
    )
    with pytest.raises(ApiError) as raised:
        make_client().recommend("nowhere", visitor_id="ann")

    assert raised.value.status == 404 and raised.value.code == "unknown_placement"
    assert raised.value.errors == [
        ValidationError(pointer="/placement", message="no placement named nowhere")
    ]
    assert raised.value.events == []


def test_an_invalid_request_carries_every_pointer(fake: FakeSibyl, make_client: ClientFactory) -> None:
    errors = [
        {"pointer": "/count", "message": "must be <= 1000"},
        {"pointer": "/user_info/visitor_id", "message": "must NOT have fewer than 1 characters"},
    ]
    fake.then(Reply(400, error_body("invalid_request", "the request is not a valid RecoRequest", errors)))
    with pytest.raises(ApiError) as raised:
        make_client().recommend("trending", visitor_id="", count=5000)

    assert [error.pointer for error in raised.value.errors] == ["/count", "/user_info/visitor_id"]
    assert "/count: must be <= 1000" in str(raised.value)


def test_a_response_of_the_wrong_shape_is_a_protocol_error(
    fake: FakeSibyl, make_client: ClientFactory
) -> None:
    fake.then(Reply(200, {"rec_id": "r-1", "items": "none"}))
    with pytest.raises(ProtocolError):
        make_client().recommend("trending", visitor_id="ann")


def test_takes_the_generated_filter_and_context(fake: FakeSibyl, make_client: ClientFactory) -> None:
    fake.then(Reply(200, {"rec_id": "r-1", "placement": "trending", "items": []}))
    make_client().recommend(
        "trending",
        visitor_id="ann",
        filter=Filter(not_=Filter(eq=EqCondition(field="brand", value="Acme"))),
        context=EventContext(url="https://shop.example.com/"),
    )

    sent = fake.received[0].json
    assert sent["filter"] == {"not": {"eq": {"field": "brand", "value": "Acme"}}}
    assert sent["context"] == {"url": "https://shop.example.com/"}


def test_refuses_a_filter_that_is_neither_model_nor_mapping(make_client: ClientFactory) -> None:
    with pytest.raises(TypeError, match="filter is a mapping or a model"):
        make_client().recommend("trending", visitor_id="ann", filter="brand = Acme")  # type: ignore[arg-type]
