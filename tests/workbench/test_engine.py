"""The engine end to end: simulated phones, the real adb-shell backend, the log."""

from __future__ import annotations

import asyncio
from pathlib import Path

from station.audit.store import Store
from station.core import events
from station.core.phone import Timeouts
from station.core.policy import default_policy_path, load_policy
from station.devices.adb_key import load_or_create_signer
from station.devices.android import AdbTcpTarget
from station.sim.server import FleetServer
from station.workbench.engine import Engine
from tests.support import address_of, android_fleet

FAST = Timeouts(connect=3, approval=0.5, command=5, uninstall=5)


def make_engine(store: Store) -> tuple[Engine, list[events.Event]]:
    seen: list[events.Event] = []
    policy = load_policy(default_policy_path())
    return Engine(policy, store, store.start_run("test", policy), seen.append), seen


def targets(served: FleetServer, tmp_path: Path, *serials: str) -> list[AdbTcpTarget]:
    signer = load_or_create_signer(tmp_path)
    return [AdbTcpTarget(*address_of(served, serial), signer, FAST) for serial in serials]


def test_scan_finds_banned_apps_in_every_user_and_nothing_else(served: FleetServer, tmp_path: Path) -> None:
    store = Store.in_memory()
    engine, seen = make_engine(store)
    (report,) = asyncio.run(engine.scan_all(targets(served, tmp_path, "R58N12ABCDE")))
    found = sorted((f.app_id, f.app.user, f.rule_id) for f in report.findings)
    assert [(a, u) for a, u, _ in found] == [
        ("com.kaspersky.security.cloud", 0),
        ("com.kaspersky.security.cloud", 10),
        ("com.tencent.mm", 0),
        ("com.tencent.mm", 10),
        ("com.zhiliaoapp.musically", 10),
    ]
    assert report.error is None and report.app_count and report.app_count > 5
    assert any(isinstance(e, events.Scanned) for e in seen)
    (record,) = [r for r in store.records("R58N12ABCDE") if r.kind == "scan"]
    assert len(record.data["findings"]) == 5
    assert record.policy_sha256 == engine.policy.sha256


def test_one_unreachable_phone_does_not_stop_the_others(served: FleetServer, tmp_path: Path) -> None:
    store = Store.in_memory()
    engine, seen = make_engine(store)
    reports = asyncio.run(engine.scan_all(targets(served, tmp_path, "R58N12ABCDE", "PENDING0001", "REJECT0001")))
    ok, pending, rejected = reports
    assert ok.reached and ok.findings
    assert pending.error_kind == "AuthorizationPending" and "tap Allow" in (pending.error or "")
    assert rejected.error_kind == "AuthorizationRejected"
    assert any(isinstance(e, events.NeedsApproval) and e.address == pending.address for e in seen)
    errors = [r for r in store.records() if r.kind == "error"]
    assert {r.address for r in errors} == {pending.address, rejected.address}


def test_remove_verifies_with_a_fresh_inventory_and_records_before_and_after(served: FleetServer, tmp_path: Path) -> None:
    store = Store.in_memory()
    engine, _ = make_engine(store)
    (t,) = targets(served, tmp_path, "R58N12ABCDE")
    report = asyncio.run(engine.remove(t, "R58N12ABCDE", None))
    assert report.error is None
    assert report.findings_after == []
    assert {(a.app_id, a.user) for a in report.removed} == {
        ("com.kaspersky.security.cloud", 0),
        ("com.kaspersky.security.cloud", 10),
        ("com.tencent.mm", 0),
        ("com.tencent.mm", 10),
        ("com.zhiliaoapp.musically", 10),
    }
    kinds = [r.kind for r in store.records("R58N12ABCDE")]
    assert kinds[0] == "scan" and kinds[-2:] == ["verification", "removal_verified"]
    started = [i for i, k in enumerate(kinds) if k == "removal_started"]
    results = [i for i, k in enumerate(kinds) if k == "removal_result"]
    assert len(started) == 3 and len(results) == 5 and started[0] < results[0]


def test_remove_only_what_was_confirmed(served: FleetServer, tmp_path: Path) -> None:
    engine, _ = make_engine(Store.in_memory())
    (t,) = targets(served, tmp_path, "R58N12ABCDE")
    report = asyncio.run(engine.remove(t, "R58N12ABCDE", {"com.zhiliaoapp.musically"}))
    assert {a.app_id for a in report.attempts or []} == {"com.zhiliaoapp.musically"}
    assert {f.app_id for f in report.findings_after or []} == {"com.tencent.mm", "com.kaspersky.security.cloud"}


