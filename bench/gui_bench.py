"""The station's window on a full hub: N simulated phones arrive, are scanned, then provisioned from the window.

    QT_QPA_PLATFORM=offscreen python bench/gui_bench.py [--phones 64] [--packages 300] [--latency-ms 30]

The same fleet as provision_bench.py (half Android, half iPhone, ~300 apps each) is served from a separate
`station simulate` process. The real window is open throughout, with its bench in the station's device
process (station.workbench.bench_process) watching the simulated phones as it watches a hub. Each phone is
scanned when it arrives, as the station does; once every phone is scanned, the operator selects them all
and runs Provision from the window's action. It prints:

- GUI-thread stalls: the gaps between ticks of a 5 ms timer on the GUI thread (the gap includes the 5 ms
  itself), their 99th percentile and the longest, over the whole run;
- arrival-to-tile: from a phone's Arrived event reaching the window's process to its tile being added to
  the window's wall;
- showing a phone's details: once every phone is checked, each is selected in turn, as an operator
  clicking through the wall, and the time the window takes to show it;
- the wall time of both phases; the CPU and peak RSS of the station's two processes (the window's and
  the device process), and the simulator's CPU.
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
from functools import partial
from pathlib import Path
from typing import Any
from unittest.mock import patch

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt, QTimer, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from provision_bench import ROOT, simulated, write_fleet

from station.audit.operators import Operator, Role
from station.core import events
from station.core.checklist import load_workflow
from station.core.phone import Timeouts
from station.core.policy import default_policy_path, load_policy
from station.devices.watch import POLL_S
from station.gui.main_window import MainWindow
from station.gui.signals import BenchSignals
from station.gui.state import TileStatus
from station.workbench.bench_process import BenchProcess
from station.workbench.hub import watch_addresses
from station.workbench.staff import Credentials, add_operator

TICK_MS = 5
BENCH_PIN = "990099"  # the bench operator's PIN: real phones (served by `station simulate`) need a signed-in operator
LIMIT_S = 180.0
SCANNED = (TileStatus.BANNED, TileStatus.CLEAN)
CHECKED = (TileStatus.READY, TileStatus.NOT_READY)


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


class TileWatcher:
    """Notes when each phone's tile appears on the wall."""

    def __init__(self) -> None:
        self.added: dict[str, float] = {}

    def shown(self, addresses: list[str]) -> None:
        now = time.perf_counter()
        for address in addresses:
            self.added.setdefault(address, now)


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


