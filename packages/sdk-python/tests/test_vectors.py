"""The shared test vectors of schemas/examples, read by the Python models as the TypeScript and Go suites do.

Every valid vector decodes into its model and encodes back to an equal JSON document. Every invalid vector
carries one defect; the models reject the kinds their types can tell (a missing required property, an unknown
property, a wrong JSON type, a value outside an enumeration or const) at the vector's expected pointer. The
other kinds are left to the server, and the models must carry such a document unchanged: string lengths and
patterns, numeric bounds, list sizes, uniqueItems, formats, and the Filter's exactly-one-key rule
(min/maxProperties). Which kind a vector has is read from the schema, not listed here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, cast

import pytest

from sibyl_sdk import models

SCHEMAS = Path(__file__).resolve().parents[3] / "schemas"
EXAMPLES = SCHEMAS / "examples"


@dataclass(frozen=True)
class Vector:
    event_type: str
    name: str
    document: Any
    #: The JSON pointer of an invalid vector's defect, from its .expected.json.
    pointer: str | None

    def __str__(self) -> str:
        return f"{self.event_type}/{self.name}"


def load_vectors(kind: str) -> list[Vector]:
    vectors = []
    for type_dir in sorted(EXAMPLES.iterdir()):
        for path in sorted((type_dir / kind).glob("*.json")):
            if path.name.endswith(".expected.json"):
                continue
            pointer = None
            if kind == "invalid":
                expected = json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))
                pointer = expected["pointer"]
            vectors.append(Vector(type_dir.name, path.name, json.loads(path.read_text("utf-8")), pointer))
    assert vectors, f"no {kind} vectors under {EXAMPLES}"
    return vectors


VALID = load_vectors("valid")
INVALID = load_vectors("invalid")


def decoder_of(event_type: str) -> Callable[[Any], models.SibylEvent]:
    model = getattr(models, event_type)
    return cast(Callable[[Any], models.SibylEvent], model.from_dict)


@pytest.mark.parametrize("vector", VALID, ids=str)
def test_valid_vectors_round_trip(vector: Vector) -> None:
    event = models.event_from_dict(vector.document)
    assert type(event).__name__ == vector.event_type
    assert event.event_type == vector.event_type
    encoded = json.dumps(event.to_dict())
    assert json.loads(encoded) == vector.document


def test_every_event_type_has_vectors() -> None:
    assert sorted({vector.event_type for vector in VALID}) == sorted(models.EVENT_TYPES)


@pytest.mark.parametrize("vector", INVALID, ids=str)
def test_invalid_vectors(vector: Vector) -> None:
    assert vector.pointer is not None
    defect = defect_kind(vector.event_type, vector.document, vector.pointer)
    decode = decoder_of(vector.event_type)
    if defect is not None:
        with pytest.raises(models.DecodeError) as raised:
            decode(vector.document)
        assert raised.value.pointer == vector.pointer, f"{defect}: {raised.value}"
        return
    event = decode(vector.document)
    assert json.loads(json.dumps(event.to_dict())) == vector.document, "the model changed what it passes on"


@pytest.mark.parametrize(
    ("document", "pointer", "reason"),
    [
        ([], "", "an event must be an object, not an array"),
        ({"item_id": "a"}, "/event_type", "event_type is required"),
        ({"event_type": 7}, "/event_type", "must be a string, not a number"),
        ({"event_type": "Teleport"}, "/event_type", "'Teleport' is not an event type"),
        (
            {"event_type": "ItemRemove", "item_id": "a", "event_time": 1.5},
            "/event_time",
            "must be an integer, not 1.5",
        ),
        ({"event_type": "ItemRemove", "item_id": None}, "/item_id", "must be a string, not null"),
    ],
)
def test_event_from_dict_names_what_is_wrong(document: Any, pointer: str, reason: str) -> None:
    with pytest.raises(models.DecodeError) as raised:
        models.event_from_dict(document)
    assert (raised.value.pointer, raised.value.reason) == (pointer, reason)


def test_integral_floats_are_integers_as_the_server_reads_them() -> None:
    event = models.event_from_dict({"event_type": "ItemRemove", "item_id": "a", "event_time": 3.0})
    assert isinstance(event, models.ItemRemove)
    assert event.event_time == 3
    assert isinstance(event.event_time, int)


def test_models_encode_only_what_is_set() -> None:
    patch = models.ItemPatch(item_id="sku-1", tags=[], title="Tent")
    # An empty list is a value (clear the tags), unlike None (keep them).
    assert patch.to_dict() == {"event_type": "ItemPatch", "item_id": "sku-1", "tags": [], "title": "Tent"}


def defect_kind(event_type: str, document: Any, pointer: str) -> str | None:
    """Names the defect when the model's types can tell it, None when only the server can."""
    tokens = pointer_tokens(pointer)
    assert tokens, f"pointer {pointer!r} names the whole document"
    *parent_tokens, last = tokens
    parent = value_at(document, parent_tokens)
    event_file = SCHEMAS / "events" / f"{event_type}.schema.json"
    parent_schema = schema_at(event_file, parent_tokens)
    if isinstance(parent, dict):
        if last not in parent:
            return "missing required property"
        closed = parent_schema.get("additionalProperties") is False
        if closed and last not in parent_schema.get("properties", {}):
            return "unknown property"
        value = parent[last]
    else:
        assert isinstance(parent, list), f"pointer {pointer!r} goes through a scalar"
        value = parent[int(last)]
    schema = schema_at(event_file, tokens)
    if "const" in schema and schema["const"] != value:
        return "wrong const"
    if "enum" in schema and value not in schema["enum"]:
        return "value outside the enumeration"
    if "type" in schema and not type_matches(schema["type"], value):
        return "wrong type"
    return None


