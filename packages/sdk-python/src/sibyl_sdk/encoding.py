"""Turning what track() is given into one NDJSON line with an event_id."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any, Protocol, Union

from .errors import EventDict


class SupportsToDict(Protocol):
    """A generated event model (or anything else) that can render itself as the event's JSON object."""

    def to_dict(self) -> Mapping[str, Any]: ...


#: What track() accepts: a generated model such as ``AddToCart(...)``, or the event's JSON object (a mapping).
Event = Union[SupportsToDict, Mapping[str, object]]


def prepare_event(event: Event) -> EventDict:
    """A copy of the event as a JSON object, with a fresh ``event_id`` (a UUID 4) when it has none.

    The id is chosen once, here, so every retry of the batch carries the same id and the server applies the
    event once however many times it arrives.
    """
    data = json_object(event, "an event")
    event_type = data.get("event_type")
    if not isinstance(event_type, str) or not event_type:
        raise ValueError(f"an event needs an event_type string, got {event_type!r}")
    if data.get("event_id") is None:
        data["event_id"] = str(uuid.uuid4())
    return data


def json_object(value: Event, what: str) -> EventDict:
    """A copy of a mapping, or what a model's to_dict() renders; TypeError for anything else."""
    if isinstance(value, Mapping):
        return dict(value)
    if callable(getattr(value, "to_dict", None)):
        rendered = value.to_dict()
        if not isinstance(rendered, Mapping):
            raise TypeError(
                f"{type(value).__name__}.to_dict() returned {type(rendered).__name__}, not a mapping"
            )
        return dict(rendered)
    raise TypeError(f"{what} is a mapping or a model with to_dict(), got {type(value).__name__}")


def encode_line(event: EventDict) -> bytes:
    """The event as one compact JSON line (no newline); TypeError or ValueError when it is not plain JSON."""
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def encode_ndjson(lines: list[bytes]) -> bytes:
    return b"\n".join(lines) + b"\n"
