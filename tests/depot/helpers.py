"""Stations and records for the depot's tests, written through the station's own log and command."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from station.audit.records import RecordKind
from station.audit.store import Store
from station.cli import main
from station.core.models import DeviceIdentity, Platform
from tests.depot.conftest import Depot
from tests.depot.pg_server import STATION_ROLE, SUPER_PASSWORD

PHONE = DeviceIdentity(Platform.ANDROID, "R58N12ABCDE", "samsung", "SM-S911W", "14", imei="356938035643809")
OTHER = DeviceIdentity(Platform.ANDROID, "ZY22BQ9XYZ", "motorola", "moto g", "13", imei="490154203237518")


def init(depot: Depot) -> None:
    """`station depot init` as the server's administrator, letting the test's station role in."""
    saved = os.environ.get("PGPASSWORD")
    os.environ["PGPASSWORD"] = SUPER_PASSWORD
    try:
        assert main(["depot", "init", depot.admin_dsn, "--grant", STATION_ROLE]) == 0
    finally:
        if saved is None:
            del os.environ["PGPASSWORD"]
        else:
            os.environ["PGPASSWORD"] = saved


def write(data_dir: Path, count: int, phone: DeviceIdentity = PHONE, kind: RecordKind = RecordKind.SCAN) -> None:
    """``count`` records about ``phone`` in the station's own log, as a run of the station writes them."""
    store = Store.open(data_dir)
    try:
        run = store.start_run("scan", None)
        for number in range(count):
            store.record(run, kind, address="127.0.0.1:5555", platform="android", identity=phone, data={"n": number})
    finally:
        store.close()


def station(tmp_path: Path, depot: Depot, name: str, records: int = 0) -> Path:
    """A data folder with ``records`` records, joined to ``depot`` as ``name``."""
    data_dir = tmp_path / name
    data_dir.mkdir()
    write(data_dir, records)
    assert cli(data_dir, "depot", "join", depot.dsn, "--name", name) == 0
    return data_dir


def cli(data_dir: Path, *argv: str) -> int:
    return main(["--data-dir", str(data_dir), *argv])


def cli_json(capsys: pytest.CaptureFixture[str], data_dir: Path, *argv: str) -> tuple[int, Any]:  # JSON: any shape
    capsys.readouterr()
    code = cli(data_dir, *argv)
    return code, json.loads(capsys.readouterr().out)


def depot_count(depot: Depot, where: str = "TRUE") -> int:
    with depot.admin() as conn:
        row = conn.execute(f"SELECT count(*) FROM records WHERE {where}").fetchone()
    assert row is not None
    return int(row[0])
