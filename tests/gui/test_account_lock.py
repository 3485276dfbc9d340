"""In the window: a returned phone a reset would lock is marked on its tile, and only a supervisor's
override (a second person, their PIN checked in the device process) has it wiped."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from station.gui.state import TileStatus
from station.workbench.sign_off import OverrideRequest
from station.workbench.staff import Credentials
from tests.gui.conftest import ANA, BEN, PINS, Opened, add_operators, signed_in

LOCKED = """
[[device]]
platform = "android"
serial = "GOOGLE0001"
manufacturer = "Google"
model = "Pixel 8"
os_version = "15"
apps = ["com.android.chrome"]
accounts = [{ type = "com.google", name = "jane.doe@gmail.com" }]
reboot_s = 0.3
"""


def test_a_locked_phone_is_wiped_only_under_a_second_persons_override(
        open_window: Opened, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    window, server = open_window(LOCKED)
    assert server is not None
    qtbot.waitUntil(lambda: any(p.serial == "GOOGLE0001" and p.account_lock for p in window.state.phones.values()), timeout=10000)
    (address,) = window.state.phones
    tile = window.wall.tiles[address]
    assert window.state.phones[address].message.startswith("Google account on: a reset locks it")
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    assert window.actions_by_name["wipe_locked"].isEnabled()
    add_operators(window, ANA, BEN)
    signed_in(window, ANA)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    reason = "user left; IT holds the account recovery"
    window.start_return_wiping_locked(address, OverrideRequest(reason, Credentials(ANA.badge, PINS[ANA.badge])))
    qtbot.waitUntil(lambda: bool(warnings), timeout=10000)
    assert "second person" in warnings[0] and "com.android.chrome" in server.phone("GOOGLE0001").packages
    window.start_return_wiping_locked(address, OverrideRequest(reason, Credentials(BEN.badge, PINS[BEN.badge])))
    qtbot.waitUntil(lambda: window.state.phones[address].checklist != (), timeout=20000)
    assert server.phone("GOOGLE0001").frp_accounts  # wiped, and now asking for jane.doe@gmail.com at setup
    wipe = {r.item.id: r for r in window.state.phones[address].checklist}["wipe"]
    assert "Ben Okafor's override" in wipe.evidence


def test_the_tile_says_account_locked_after_a_refused_return(open_window: Opened, qtbot: QtBot,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    window, _server = open_window(LOCKED)
    qtbot.waitUntil(lambda: any(p.serial == "GOOGLE0001" for p in window.state.phones.values()), timeout=10000)
    (address,) = window.state.phones
    add_operators(window, ANA)
    signed_in(window, ANA)
    window.bench.run_workflow(address, window.workflows["return"])
    qtbot.waitUntil(lambda: window.state.phones[address].status is TileStatus.ACCOUNT_LOCKED, timeout=20000)
    assert window.wall.tiles[address].band.text() == "ACCOUNT LOCKED"
    assert "remove the Google account jane.doe@gmail.com" in window.state.phones[address].message
