"""`station` with no command: the desktop window, on this PC's phones or (`--demo`) on a simulated bench."""

from __future__ import annotations

import contextlib
import gc
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from station.core.bench import Bench
from station.core.checklist import load_workflow
from station.core.datadir import resolve_data_dir
from station.core.errors import StationError
from station.core.phone import PhoneWatcher
from station.core.policy import default_policy_path, load_policy
from station.gui.main_window import MainWindow
from station.gui.signals import BenchSignals

GIL_SWITCH_S = 0.0005  # Python's default is 5 ms
DEMO_FLEET = Path(__file__).resolve().parents[2] / "assets" / "demo-fleet.toml"


def watchers(demo: bool, data_dir: Path, signals: BenchSignals, stack: contextlib.ExitStack) -> tuple[list[PhoneWatcher], str]:
    """What the bench watches for phones, and a line for the status bar saying what that is."""
    from station.devices.adb_key import load_or_create_signer
    from station.devices.android import AdbTcpTarget
    from station.devices.ios import IosWatcher, use_usbmux_address
    from station.devices.targets import PAIR_RECORDS, parse_address
    from station.devices.watch import AddressWatcher, UsbWatcher

    signer = load_or_create_signer(data_dir)
    pair_records = data_dir / PAIR_RECORDS
    pair_records.mkdir(mode=0o700, exist_ok=True)
    if demo:
        from station.sim.fleet import load_fleet
        from station.sim.server import FleetServer

        served = stack.enter_context(FleetServer(load_fleet(DEMO_FLEET), latency=True))
        android = [AdbTcpTarget(*parse_address(e.address), signer) for e in served.endpoints if e.platform == "android"]
        use_usbmux_address(served.usbmux_address)
        found = [AddressWatcher(android), IosWatcher(served.usbmux_address, pair_records, signals.notice.emit)]
        return found, f"Demo bench: {len(served.endpoints)} simulated phones ({DEMO_FLEET.name}); Android over ADB, iPhones through usbmuxd {served.usbmux_address}"
    from station.devices.usb import find_usb_targets

    usb = UsbWatcher(lambda: list(find_usb_targets(signer)), lambda message: signals.notice.emit(f"Android on USB: {message}"))
    ios = IosWatcher(None, pair_records, lambda message: signals.notice.emit(f"iPhones: {message}"))
    return [usb, ios], "Watching this PC's USB: Android phones through libusb, iPhones through usbmuxd"


def keep_responsive() -> None:
    """Interpreter settings for a window sharing its process with the bench's busy thread, measured with
    bench/gui_bench.py: a shorter GIL switch interval, so the window's thread waits less for the GIL while
    the bench parses phones' replies; and everything alive once the window is built (every imported module)
    moved out of the garbage collector's reach, so a full collection passes over the phones' data only."""
    sys.setswitchinterval(GIL_SWITCH_S)
    gc.collect()
    gc.freeze()


def run(demo: bool = False, data_dir: Path | None = None, policy_path: Path | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("Depot Station")
    app.setApplicationName("station")
    settings = QSettings()
    try:
        policy = load_policy(policy_path or settings.value("policy") or default_policy_path())
        folder = resolve_data_dir(data_dir or settings.value("data_dir") or None)
        workflows = {name: load_workflow(default_policy_path().parent / "workflows" / f"{name}.toml") for name in ("provision", "return")}
    except StationError as exc:
        QMessageBox.critical(None, "Depot Station cannot start", str(exc))
        return 2
    signals = BenchSignals()
    bench = Bench(policy, folder, signals.event.emit)
    with contextlib.ExitStack() as stack:
        found, connected = watchers(demo, folder, signals, stack)
        # The window connects to the bench's signals before the bench starts, so no arrival is missed.
        window = MainWindow(bench, policy, signals, connected, workflows, settings, str(folder))
        keep_responsive()
        bench.start(found)
        stack.callback(bench.close)
        window.show()
        return app.exec()