def pointer_tokens(pointer: str) -> list[str]:
    if pointer == "":
        return []
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/")]


def value_at(document: Any, tokens: list[str]) -> Any:
    value = document
    for token in tokens:
        value = value[int(token)] if isinstance(value, list) else value[token]
    return value


_loaded: dict[Path, dict[str, Any]] = {}


def load_schema(path: Path) -> dict[str, Any]:
    if path not in _loaded:
        _loaded[path] = json.loads(path.read_text("utf-8"))
    return _loaded[path]


def resolve(path: Path, schema: dict[str, Any]) -> tuple[Path, dict[str, Any]]:
    """Follows $refs (relative file paths and #/ fragments) until a schema without one."""
    while "$ref" in schema:
        target, _, fragment = str(schema["$ref"]).partition("#")
        if target:
            path = (path.parent / target).resolve()
        node: Any = load_schema(path)
        for token in pointer_tokens(fragment):
            node = node[token]
        schema = node
    return path, schema


def schema_at(path: Path, tokens: list[str]) -> dict[str, Any]:
    """The schema that governs the value at `tokens` of a document of the schema file at `path`."""
    path, schema = resolve(path, load_schema(path))
    for token in tokens:
        if token in schema.get("properties", {}):
            following = schema["properties"][token]
        elif isinstance(schema.get("items"), dict):
            following = schema["items"]
        elif isinstance(schema.get("additionalProperties"), dict):
            following = schema["additionalProperties"]
        else:
            return {}
        path, schema = resolve(path, following)
    return schema


def type_matches(declared: str | list[str], value: Any) -> bool:
    names = [declared] if isinstance(declared, str) else declared
    checks: dict[str, Callable[[Any], bool]] = {
        "string": lambda v: isinstance(v, str),
        "boolean": lambda v: isinstance(v, bool),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer()),
        "array": lambda v: isinstance(v, list),
        "object": lambda v: isinstance(v, dict),
        "null": lambda v: v is None,
    }
    return any(checks[name](value) for name in names)
