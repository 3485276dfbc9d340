"""The station's window on a full hub: N simulated phones arrive, are scanned, then provisioned from the window.

    QT_QPA_PLATFORM=offscreen python bench/gui_bench.py [--phones 64] [--packages 300] [--latency-ms 30]

The same fleet as provision_bench.py (half Android, half iPhone, ~300 apps each) is served from a separate
`station simulate` process. The real window (MainWindow on a real Bench, watching the simulated phones as
it watches a hub) is open throughout. Each phone is scanned when it arrives, as the station does; once every
phone is scanned, the operator selects them all and runs Provision from the window's action. It prints:

- GUI-thread stalls: the gaps between ticks of a 5 ms timer on the GUI thread (the gap includes the 5 ms
  itself), their 99th percentile and the longest, over the whole run;
- arrival-to-tile: from a phone's Arrived event (on the bench's thread) to its tile being added to the
  window's wall (on the GUI thread);
- the wall time of both phases, the CPU of the station process (GUI and bench threads) and of the
  simulator process, and the station's peak RSS.

- showing a phone's details: once every phone is checked, each is selected in turn, as an operator
  clicking through the wall, and the time the window takes to show it is measured.

The window runs with the interpreter settings the station's own window uses (station.gui.app's
keep_responsive: a 0.5 ms GIL switch interval and gc.freeze once the window is built); --untuned runs
with Python's defaults instead, for comparison.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, qInstallMessageHandler  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from provision_bench import ROOT, Simulator, simulated, write_fleet  # noqa: E402
from station.audit.operators import Operator  # noqa: E402
from station.core import events  # noqa: E402
from station.core.bench import Bench  # noqa: E402
from station.core.checklist import load_workflow  # noqa: E402
from station.core.phone import PhoneWatcher  # noqa: E402
from station.core.policy import default_policy_path, load_policy  # noqa: E402
from station.devices.adb_key import load_or_create_signer  # noqa: E402
from station.devices.android import AdbTcpTarget  # noqa: E402
from station.devices.ios import IosWatcher, use_usbmux_address  # noqa: E402
from station.devices.targets import PAIR_RECORDS, parse_address  # noqa: E402
from station.devices.watch import AddressWatcher  # noqa: E402
from station.gui.app import keep_responsive  # noqa: E402
from station.gui.main_window import MainWindow  # noqa: E402
from station.gui.phone_tile import PhoneTile  # noqa: E402
from station.gui.signals import BenchSignals  # noqa: E402
from station.gui.state import Status  # noqa: E402

TICK_MS = 5
LIMIT_S = 180.0
SCANNED = (Status.BANNED, Status.CLEAN)
CHECKED = (Status.READY, Status.NOT_READY)


class GapMeter:
    """Ticks every 5 ms on the GUI thread and keeps every gap between two ticks."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.last: float | None = None
        self.gaps: list[float] = []

    def _tick(self) -> None:
        now = time.perf_counter()
        if self.last is not None:
            self.gaps.append(now - self.last)
        self.last = now


class TileWatcher(QObject):
    """Notes when each phone's tile is added to the wall (the wall's inner widget gains a PhoneTile)."""

    def __init__(self) -> None:
        super().__init__()
        self.added: dict[str, float] = {}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ChildAdded:
            child = event.child()  # type: ignore[attr-defined]
            if isinstance(child, PhoneTile):
                self.added.setdefault(child.address, time.perf_counter())
        return False