def test_removal_refuses_a_different_phone_than_confirmed(served: FleetServer, tmp_path: Path) -> None:
    store = Store.in_memory()
    engine, _ = make_engine(store)
    (t,) = targets(served, tmp_path, "R58N12ABCDE")
    report = asyncio.run(engine.remove(t, "SOMEOTHERPHONE", None))
    assert report.error_kind == "IdentityMismatch" and "nothing was removed" in (report.error or "")
    assert not report.attempts
    assert not [r for r in store.records() if r.kind == "removal_started"]


WIPE_FLEET = """
[[device]]
platform = "android"
serial = "WIPE0001"
manufacturer = "Google"
model = "Pixel 8"
os_version = "15"
security_patch = "2024-11-05"
apps = ["com.tencent.mm", "com.android.chrome"]
system_apps = ["com.android.settings"]
reboot_s = 0.3

[[device]]
platform = "android"
serial = "LOCKED0001"
manufacturer = "Google"
model = "Pixel 7"
os_version = "14"
security_patch = "2024-10-05"
apps = ["com.tencent.mm"]
lock_screen = true
reboot_s = 0.3

[[device]]
platform = "android"
serial = "OLD0001"
manufacturer = "samsung"
model = "SM-G960W"
os_version = "9"
security_patch = "2021-01-01"
apps = ["com.tencent.mm"]
reboot_s = 0.3
in_recovery = "reboot"
"""


def test_wipe_resets_the_confirmed_phone_and_others_are_sent_to_recovery(tmp_path: Path) -> None:
    from station.sim.fleet import load_fleet

    path = tmp_path / "wipe.toml"
    path.write_text(WIPE_FLEET, encoding="utf-8")
    store = Store.in_memory()
    engine, seen = make_engine(store)
    with FleetServer(load_fleet(path), latency=False) as server:
        wipe, locked, old = targets(server, tmp_path, "WIPE0001", "LOCKED0001", "OLD0001")
        wrong = asyncio.run(engine.wipe(wipe, "LOCKED0001"))
        assert wrong.error_kind == "IdentityMismatch"
        assert "com.tencent.mm" in {p.id for p in server.phone("WIPE0001").packages.values()}

        report = asyncio.run(engine.wipe(wipe, "WIPE0001"))
        assert report.error is None
        assert [e.by_hand for e in seen if isinstance(e, events.Wiped)] == [False]
        assert set(server.phone("WIPE0001").packages) == {"com.android.settings"}

        # A screen lock (and Android 9) refuse Test Harness Mode: the phone restarts into recovery and
        # the operator is told what to choose there.
        for target, serial in ((locked, "LOCKED0001"), (old, "OLD0001")):
            guided = asyncio.run(engine.wipe(target, serial))
            assert guided.error is None
        by_hand = [e for e in seen if isinstance(e, events.Wiped) and e.by_hand]
        assert [e.identity.serial for e in by_hand] == ["LOCKED0001", "OLD0001"]
        assert "Wipe data/factory reset" in by_hand[0].message

        import time

        time.sleep(0.8)  # both restarts are over: LOCKED0001's operator chose the reset, OLD0001's did not
        after = asyncio.run(engine.scan(wipe))
        assert after.error is None and after.findings == []
        assert "com.tencent.mm" not in server.phone("LOCKED0001").packages
        assert "com.tencent.mm" in server.phone("OLD0001").packages
    kinds = [r.kind for r in store.records("WIPE0001")]
    assert kinds.index("wipe_started") < kinds.index("wipe_result")
    locked_records = [r for r in store.records("LOCKED0001") if r.kind in ("wipe_started", "wipe_result", "recovery_reboot")]
    assert [r.kind for r in locked_records] == ["wipe_started", "wipe_result", "recovery_reboot"]
    assert locked_records[1].data["ok"] is False and "lock credential" in locked_records[1].data["error"]


def test_a_removal_the_phone_claims_but_does_not_do_is_a_failure(tmp_path: Path) -> None:
    fleet = android_fleet(tmp_path, "STICKY0001", apps=["com.tencent.mm", "com.zhiliaoapp.musically"], sticky_apps=["com.tencent.mm"])
    store = Store.in_memory()
    engine, _ = make_engine(store)
    with FleetServer(fleet, latency=False) as server:
        (t,) = targets(server, tmp_path, "STICKY0001")
        report = asyncio.run(engine.remove(t, "STICKY0001", None))
    (failed,) = report.failed
    assert failed.app_id == "com.tencent.mm" and "still installed" in (failed.error or "")
    assert [a.app_id for a in report.removed] == ["com.zhiliaoapp.musically"]
    assert [f.app_id for f in report.findings_after or []] == ["com.tencent.mm"]
    (verified,) = [r for r in store.records("STICKY0001") if r.kind == "removal_verified"]
    assert [f["app_id"] for f in verified.data["failed"]] == ["com.tencent.mm"]
