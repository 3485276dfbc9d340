import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.audit import operators
from station.sim.fleet import load_fleet
from station.sim.server import FleetServer
from tests.support import FLEET, OPERATOR_PIN

# Qt must never try to open a real display in tests.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Nor may a test put station keys into the keystore of whoever runs it (this reaches the subprocesses
# too): stations keep their key in a file unless a test gives them a keystore (tests/audit/test_keystore.py).
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"


# The cheapest scrypt hashlib accepts. The station hashes PINs at operators.SHIPPED_PIN_COST (about 100 ms
# each, measured by bench/pin_bench.py); a test adding and signing in operators would spend seconds on it.
# Only this process is patched: a station started as a child process (the window's device process, a CLI
# run with subprocess) hashes at the shipped cost. tests/audit/test_pin_rules.py checks the shipped cost.
TEST_PIN_COST = operators.ScryptCost(n=16, r=1, p=1)


@pytest.fixture(autouse=True)
def cheap_pin_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(operators, "PIN_COST", TEST_PIN_COST)


@pytest.fixture
def station_pin(monkeypatch: pytest.MonkeyPatch) -> str:
    """$STATION_PIN set to tests.support.first_supervisor's PIN, for CLI commands that change phones."""
    monkeypatch.setenv("STATION_PIN", OPERATOR_PIN)
    return OPERATOR_PIN


@pytest.fixture
def fleet_file(tmp_path: Path) -> Path:
    path = tmp_path / "fleet.toml"
    path.write_text(FLEET, encoding="utf-8")
    return path


@pytest.fixture
def served(fleet_file: Path) -> Iterator[FleetServer]:
    with FleetServer(load_fleet(fleet_file), latency=False) as server:
        yield server