class Timeline:
    """What happened when, as seen on the bench's thread: arrivals and finished checklists."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.arrived: dict[str, float] = {}
        self.checked: dict[str, float] = {}

    def note(self, event: events.Event) -> None:
        with self.lock:
            if isinstance(event, events.Arrived):
                self.arrived.setdefault(event.address, time.perf_counter())
            elif isinstance(event, events.ChecklistDone):
                self.checked[event.address] = time.perf_counter()


def watchers_for(simulator: Simulator, data_dir: Path, signals: BenchSignals) -> list[PhoneWatcher]:
    """What the station watches on a hub of simulated phones, as `station --demo` does."""
    signer = load_or_create_signer(data_dir)
    pair_records = data_dir / PAIR_RECORDS
    pair_records.mkdir(mode=0o700, exist_ok=True)
    found: list[PhoneWatcher] = [AddressWatcher([AdbTcpTarget(*parse_address(l["address"]), signer)
                                                 for l in simulator.lines if l.get("platform") == "android"])]
    for line in simulator.lines:
        if line.get("usbmuxd"):
            use_usbmux_address(line["usbmuxd"])
            found.append(IosWatcher(line["usbmuxd"], pair_records, signals.notice.emit))
    return found


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run(phones: int, packages: int, latency_ms: int, scratch: Path, tuned: bool = True) -> dict[str, float]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with simulated(*write_fleet(phones, packages, latency_ms, scratch)) as simulator:
        data_dir = scratch / "data"
        data_dir.mkdir(mode=0o700)
        policy = load_policy(default_policy_path())
        workflows = {name: load_workflow(ROOT / "policies" / "workflows" / f"{name}.toml") for name in ("provision", "return")}
        settings = QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat)
        signals = BenchSignals()
        timeline = Timeline()

        def listener(event: events.Event) -> None:
            timeline.note(event)
            signals.event.emit(event)

        bench = Bench(policy, data_dir, listener)
        window = MainWindow(bench, policy, signals, "gui bench", workflows, settings, str(data_dir))
        tiles = TileWatcher()
        window.wall.widget().installEventFilter(tiles)
        meter = GapMeter()
        phase: dict[str, float] = {}
        selecting: list[float] = []
        usage: dict[str, Any] = {}  # CPU used by the time every phone is checked (the clicking-through is apart)

        def statuses() -> list[Status]:
            return [state.status for state in window.state.phones.values()]

        def step() -> None:
            """Checked every 100 ms: start provisioning once all are scanned, stop once all are checked."""
            if "provision" not in phase and len(window.state.phones) == phones and all(s in SCANNED for s in statuses()):
                phase["provision"] = time.perf_counter()
                window.set_operator(Operator("Bench Operator", "9999", "supervisor"))
                window.wall.select_all()
                window.actions_by_name["provision"].trigger()
            elif "provision" in phase and len(timeline.checked) == phones and all(s in CHECKED for s in statuses()):
                phase["done"] = time.perf_counter()
                meter.timer.stop()
                usage["done"] = resource.getrusage(resource.RUSAGE_SELF)
                usage["simulator_done"] = simulator.cpu_seconds()
                for address in list(window.state.phones):  # an operator clicking through the wall
                    started = time.perf_counter()
                    window.wall.select([address])
                    selecting.append(time.perf_counter() - started)
                app.quit()
            elif time.perf_counter() - phase["start"] > LIMIT_S:
                app.quit()

        QMessageBox.question = staticmethod(lambda *_args, **_kwargs: QMessageBox.StandardButton.Yes)  # the operator says Go on
        poll = QTimer()
        poll.setInterval(100)
        poll.timeout.connect(step)
        window.show()
        app.processEvents()  # the window's first paint is not the phones' doing
        if tuned:
            keep_responsive()
        found = watchers_for(simulator, data_dir, signals)
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        simulator_before = simulator.cpu_seconds()
        phase["start"] = time.perf_counter()
        bench.start(found)
        meter.timer.start()
        poll.start()
        app.exec()
        meter.timer.stop()
        poll.stop()
        cpu_after = usage.get("done") or resource.getrusage(resource.RUSAGE_SELF)
        simulator_cpu = usage.get("simulator_done", simulator.cpu_seconds()) - simulator_before
        bench.close()
        window.close()
    if "done" not in phase:
        raise SystemExit(f"not done within {LIMIT_S:g} s: {len(timeline.arrived)} arrived, {len(timeline.checked)} checked")
    to_tile = [tiles.added[address] - arrived for address, arrived in timeline.arrived.items()]
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    first_arrival = min(timeline.arrived.values())
    return {
        "phones": phones,
        "stall_p99_ms": percentile(meter.gaps, 0.99) * 1000,
        "stall_max_ms": max(meter.gaps) * 1000,
        "ticks": len(meter.gaps),
        "tile_p50_ms": statistics.median(to_tile) * 1000,
        "tile_p99_ms": percentile(to_tile, 0.99) * 1000,
        "tile_max_ms": max(to_tile) * 1000,
        "arrive_and_scan_s": phase["provision"] - first_arrival,
        "provision_s": max(timeline.checked.values()) - phase["provision"],
        "station_cpu_s": cpu,
        "simulator_cpu_s": simulator_cpu,
        "wall_s": phase["done"] - phase["start"],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "select_p50_ms": statistics.median(selecting) * 1000,
        "select_max_ms": max(selecting) * 1000,
    }


def _quiet_offscreen(_kind: object, _context: object, message: str) -> None:
    """Qt's offscreen platform says it cannot propagate size hints once per window: not news here."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def main() -> int:
    qInstallMessageHandler(_quiet_offscreen)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=64)
    parser.add_argument("--packages", type=int, default=300)
    parser.add_argument("--latency-ms", type=int, default=30)
    parser.add_argument("--untuned", action="store_true", help="Python's default GIL switch interval and no gc.freeze")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        r = run(args.phones, args.packages, args.latency_ms, Path(scratch), tuned=not args.untuned)
    cores = os.cpu_count() or 1
    print(f"N={r['phones']} with the window open (QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']}, "
          f"{'untuned' if args.untuned else 'tuned'}: GIL switch interval {sys.getswitchinterval() * 1000:g} ms, "
          f"gc.freeze {'off' if args.untuned else 'on'}):")
    print(f"  GUI-thread gaps between {TICK_MS} ms ticks: p99 {r['stall_p99_ms']:.1f} ms, max {r['stall_max_ms']:.1f} ms ({r['ticks']} ticks)")
    print(f"  arrival to tile: median {r['tile_p50_ms']:.1f} ms, p99 {r['tile_p99_ms']:.1f} ms, max {r['tile_max_ms']:.1f} ms")
    print(f"  showing a selected phone's details: median {r['select_p50_ms']:.1f} ms, max {r['select_max_ms']:.1f} ms")
    print(f"  arrival and scan of all: {r['arrive_and_scan_s']:.2f} s; provisioning all from the window: {r['provision_s']:.2f} s")
    print(f"  station CPU {r['station_cpu_s']:.2f} s ({r['station_cpu_s'] / r['phones'] * 1000:.0f} ms/phone), "
          f"simulator CPU {r['simulator_cpu_s']:.2f} s, over {r['wall_s']:.2f} s: "
          f"{(r['station_cpu_s'] + r['simulator_cpu_s']) / r['wall_s']:.2f} of {cores} cores busy; peak RSS {r['peak_rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
