"""Sibyl's Python SDK: send typed events to a Sibyl server and ask it for recommendations."""

from .client import Client, log_failure
from .encoding import Event, SupportsToDict
from .errors import (
    ApiError,
    ClientClosedError,
    DeliveryError,
    EventDict,
    FlushTimeoutError,
    NetworkError,
    ProtocolError,
    QueueFullError,
    RejectedEvent,
    RejectedEventsError,
    RetriesExhaustedError,
    SibylError,
    UnexpectedDeliveryError,
)
from .models import DecodeError, RecoItem, RecoResponse, ValidationError
from .retry import RetryPolicy

__all__ = [
    "ApiError",
    "Client",
    "ClientClosedError",
    "DecodeError",
    "DeliveryError",
    "Event",
    "EventDict",
    "FlushTimeoutError",
    "NetworkError",
    "ProtocolError",
    "QueueFullError",
    "RecoItem",
    "RecoResponse",
    "RejectedEvent",
    "RejectedEventsError",
    "RetriesExhaustedError",
    "RetryPolicy",
    "SibylError",
    "SupportsToDict",
    "UnexpectedDeliveryError",
    "ValidationError",
    "log_failure",
]
