"""The window's device process pushes on its own: a periodic task on the bench's loop, each push on a
worker thread, so the loop stays free for phones whether the server answers or not."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from station.core.policy import default_policy_path, load_policy
from station.workbench import depot_link
from station.workbench.bench import Bench
from tests.depot.conftest import Depot
from tests.depot.helpers import depot_count, init, station, write


def wait_for(condition: object, seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.1)
    return False


def test_a_joined_bench_pushes_periodically_and_its_loop_never_waits(depot_db: Depot, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch) -> None:
    init(depot_db)
    data_dir = station(tmp_path, depot_db, "bench-1")
    monkeypatch.setattr(depot_link, "PUSH_INTERVAL_S", 0.2)
    write(data_dir, 3)
    bench = Bench(load_policy(default_policy_path()), data_dir, lambda event: None)
    bench.start()
    try:
        assert wait_for(lambda: depot_count(depot_db) == 3)
        depot_db.server.stop()
        try:
            write(data_dir, 2)
            time.sleep(0.5)  # pushes fail meanwhile, and are tried again
        finally:
            depot_db.server.start()
        assert wait_for(lambda: depot_count(depot_db) == 5)
    finally:
        bench.close()


def test_a_push_that_hangs_never_holds_up_the_bench_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[float] = []

    def hanging_push(data_dir: Path, always: bool = True) -> str | None:  # a server that answers only at its statement timeout
        calls.append(time.monotonic())
        time.sleep(2.0)
        return "timed out"

    (tmp_path / "depot.toml").write_text('dsn = "host=127.0.0.1 dbname=x"\nname = "bench-1"\n')
    monkeypatch.setattr(depot_link, "push_quietly", hanging_push)
    bench = Bench(load_policy(default_policy_path()), tmp_path, lambda event: None)
    bench.start()
    try:
        assert wait_for(lambda: bool(calls), 5.0)
        started = time.monotonic()
        for _ in range(10):
            assert bench.submit(asyncio.sleep(0, result=1)).result(timeout=1) == 1
        assert time.monotonic() - started < 1.0
    finally:
        bench.close()
