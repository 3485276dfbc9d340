"""The bench: phones noticed as they come and go, scanned on arrival, work done off the caller's thread."""

from __future__ import annotations

import queue
import time
from functools import partial
from pathlib import Path

from station.audit.operators import Role
from station.core import events
from station.core.phone import Timeouts
from station.core.policy import default_policy_path, load_policy
from station.devices.adb_key import load_or_create_signer
from station.devices.android import AdbTcpTarget
from station.devices.watch import AddressWatcher
from station.sim.server import FleetServer
from station.workbench.bench import Bench
from station.workbench.datadir import resolve_data_dir
from station.workbench.staff import Credentials, add_operator
from tests.support import address_of, android_fleet

FAST = Timeouts(connect=3, approval=0.5, command=5, uninstall=5)


def wait_for(inbox: queue.Queue[events.Event], kind: type, address: str, timeout: float = 5.0) -> events.Event:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        event = inbox.get(timeout=max(0.01, deadline - time.monotonic()))
        if isinstance(event, kind) and getattr(event, "address", None) == address:
            return event
    raise AssertionError(f"no {kind.__name__} for {address} within {timeout} s")


def test_arrival_scan_unplug_replug_and_removal(served: FleetServer, tmp_path: Path) -> None:
    inbox: queue.Queue[events.Event] = queue.Queue()
    target = AdbTcpTarget(*address_of(served, "R58N12ABCDE"), load_or_create_signer(tmp_path), FAST)
    bench = Bench(load_policy(default_policy_path()), resolve_data_dir(tmp_path / "data"), inbox.put)
    bench.start([AddressWatcher([target], poll_s=0.1)])
    try:
        wait_for(inbox, events.Arrived, target.address)
        scanned = wait_for(inbox, events.Scanned, target.address)
        assert isinstance(scanned, events.Scanned) and scanned.identity.serial == "R58N12ABCDE"
        assert {f.app_id for f in scanned.findings} >= {"com.tencent.mm"}

        served.unplug("R58N12ABCDE")
        wait_for(inbox, events.Left, target.address)
        served.replug("R58N12ABCDE")
        wait_for(inbox, events.Arrived, target.address)
        wait_for(inbox, events.Scanned, target.address)

        bench.read(partial(add_operator, "Ana Tremblay", "1001", Role.SUPERVISOR, "432100", None)).result(5)
        bench.sign_in(Credentials("1001", "432100")).result(5)
        bench.remove(target.address, "R58N12ABCDE", {"com.tencent.mm"})
        removed = wait_for(inbox, events.Removed, target.address)
        assert isinstance(removed, events.Removed)
        assert {(a.app_id, a.ok) for a in removed.attempts} == {("com.tencent.mm", True)}
        history = bench.history("R58N12ABCDE").result(5)
        assert [e.kind for e in history.entries].count("scan") >= 3
    finally:
        bench.close()


def test_cancelling_a_phone_records_it_and_leaves_the_others_alone(tmp_path: Path) -> None:
    from station.sim.fleet import load_fleet

    fleet = tmp_path / "two.toml"
    fleet.write_text(
        '[[device]]\nplatform = "android"\nserial = "SLOW0001"\nmanufacturer = "Google"\nmodel = "Pixel 6"\nos_version = "13"\n'
        'apps = []\nlatency_ms = 1500\n\n'
        '[[device]]\nplatform = "android"\nserial = "FAST0001"\nmanufacturer = "Google"\nmodel = "Pixel 8"\nos_version = "15"\napps = []\n',
        encoding="utf-8",
    )
    inbox: queue.Queue[events.Event] = queue.Queue()
    with FleetServer(load_fleet(fleet), latency=False) as server:
        signer = load_or_create_signer(tmp_path)
        slow, fast = (AdbTcpTarget(*address_of(server, s), signer, FAST) for s in ("SLOW0001", "FAST0001"))
        bench = Bench(load_policy(default_policy_path()), resolve_data_dir(tmp_path / "data"), inbox.put)
        bench.start([AddressWatcher([slow, fast], poll_s=0.1)])
        try:
            wait_for(inbox, events.Arrived, slow.address)
            bench.cancel(slow.address)
            failed = wait_for(inbox, events.Failed, slow.address)
            assert isinstance(failed, events.Failed) and "cancelled" in failed.message
            wait_for(inbox, events.Scanned, fast.address)
            history = bench.search("FAST0001").result(5)
            assert any(e.kind == "scan" for e in history.entries)
        finally:
            bench.close()


def test_a_wiped_phone_coming_back_to_its_checklist_is_not_scanned_over_its_outcome(tmp_path: Path) -> None:
    from station.core.checklist import load_workflow

    fleet = android_fleet(tmp_path, "BACK0001", security_patch="2026-10-05", apps=["com.tencent.mm"], reboot_s=0.5)
    inbox: queue.Queue[events.Event] = queue.Queue()
    with FleetServer(fleet, latency=False) as server:
        target = AdbTcpTarget(*address_of(server, "BACK0001"), load_or_create_signer(tmp_path), FAST)
        # The fleet is served in this process, as the demo's is: nobody need sign in, and records say simulated.
        bench = Bench(load_policy(default_policy_path()), resolve_data_dir(tmp_path / "data"), inbox.put, simulated=True)
        bench.start([AddressWatcher([target], poll_s=0.1)])
        try:
            wait_for(inbox, events.Scanned, target.address)
            bench.run_workflow(target.address, load_workflow(default_policy_path().parent / "workflows" / "return.toml"))
            wait_for(inbox, events.Left, target.address)
            wait_for(inbox, events.Arrived, target.address)  # back after the wipe, while the checklist waits
            done = wait_for(inbox, events.ChecklistDone, target.address, timeout=15)
            assert isinstance(done, events.ChecklistDone) and done.ready
            records = bench.read(lambda store: store.history("BACK0001")).result(5)
            assert records and all(r.data.get("simulated") is True and r.operator is None for r in records)
            time.sleep(0.5)
            later = [event for event in iter_queue(inbox) if getattr(event, "address", None) == target.address]
            assert not [event for event in later if isinstance(event, (events.StepChanged, events.Scanned))]
        finally:
            bench.close()


def iter_queue(inbox: queue.Queue[events.Event]) -> list[events.Event]:
    drained = []
    while not inbox.empty():
        drained.append(inbox.get_nowait())
    return drained
