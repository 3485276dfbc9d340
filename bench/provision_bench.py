"""How the station copes with a full hub: N simulated phones through the provisioning checklist at once.

    python bench/provision_bench.py [--sizes 1 8 32 64] [--packages 300] [--latency-ms 30]

For each N it writes a fleet (half Android, half iPhone, ~300 apps each, a few banned), serves it from a
separate `station simulate` process with realistic per-command latency, runs the provisioning workflow on
every phone through the engine, and prints the wall time, the parallel efficiency (time for one phone
divided by time for N), the station's CPU seconds per phone, its peak RSS, and the CPU the simulator
process used during the run (it shares the machine's cores with the station, so when station and simulator
together keep every core busy, the simulator is part of what limits the wall time).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from station.audit.store import Store
from station.core.checklist import load_workflow
from station.core.policy import default_policy_path, load_policy
from station.devices.adb_key import load_or_create_signer
from station.devices.android import AdbTcpTarget
from station.devices.ios import IosTarget, use_usbmux_address
from station.workbench.engine import Engine
from station.workbench.targets import parse_address

BANNED_ANDROID = ["com.tencent.mm", "com.zhiliaoapp.musically", "com.kms.free"]
BANNED_IOS = ["com.tencent.xin", "com.zhiliaoapp.musically", "com.kaspersky.securityadvisor"]


def fleet_text(count: int, packages: int, latency_ms: int, only: str | None = None) -> str:
    """``count`` phones, alternately Android and iPhone (or all of one platform when ``only`` says)."""
    entries = []
    for index in range(count):
        if (only or ("android" if index % 2 == 0 else "ios")) == "android":
            apps = [f"com.vendor{index}.app{n}" for n in range(packages - 20 - len(BANNED_ANDROID))] + BANNED_ANDROID
            system = [f"com.android.system{n}" for n in range(20)]
            entries.append(
                f'[[device]]\nplatform = "android"\nserial = "BENCH{index:04d}"\nmanufacturer = "Google"\nmodel = "Pixel 8"\n'
                f'os_version = "15"\nsecurity_patch = "2026-10-05"\nlatency_ms = {latency_ms}\n'
                f"apps = {json.dumps(apps)}\nsystem_apps = {json.dumps(system)}\n"
            )
        else:
            apps = [f"com.vendor{index}.app{n}" for n in range(packages - 20 - len(BANNED_IOS))] + BANNED_IOS
            system = [f"com.apple.system{n}" for n in range(20)]
            udid = f"00008110-{index:016X}"
            entries.append(
                f'[[device]]\nplatform = "ios"\nserial = "{udid}"\nproduct_type = "iPhone15,2"\nos_version = "17.5.1"\n'
                f"supervised = true\nlatency_ms = {latency_ms}\napps = {json.dumps(apps)}\nsystem_apps = {json.dumps(system)}\n"
            )
    return "\n".join(entries)


class Simulator:
    """A `station simulate FLEET` process and the JSON lines saying where its phones are."""

    def __init__(self, process: subprocess.Popen[str], lines: list[dict[str, Any]]) -> None:
        self.process = process
        self.lines = lines

    def cpu_seconds(self) -> float:
        """User and system CPU the simulator process has used so far (Linux's /proc)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def simulated(fleet: Path, android_count: int, wants_ios: bool) -> Iterator[Simulator]:
    """Serve ``fleet`` from a separate process until every phone asked for is listening."""
    server = subprocess.Popen([sys.executable, "-m", "station", "simulate", str(fleet)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert server.stdout is not None
        lines: list[dict[str, Any]] = []

        def waiting() -> bool:
            androids = len([line for line in lines if line.get("platform") == "android"])
            return androids < android_count or (wants_ios and not any(line.get("usbmuxd") for line in lines))

        while waiting():
            lines.append(json.loads(server.stdout.readline()))
        yield Simulator(server, lines)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()


def write_fleet(count: int, packages: int, latency_ms: int, scratch: Path, only: str | None = None) -> tuple[Path, int, bool]:
    """The fleet file, how many Android phones it has and whether it has iPhones."""
    fleet = scratch / f"fleet-{count}-{only or 'mixed'}.toml"
    fleet.write_text(fleet_text(count, packages, latency_ms, only), encoding="utf-8")
    android_count = count if only == "android" else 0 if only == "ios" else (count + 1) // 2
    return fleet, android_count, only == "ios" or (only is None and count > 1)


def measure(count: int, packages: int, latency_ms: int, scratch: Path, only: str | None = None) -> dict[str, float]:
    with simulated(*write_fleet(count, packages, latency_ms, scratch, only)) as simulator:
        lines = simulator.lines
        data_dir = scratch / f"data-{count}-{only or 'mixed'}"
        data_dir.mkdir(mode=0o700)
        signer = load_or_create_signer(data_dir)
        targets: list = [
            AdbTcpTarget(*parse_address(line["address"]), signer) for line in lines if line.get("platform") == "android"
        ]
        for line in lines:
            if line.get("usbmuxd"):
                use_usbmux_address(line["usbmuxd"])
                targets += [IosTarget(udid, line["usbmuxd"], data_dir) for udid in line["serials"]]
        policy = load_policy(default_policy_path())
        workflow = load_workflow(ROOT / "policies" / "workflows" / "provision.toml")
        store = Store.open(data_dir)
        engine = Engine(policy, store, store.start_run("bench", policy))

        async def run_all() -> list:
            return list(await asyncio.gather(*(engine.run_workflow(t, workflow) for t in targets)))

        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        simulator_before = simulator.cpu_seconds()
        started = time.perf_counter()
        reports = asyncio.run(run_all())
        wall = time.perf_counter() - started
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        simulator_cpu = simulator.cpu_seconds() - simulator_before
        store.close()
        failed = [r.error for r in reports if r.error]
        if failed:
            raise SystemExit(f"N={count}: {len(failed)} phone(s) failed, e.g. {failed[0]}")
        not_ready = sum(1 for r in reports if not r.ready)
        cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
        return {"n": count, "wall": wall, "cpu_per_phone": cpu / count, "not_ready": not_ready,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "station_cpu": cpu,
                "simulator_cpu": simulator_cpu}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 8, 32, 64])
    parser.add_argument("--packages", type=int, default=300)
    parser.add_argument("--latency-ms", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        # One phone: the slower of an Android phone alone and an iPhone alone.
        singles = [measure(1, args.packages, args.latency_ms, Path(scratch), only) for only in ("android", "ios")]
        for single, only in zip(singles, ("android", "ios"), strict=True):
            print(f"one {only:7s}: wall {single['wall']:.2f} s, CPU {single['cpu_per_phone'] * 1000:.0f} ms", flush=True)
        one = max(single["wall"] for single in singles)
        for count in [size for size in args.sizes if size > 1]:
            results.append(measure(count, args.packages, args.latency_ms, Path(scratch)))
            r = results[-1]
            print(f"N={count:3d}: wall {r['wall']:.2f} s, CPU {r['cpu_per_phone'] * 1000:.0f} ms/phone, "
                  f"peak RSS {r['peak_rss_mb']:.0f} MB, simulator CPU {r['simulator_cpu']:.2f} s, not ready {r['not_ready']}", flush=True)
        results.insert(0, {**max(singles, key=lambda single: single["wall"]), "n": 1})
    cores = os.cpu_count() or 1
    print("\n|   N | wall (s) | efficiency t1/tN | CPU per phone (ms) | peak RSS (MB) | station CPU (s) | simulator CPU (s) "
          f"| cores busy (of {cores}) |")
    print("|----:|---------:|-----------------:|-------------------:|--------------:|----------------:|------------------:|----------------:|")
    for r in results:
        efficiency = f"{one / r['wall']:.2f}"
        busy = (r["station_cpu"] + r["simulator_cpu"]) / r["wall"]
        print(f"| {r['n']:3d} | {r['wall']:8.2f} | {efficiency:>16} | {r['cpu_per_phone'] * 1000:18.0f} | {r['peak_rss_mb']:13.0f} "
              f"| {r['station_cpu']:15.2f} | {r['simulator_cpu']:17.2f} | {busy:15.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
