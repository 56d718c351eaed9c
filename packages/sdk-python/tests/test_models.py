"""The generated models against the shared test vectors in schemas/examples (which TS and Go read too)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fake_server import FakeSibyl
from sibyl_server import REPO

from sibyl_sdk import Client, DecodeError
from sibyl_sdk.models import DetailItemView, ItemRef, UserInfo, event_from_dict

EXAMPLES = REPO / "schemas" / "examples"
VALID = sorted(EXAMPLES.glob("*/valid/*.json"))
INVALID = sorted(
    path for path in EXAMPLES.glob("*/invalid/*.json") if not path.name.endswith(".expected.json")
)


def vector_id(path: Path) -> str:
    return f"{path.parts[-3]}/{path.parts[-2]}/{path.stem}"


def test_the_vectors_are_there() -> None:
    event_types = {path.parts[-3] for path in VALID}
    assert len(event_types) >= 35 and len(INVALID) >= 3 * 35


@pytest.mark.parametrize("path", VALID, ids=vector_id)
def test_every_valid_vector_decodes_and_renders_back_unchanged(path: Path) -> None:
    document = json.loads(path.read_text("utf-8"))
    model = event_from_dict(document)
    assert type(model).__name__ == path.parts[-3]
    assert model.to_dict() == document


@pytest.mark.parametrize("path", INVALID, ids=vector_id)
def test_an_invalid_vector_the_models_refuse_is_refused_where_the_server_would(path: Path) -> None:
    document = json.loads(path.read_text("utf-8"))
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))
    try:
        event_from_dict(document)
    except DecodeError as error:
        assert error.pointer == expected["pointer"], f"{error} (the server says {expected})"
        return
    # The models check JSON types, required and unknown properties; bounds and patterns are the server's.
    assert expected["reason"], "every vector names its defect"


STRUCTURAL = [
    path
    for path in INVALID
    if any(
        words in json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))["reason"]
        for words in ("is required", "is not a property")
    )
]


def test_there_are_structural_defects_among_the_vectors() -> None:
    assert len(STRUCTURAL) >= 35


@pytest.mark.parametrize("path", STRUCTURAL, ids=vector_id)
def test_a_missing_or_unknown_property_is_refused_before_sending(path: Path) -> None:
    with pytest.raises(DecodeError):
        event_from_dict(json.loads(path.read_text("utf-8")))


def test_a_model_is_sent_as_its_json(fake: FakeSibyl) -> None:
    client = Client(fake.url, "k")
    client.track(
        DetailItemView(item=ItemRef(item_id="tent"), user_info=UserInfo(visitor_id="ann"), event_time=7)
    )
    client.close()

    (sent,) = fake.events()
    event_id = sent.pop("event_id")
    assert isinstance(event_id, str)
    assert sent == {
        "event_type": "DetailItemView",
        "item": {"item_id": "tent"},
        "user_info": {"visitor_id": "ann"},
        "event_time": 7,
    }
