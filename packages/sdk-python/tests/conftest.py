"""Fixtures: a scripted fake server, clients that record their retries and errors, and a real Sibyl server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

import pytest
from fake_server import FakeSibyl
from sibyl_server import SibylServer, start_sibyl_server

from sibyl_sdk import Client, RetryPolicy, SibylError


@dataclass
class Recorder:
    """Collects what the client hands to its error callback and how long it was asked to sleep."""

    errors: list[SibylError] = field(default_factory=list)
    sleeps: list[float] = field(default_factory=list)

    def on_error(self, failure: SibylError) -> None:
        self.errors.append(failure)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


class ClientFactory(Protocol):
    def __call__(
        self,
        *,
        retry: RetryPolicy | None = None,
        batch_size: int = 100,
        flush_interval: float = 60.0,
        max_queue_size: int = 10_000,
        max_batch_bytes: int = 4 * 1024 * 1024,
        on_error: Callable[[SibylError], None] | None = None,
    ) -> Client: ...


@pytest.fixture
def fake() -> Iterator[FakeSibyl]:
    server = FakeSibyl()
    yield server
    server.close()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def make_client(fake: FakeSibyl, recorder: Recorder) -> Iterator[ClientFactory]:
    """Clients of the fake server that flush on demand and retry into the recorder (jitter fixed at 0.5)."""
    clients: list[Client] = []

    def make(
        *,
        retry: RetryPolicy | None = None,
        batch_size: int = 100,
        flush_interval: float = 60.0,
        max_queue_size: int = 10_000,
        max_batch_bytes: int = 4 * 1024 * 1024,
        on_error: Callable[[SibylError], None] | None = None,
    ) -> Client:
        client = Client(
            fake.url,
            "test-key",
            retry=retry
            or RetryPolicy(max_attempts=4, base_delay=0.1, sleep=recorder.sleep, random=lambda: 0.5),
            batch_size=batch_size,
            flush_interval=flush_interval,
            max_queue_size=max_queue_size,
            max_batch_bytes=max_batch_bytes,
            on_error=on_error or recorder.on_error,
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture(scope="session")
def sibyl_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SibylServer]:
    """One real Sibyl server for the integration tests, on a fresh data directory."""
    data_dir: Path = tmp_path_factory.mktemp("sibyl-data")
    with start_sibyl_server(data_dir) as server:
        yield server
