"""What one phone costs: the requests the station makes of it through the provisioning checklist.

    python bench/request_counts.py [--packages 300] [--repeat 5] [--profile N] [--profile-sim N]

Serves one Android phone and one iPhone (the same fleet entries as provision_bench.py) in this process,
with counters on the simulator's side of the wire, and runs the provisioning workflow on each phone
alone. Prints, per phone: lockdownd requests (GetValue by domain and key, StartService by service),
TLS handshakes, usbmuxd requests, service requests, adb shell commands and adb connections, and the
station's CPU (the main thread's, the fewest of ``--repeat`` runs; the simulator runs in a thread of its
own). ``--profile N`` and ``--profile-sim N`` also print the N costliest functions of the station's side and
of the simulator's under cProfile.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from provision_bench import fleet_text

from station.audit.store import Store
from station.core.checklist import load_workflow
from station.core.policy import default_policy_path, load_policy
from station.devices.adb_key import load_or_create_signer
from station.devices.android import AdbTcpTarget
from station.devices.ios import IosTarget, use_usbmux_address
from station.sim.android import adbd as sim_adbd
from station.sim.android import shell as sim_shell
from station.sim.fleet import load_fleet
from station.sim.ios import lockdownd as sim_lockdownd
from station.sim.ios import plist_service as sim_service
from station.sim.ios import plist_wire as sim_wire
from station.sim.ios import usbmuxd as sim_usbmuxd
from station.sim.server import FleetServer
from station.workbench.engine import Engine
from station.workbench.targets import parse_address

counts: collections.Counter[str] = collections.Counter()


def _count(owner: Any, name: str, label: Any) -> None:
    """Wrap ``owner.name`` so that each call adds one to counts[label(*args)]."""
    original = getattr(owner, name)
    if asyncio.iscoroutinefunction(original):
        async def wrapped_async(*args: Any, **kwargs: Any) -> Any:
            counts[label(*args, **kwargs)] += 1
            return await original(*args, **kwargs)
        setattr(owner, name, wrapped_async)
    else:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            counts[label(*args, **kwargs)] += 1
            return original(*args, **kwargs)
        setattr(owner, name, wrapped)


def _lockdown_label(session: Any, request: dict[str, Any]) -> str:
    verb = request.get("Request")
    if verb == "GetValue":
        return f"lockdown GetValue {request.get('Domain') or '-'}/{request.get('Key') or '*'}"
    if verb == "StartService":
        return f"lockdown StartService {request.get('Service')}"
    return f"lockdown {verb}"


def _service_label(service: Any, request: dict[str, Any]) -> str:
    what = request.get("RequestType") or request.get("Command") or request.get("Request")
    return f"service {type(service).__name__} {what}"


def instrument() -> None:
    _count(sim_lockdownd._LockdownSession, "_answer", _lockdown_label)
    _count(sim_lockdownd._LockdownSession, "__init__", lambda *a: "lockdown connection")
    _count(sim_wire.DeviceStream, "start_tls", lambda *a: "TLS handshake")
    _count(sim_usbmuxd.SimulatedUsbmuxd, "_answer", lambda mux, kind, *a: f"usbmuxd {kind}")
    _count(sim_usbmuxd.SimulatedUsbmuxd, "_connect_target", lambda mux, packet: "usbmuxd Connect")
    _count(sim_service.PlistService, "serve", lambda *a: "service connection")
    for cls in sim_service.PlistService.__subclasses__():
        _count(cls, "handle", _service_label)
    _count(sim_shell.AndroidShell, "run", lambda sh, command: "adb shell command line")
    run_shell = sim_shell.AndroidShell.run

    def measured(shell: sim_shell.AndroidShell, command: str) -> sim_shell.ShellResult:
        result = run_shell(shell, command)
        counts["adb shell output, bytes"] += len(result.stdout) + len(result.stderr)
        return result

    sim_shell.AndroidShell.run = measured  # type: ignore[method-assign,assignment]  # a bench's probe on the simulator (measured takes the shell as its first argument)
    _count(sim_adbd._AdbConnection, "_open", lambda conn, remote, service: f"adb open {service.partition(':')[0]}")
    _count(sim_adbd._AdbConnection, "__init__", lambda *a: "adb connection")


def _profiled_loop(server: FleetServer, profiler: cProfile.Profile) -> None:
    """Run the simulator's loop thread under ``profiler`` (its CPU time only)."""
    original = server._run_loop

    def run_loop() -> None:
        profiler.enable()
        try:
            original()
        finally:
            profiler.disable()

    server._run_loop = run_loop  # type: ignore[method-assign]  # a bench's probe on the simulator's thread


def once(platform: str, packages: int, profiler: cProfile.Profile | None, sim_profiler: cProfile.Profile | None) -> tuple[Any, float]:
    """One provisioning of one freshly served phone: its report and the station's CPU seconds."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        path = folder / "fleet.toml"
        path.write_text(fleet_text(1, packages, 0, only=platform), encoding="utf-8")
        server = FleetServer(load_fleet(path), latency=False)
        if sim_profiler is not None:
            _profiled_loop(server, sim_profiler)
        with server:
            (endpoint,) = server.endpoints
            signer = load_or_create_signer(folder)
            if platform == "android":
                target: Any = AdbTcpTarget(*parse_address(endpoint.address), signer)
            else:
                use_usbmux_address(endpoint.address)
                target = IosTarget(endpoint.serial, endpoint.address, folder)
            policy = load_policy(default_policy_path())
            workflow = load_workflow(ROOT / "policies" / "workflows" / "provision.toml")
            store = Store.open(folder)
            engine = Engine(policy, store, store.start_run("counts", policy))
            counts.clear()
            cpu = time.thread_time()
            if profiler is not None:
                profiler.enable()
            report = asyncio.run(engine.run_workflow(target, workflow))
            if profiler is not None:
                profiler.disable()
            cpu = time.thread_time() - cpu
            store.close()
    if report.error:
        raise SystemExit(f"{platform}: {report.error}")
    return report, cpu


def run(platform: str, packages: int, repeat: int, profile: int, profile_sim: int) -> None:
    cpus = sorted(once(platform, packages, None, None)[1] for _ in range(repeat))
    print(f"== one {platform}: station CPU {cpus[0] * 1000:.0f} ms (fewest of {repeat} runs; median {cpus[len(cpus) // 2] * 1000:.0f} ms)")
    for label, number in sorted(counts.items()):
        print(f"  {number:4d}  {label}")
    if profile or profile_sim:
        profiler, sim_profiler = cProfile.Profile(time.thread_time), cProfile.Profile(time.thread_time)
        once(platform, packages, profiler if profile else None, sim_profiler if profile_sim else None)
        for wanted, side, stats in ((profile, "station", profiler), (profile_sim, "simulator", sim_profiler)):
            if wanted:
                out = io.StringIO()
                pstats.Stats(stats, stream=out).sort_stats("tottime").print_stats(wanted)
                print(f"-- the {side}'s side, CPU time under cProfile:", out.getvalue())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5, help="runs per platform (the CPU printed is the fewest)")
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest station functions")
    parser.add_argument("--profile-sim", type=int, default=0, help="print the simulator's N costliest functions")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    instrument()
    for platform in ("android", "ios"):
        run(platform, args.packages, args.repeat, args.profile, args.profile_sim)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