def process_cpu_seconds(pid: int) -> float:
    """User and system CPU a process has used so far (Linux's /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    """A process's peak resident memory so far (VmHWM in Linux's /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run(phones: int, packages: int, latency_ms: int, scratch: Path) -> dict[str, float]:  # noqa: PLR0915 - one run, start to finish, in the order it happens
    app = QApplication.instance() or QApplication(sys.argv[:1])
    go_on = patch.object(QMessageBox, "question", return_value=QMessageBox.StandardButton.Yes)  # the operator says Go on
    with simulated(*write_fleet(phones, packages, latency_ms, scratch)) as simulator, go_on:
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

        bench = BenchProcess(policy, data_dir, listener, signals.notice.emit)
        window = MainWindow(bench, policy, signals, "gui bench", workflows, settings, str(data_dir))
        tiles = TileWatcher()
        window.wall.tiles_shown.connect(tiles.shown)
        meter = GapMeter()
        phase: dict[str, float] = {}
        selecting: list[float] = []
        usage: dict[str, Any] = {}  # CPU used by the time every phone is checked (the clicking-through is apart)

        def statuses() -> list[TileStatus]:
            return [state.status for state in window.state.phones.values()]

        def step() -> None:
            """Checked every 100 ms: start provisioning once all are scanned, stop once all are checked."""
            if "provision" not in phase and len(window.state.phones) == phones and all(s in SCANNED for s in statuses()):
                phase["provision"] = time.perf_counter()
                operator = Operator("Bench Operator", "9999", Role.SUPERVISOR)
                bench.read(partial(add_operator, operator.name, operator.badge, operator.role, BENCH_PIN, None)).result(10)
                bench.sign_in(Credentials(operator.badge, BENCH_PIN)).result(10)  # real phones are changed only after a sign-in
                window.set_operator(operator)
                window.wall.select_all()
                window.actions_by_name["provision"].trigger()
            elif "provision" in phase and len(timeline.checked) == phones and all(s in CHECKED for s in statuses()):
                phase["done"] = time.perf_counter()
                meter.timer.stop()
                usage["done"] = resource.getrusage(resource.RUSAGE_SELF)
                usage["simulator_done"] = simulator.cpu_seconds()
                usage["device_done"] = process_cpu_seconds(bench.pid)
                usage["device_rss_mb"] = peak_rss_mb(bench.pid)
                for address in list(window.state.phones):  # an operator clicking through the wall
                    started = time.perf_counter()
                    window.wall.select([address])
                    selecting.append(time.perf_counter() - started)
                app.quit()
            elif time.perf_counter() - phase["start"] > LIMIT_S:
                app.quit()

        poll = QTimer()
        poll.setInterval(100)
        poll.timeout.connect(step)
        window.show()
        app.processEvents()  # the window's first paint is not the phones' doing
        android = [line["address"] for line in simulator.lines if line.get("platform") == "android"]
        usbmux = next((line["usbmuxd"] for line in simulator.lines if line.get("usbmuxd")), None)
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        simulator_before = simulator.cpu_seconds()
        phase["start"] = time.perf_counter()
        bench.start(partial(watch_addresses, android, usbmux, Timeouts(), POLL_S))
        device_before = process_cpu_seconds(bench.pid)  # after its start-up (imports), as the phones start arriving
        meter.timer.start()
        poll.start()
        app.exec()
        meter.timer.stop()
        poll.stop()
        cpu_after = usage.get("done") or resource.getrusage(resource.RUSAGE_SELF)
        simulator_cpu = usage.get("simulator_done", simulator.cpu_seconds()) - simulator_before
        device_cpu = usage.get("device_done", device_before) - device_before
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
        "window_cpu_s": cpu,
        "device_cpu_s": device_cpu,
        "station_cpu_s": cpu + device_cpu,
        "simulator_cpu_s": simulator_cpu,
        "wall_s": phase["done"] - phase["start"],
        "window_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "device_rss_mb": usage.get("device_rss_mb", 0.0),
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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        r = run(args.phones, args.packages, args.latency_ms, Path(scratch))
    cores = os.cpu_count() or 1
    print(f"N={r['phones']} with the window open (QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']}):")
    print(f"  GUI-thread gaps between {TICK_MS} ms ticks: p99 {r['stall_p99_ms']:.1f} ms, max {r['stall_max_ms']:.1f} ms "
          f"({r['ticks']} ticks)")
    print(f"  arrival to tile: median {r['tile_p50_ms']:.1f} ms, p99 {r['tile_p99_ms']:.1f} ms, max {r['tile_max_ms']:.1f} ms")
    print(f"  showing a selected phone's details: median {r['select_p50_ms']:.1f} ms, max {r['select_max_ms']:.1f} ms")
    print(f"  arrival and scan of all: {r['arrive_and_scan_s']:.2f} s; provisioning all from the window: {r['provision_s']:.2f} s")
    print(f"  station CPU {r['station_cpu_s']:.2f} s ({r['station_cpu_s'] / r['phones'] * 1000:.0f} ms/phone), "
          f"simulator CPU {r['simulator_cpu_s']:.2f} s, over {r['wall_s']:.2f} s: "
          f"{(r['station_cpu_s'] + r['simulator_cpu_s']) / r['wall_s']:.2f} of {cores} cores busy")
    print(f"  of the station's CPU, the window's process {r['window_cpu_s']:.2f} s and the device process {r['device_cpu_s']:.2f} s; "
          f"peak RSS {r['window_rss_mb']:.0f} MB and {r['device_rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
