"""The client against a real Sibyl server started for the test session."""

from __future__ import annotations

import pytest
from sibyl_server import SibylServer

from sibyl_sdk import ApiError, Client, DeliveryError, RejectedEventsError
from sibyl_sdk.models import DetailItemView, EqCondition, Filter, ItemRef, ItemUpsert, UserInfo


def item(item_id: str, title: str, category: str) -> dict[str, object]:
    return {"event_type": "ItemUpsert", "item_id": item_id, "title": title, "categories": [category]}


def view(visitor: str, item_id: str) -> dict[str, object]:
    return {
        "event_type": "DetailItemView",
        "user_info": {"visitor_id": visitor},
        "item": {"item_id": item_id},
    }


def test_tracked_views_shape_the_recommendations(sibyl_server: SibylServer) -> None:
    with Client(sibyl_server.url, sibyl_server.server_key) as shop:
        shop.track(item("it-tent", "Trail tent", "Outdoor > Tents"))
        shop.track(item("it-mat", "Sleeping mat", "Outdoor > Sleeping"))
        shop.track(item("it-stove", "Camp stove", "Outdoor > Cooking"))
    with Client(sibyl_server.url, sibyl_server.tracking_key, batch_size=2) as browser:
        for visitor in ("it-ann", "it-cy"):
            browser.track(view(visitor, "it-tent"))
            browser.track(view(visitor, "it-mat"))
        browser.flush()
        response = browser.recommend(
            "product_page_similar", visitor_id="it-bob", context_item_ids=["it-tent"]
        )

    assert response.placement == "product_page_similar" and response.rec_id
    assert response.items[0].item_id == "it-mat"
    assert response.items[0].context_item_id == "it-tent"
    assert all(entry.item_id != "it-tent" for entry in response.items)


def test_an_event_sent_twice_is_applied_once(sibyl_server: SibylServer) -> None:
    before = sibyl_server.get("/v1/stats")
    with Client(sibyl_server.url, sibyl_server.tracking_key) as client:
        event = {"event_type": "HomePageView", "user_info": {"visitor_id": "it-dup"}, "event_id": "it-dup-1"}
        client.track(event)
        client.flush()
        # What a retry after a lost answer looks like to the server: the same line again.
        client.track(event)
    after = sibyl_server.get("/v1/stats")

    assert after["duplicates"] == _count(before, "duplicates") + 1
    assert _count_of(after, "HomePageView") == _count_of(before, "HomePageView") + 1


def test_refused_lines_come_back_with_their_pointers_and_the_rest_is_accepted(
    sibyl_server: SibylServer,
) -> None:
    client = Client(sibyl_server.url, sibyl_server.tracking_key)
    client.track(view("it-eve", "it-tent"))
    client.track({"event_type": "DetailItemView", "user_info": {"visitor_id": "it-eve"}})
    client.track(
        {
            "event_type": "DetailItemView",
            "user_info": {"visitor_id": "it-eve"},
            "item": {"item_id": "x"},
            "colour": 1,
        }
    )
    with pytest.raises(DeliveryError) as raised:
        client.close()

    (failure,) = raised.value.failures
    assert isinstance(failure, RejectedEventsError)
    assert failure.status == 207 and failure.accepted == 1
    assert [line.line for line in failure.rejected] == [2, 3]
    assert [error.pointer for error in failure.rejected[0].errors] == ["/item"]
    assert [error.pointer for error in failure.rejected[1].errors] == ["/colour"]


def test_a_tracking_key_may_not_change_the_catalog(sibyl_server: SibylServer) -> None:
    client = Client(sibyl_server.url, sibyl_server.tracking_key)
    client.track(item("it-forbidden", "Not allowed", "Outdoor"))
    with pytest.raises(DeliveryError) as raised:
        client.close()

    (failure,) = raised.value.failures
    assert isinstance(failure, RejectedEventsError) and failure.status == 403
    assert failure.rejected[0].errors[0].pointer == "/event_type"
    assert "needs a server key" in failure.rejected[0].errors[0].message


def test_error_answers_are_api_errors(sibyl_server: SibylServer) -> None:
    with Client(sibyl_server.url, sibyl_server.tracking_key) as client:
        with pytest.raises(ApiError) as unknown:
            client.recommend("no_such_placement", visitor_id="it-ann")
        with pytest.raises(ApiError) as invalid:
            client.recommend("trending", visitor_id="it-ann", count=0)
    assert unknown.value.status == 404 and unknown.value.code == "unknown_placement"
    assert unknown.value.errors[0].pointer == "/placement"
    assert invalid.value.status == 400 and invalid.value.errors[0].pointer == "/count"

    stranger = Client(sibyl_server.url, "not-a-key-of-this-server")
    with pytest.raises(ApiError) as refused:
        stranger.recommend("trending", visitor_id="it-ann")
    stranger.close()
    assert refused.value.status == 401 and refused.value.code == "invalid_key"


def _count(stats: dict[str, object], name: str) -> int:
    value = stats[name]
    assert isinstance(value, int)
    return value


def _count_of(stats: dict[str, object], event_type: str) -> int:
    events = stats["events"]
    assert isinstance(events, dict)
    value = events.get(event_type, 0)
    assert isinstance(value, int)
    return value


def test_generated_models_go_in_and_a_typed_filter_narrows_the_answer(sibyl_server: SibylServer) -> None:
    with Client(sibyl_server.url, sibyl_server.server_key) as shop:
        for item_id, brand in (("it-f-north", "Northpeak"), ("it-f-south", "Southway")):
            shop.track(ItemUpsert(item_id=item_id, title=item_id, brand=brand, in_stock=True))
            shop.track(
                DetailItemView(user_info=UserInfo(visitor_id="it-f-ann"), item=ItemRef(item_id=item_id))
            )
        shop.flush()
        northpeak = Filter(eq=EqCondition(field="brand", value="Northpeak"))
        response = shop.recommend("trending", visitor_id="it-f-bob", filter=northpeak, count=50)

    assert "it-f-north" in [entry.item_id for entry in response.items]
    assert "it-f-south" not in [entry.item_id for entry in response.items]
