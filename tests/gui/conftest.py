from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from station.audit.operators import Operator, Role
from station.audit.records import Record
from station.audit.store import Store
from station.core.checklist import load_workflow
from station.core.language import Language
from station.core.phone import Timeouts
from station.core.policy import default_policy_path, load_policy
from station.gui.language import Translations
from station.gui.main_window import MainWindow
from station.gui.signals import BenchSignals
from station.sim.fleet import load_fleet
from station.sim.server import FleetServer
from station.workbench.bench_process import BenchProcess
from station.workbench.datadir import resolve_data_dir
from station.workbench.hub import watch_addresses
from station.workbench.staff import Credentials, add_operator

FLEET = """
[[device]]
platform = "android"
serial = "R58N12ABCDE"
manufacturer = "samsung"
model = "SM-S911W"
os_version = "14"
security_patch = "2026-10-01"
apps = ["com.tencent.mm", "com.android.chrome"]
system_apps = ["com.android.settings"]

[[device]]
platform = "android"
serial = "CLEAN00001"
manufacturer = "Google"
model = "Pixel 8"
os_version = "15"
security_patch = "2026-10-01"
apps = ["com.android.chrome"]

[[device]]
platform = "ios"
serial = "00008110-001A2B3C4D5E801E"
product_type = "iPhone15,2"
os_version = "17.5.1"
apps = [{ id = "com.tencent.xin", name = "<b>WeChat</b>" }]
"""

Opened = Callable[..., tuple[MainWindow, "FleetServer | None"]]
ANA = Operator("Ana Tremblay", "1001", Role.SUPERVISOR)
BEN = Operator("Ben Okafor", "2002", Role.SUPERVISOR)
PINS = {ANA.badge: "432100", BEN.badge: "864200"}


def add_operators(window: MainWindow, *operators: Operator) -> None:
    """Give the window's station these operators, with their PINS: the first, a supervisor, adds the others."""
    first, *others = operators
    window.bench.read(partial(add_operator, first.name, first.badge, first.role, PINS[first.badge], None)).result(10)
    for operator in others:
        by = Credentials(first.badge, PINS[first.badge])
        window.bench.read(partial(add_operator, operator.name, operator.badge, operator.role, PINS[operator.badge], by)).result(10)


def signed_in(window: MainWindow, operator: Operator) -> None:
    """``operator`` signed in with their PIN at the window's bench (which then records them and lets real
    phones be changed) and shown by the window, as the sign-in dialog does."""
    window.bench.sign_in(Credentials(operator.badge, PINS[operator.badge])).result(10)
    window.set_operator(operator)


def cell(table: QTableWidget, row: int, column: int) -> str:
    """The text of a table's cell, which must hold an item."""
    item = table.item(row, column)
    assert item is not None, f"no item at row {row}, column {column}"
    return item.text()


def all_records(store: Store) -> list[Record]:
    """Every record of the log (read in the station's device process: this function is sent there)."""
    return list(store.records())


@contextlib.contextmanager
def simulate_elsewhere(fleet: Path) -> Iterator[list[str]]:
    """`station simulate FLEET` in its own process; yields the Android phones' addresses."""
    server = subprocess.Popen([sys.executable, "-m", "station", "simulate", str(fleet)], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        expected = fleet.read_text(encoding="utf-8").count('platform = "android"')
        lines = [json.loads(server.stdout.readline()) for _ in range(expected)]
        yield [line["address"] for line in lines]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=15)
        if server.stdout is not None:
            server.stdout.close()


@pytest.fixture(autouse=True)
def english_after_each_test(qapp: object) -> Iterator[None]:
    """Every window test starts and ends in English: the translators belong to the one QApplication
    the tests share, so a test that switches to French must not leave the next one in French."""
    yield
    Translations.of().switch(Language.EN)


@pytest.fixture
def open_window(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Opened]:
    """Open the window on a simulated bench (the default FLEET, or the text given); closes it all after."""
    with contextlib.ExitStack() as stack:

        def opened(text: str = FLEET, separate_process: bool = False) -> tuple[MainWindow, FleetServer | None]:
            """With ``separate_process`` the phones are served by `station simulate` in another process,
            as real phones are other hardware: only the station's own work shares the GUI's process."""
            path = tmp_path / "fleet.toml"
            path.write_text(text, encoding="utf-8")
            server: FleetServer | None = None
            if separate_process:
                addresses = stack.enter_context(simulate_elsewhere(path))
                usbmux = None
            else:
                server = stack.enter_context(FleetServer(load_fleet(path), latency=False))
                addresses = [e.address for e in server.endpoints if e.platform == "android"]
                usbmux = server.usbmux_address if server.fleet.ios else None
            data_dir = resolve_data_dir(tmp_path / "data")
            fast = Timeouts(connect=3, approval=1, command=5, uninstall=5)
            policy = load_policy(default_policy_path())
            signals = BenchSignals()
            bench = BenchProcess(policy, data_dir, signals.event.emit, signals.notice.emit)
            workflows = {n: load_workflow(default_policy_path().parent / "workflows" / f"{n}.toml") for n in ("provision", "return")}
            settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
            window = MainWindow(bench, policy, signals, "test bench", workflows, settings, str(data_dir))
            qtbot.addWidget(window)
            if usbmux is not None:
                monkeypatch.setenv("USBMUXD_SOCKET_ADDRESS", usbmux)
            bench.start(partial(watch_addresses, addresses, usbmux, fast, 0.1))
            stack.callback(bench.close)
            window.show()
            return window, server

        yield opened
