import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.sim.fleet import load_fleet
from station.sim.server import FleetServer
from tests.support import FLEET

# Qt must never try to open a real display in tests.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Nor may a test put station keys into the keystore of whoever runs it (this reaches the subprocesses
# too): stations keep their key in a file unless a test gives them a keystore (tests/audit/test_keystore.py).
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"


@pytest.fixture
def fleet_file(tmp_path: Path) -> Path:
    path = tmp_path / "fleet.toml"
    path.write_text(FLEET, encoding="utf-8")
    return path


@pytest.fixture
def served(fleet_file: Path) -> Iterator[FleetServer]:
    with FleetServer(load_fleet(fleet_file), latency=False) as server:
        yield server
