"""Operators, PIN rules, and who may sign off what."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.audit.operators import MAX_FAILURES, OperatorError, Operators, Role, pin_matches
from station.audit.records import RecordKind
from station.audit.signoff import Override, sign_off
from station.audit.store import Store
from station.audit.verify import verify_log
from station.core.checklist import load_workflow
from station.core.language import Language
from station.core.phone import Timeouts
from station.core.policy import default_policy_path, load_policy
from station.devices.adb_key import load_or_create_signer
from station.devices.android import AdbTcpTarget
from station.sim.fleet import load_fleet
from station.sim.server import FleetServer
from station.workbench.engine import Engine
from tests.support import address_of

WORKFLOW = Path(__file__).resolve().parents[2] / "policies" / "workflows" / "provision.toml"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path)
    yield opened
    opened.close()


def test_first_operator_must_be_a_supervisor_then_only_supervisors_add(store: Store) -> None:
    operators = Operators(store)
    with pytest.raises(OperatorError, match="first operator"):
        operators.add("Ben Roy", "1002", Role.OPERATOR, "567890", None)
    ana = operators.add("Ana Tremblay", "1001", Role.SUPERVISOR, "123456", None)
    with pytest.raises(OperatorError, match="only a supervisor"):
        operators.add("Eve", "1003", Role.OPERATOR, "999999", None)
    ben = operators.add("Ben Roy", "1002", Role.OPERATOR, "567890", ana)
    with pytest.raises(OperatorError, match="only a supervisor"):
        operators.add("Eve", "1003", Role.OPERATOR, "999999", ben)
    with pytest.raises(OperatorError, match="already taken"):
        operators.add("Other", "1002", Role.OPERATOR, "111111", ana)
    assert [o.badge for o in operators.all()] == ["1001", "1002"]


def test_pin_is_stored_only_as_a_salted_hash(store: Store) -> None:
    Operators(store).add("Ana Tremblay", "1001", Role.SUPERVISOR, "123456", None)
    stored = store.db.table("operators").get("1001")["pin_hash"]
    assert "123456" not in stored and stored.startswith("scrypt$")
    assert pin_matches("123456", stored) and not pin_matches("123457", stored)
    other = Operators(store)
    other.add("Ben Roy", "1002", Role.OPERATOR, "123456", other.find("1001"))
    assert store.db.table("operators").get("1002")["pin_hash"] != stored  # same PIN, different salt
    assert all("123456" not in str(record) for record in store.records())


def test_wrong_pins_are_limited_and_recorded(store: Store) -> None:
    operators = Operators(store)
    operators.add("Ana Tremblay", "1001", Role.SUPERVISOR, "123456", None)
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(OperatorError, match="tries left"):
            operators.authenticate("1001", "000000")
    with pytest.raises(OperatorError, match="locked"):
        operators.authenticate("Ana Tremblay", "000000")
    with pytest.raises(OperatorError, match="locked"):
        operators.authenticate("1001", "123456")  # even the right PIN waits out the lock
    rejected = [r for r in store.records() if r.kind == "pin_rejected"]
    assert len(rejected) == MAX_FAILURES and rejected[-1].data["locked"] is True
    assert verify_log(store).ok


def test_sign_off_only_when_ready_and_override_needs_a_second_supervisor(store: Store, tmp_path: Path) -> None:
    fleet = tmp_path / "fleet.toml"
    fleet.write_text(
        '[[device]]\nplatform = "android"\nserial = "READY0001"\nmanufacturer = "Google"\nmodel = "Pixel 8"\nos_version = "15"\n'
        'security_patch = "2026-10-05"\napps = []\n\n'
        '[[device]]\nplatform = "android"\nserial = "OLDPATCH01"\nmanufacturer = "samsung"\nmodel = "SM-A515W"\nos_version = "13"\n'
        'security_patch = "2023-01-01"\napps = []\n',
        encoding="utf-8",
    )
    operators = Operators(store)
    ana = operators.add("Ana Tremblay", "1001", Role.SUPERVISOR, "123456", None)
    ben = operators.add("Ben Roy", "1002", Role.OPERATOR, "567890", ana)
    policy = load_policy(default_policy_path())
    run = store.start_run("provision", policy)
    engine = Engine(policy, store, run)
    with FleetServer(load_fleet(fleet), latency=False) as server:
        signer = load_or_create_signer(tmp_path)
        ready, old = (
            asyncio.run(engine.run_workflow(AdbTcpTarget(*address_of(server, s), signer, Timeouts(command=5)), load_workflow(WORKFLOW)))
            for s in ("READY0001", "OLDPATCH01")
        )
    assert ready.ready and not old.ready
    assert ready.checklist_seq is not None and old.checklist_seq is not None
    signed = sign_off(store, run, ready.checklist_seq, ben)
    with pytest.raises(OperatorError, match="has not passed its checklist"):
        sign_off(store, run, old.checklist_seq, ben)
    with pytest.raises(OperatorError, match="not a supervisor"):
        sign_off(store, run, old.checklist_seq, ana, Override("patch delayed by the carrier", ben))
    with pytest.raises(OperatorError, match="second person"):
        sign_off(store, run, old.checklist_seq, ana, Override("patch delayed by the carrier", ana))
    with pytest.raises(OperatorError, match="written reason"):
        sign_off(store, run, old.checklist_seq, ben, Override("ok", ana))
    overridden = sign_off(store, run, old.checklist_seq, ben, Override("patch delayed by the carrier", ana))
    records = {r.seq: r for r in store.records()}
    assert records[signed].data["override"] is None and records[signed].operator == "Ben Roy"
    assert records[signed].data["checklist_hash"] == records[ready.checklist_seq].hash
    assert records[overridden].data["override"] == {
        "reason": "patch delayed by the carrier", "supervisor": "Ana Tremblay", "supervisor_badge": "1001",
    }
    assert verify_log(store).ok


def test_retiring_needs_a_reason_and_a_known_phone(store: Store) -> None:
    from station.audit.signoff import retire
    from station.core.models import DeviceIdentity, Platform

    operators = Operators(store)
    ana = operators.add("Ana Tremblay", "1001", Role.SUPERVISOR, "123456", None)
    run = store.start_run("return", None)
    old_phone = DeviceIdentity(Platform.ANDROID, "OLD1", "samsung", "SM-G960W", "10")
    store.record(run, RecordKind.SCAN, address="a", platform="android", identity=old_phone, data={})
    with pytest.raises(OperatorError, match="written reason"):
        retire(store, run, "OLD1", ana, "broken")
    with pytest.raises(OperatorError, match="never seen"):
        retire(store, run, "NOPE", ana, "screen cracked beyond repair")
    row = retire(store, run, "OLD1", ana, "screen cracked beyond repair")
    record = next(r for r in store.records("OLD1") if r.seq == row)
    assert record.kind == "retired" and record.data["reason"] == "screen cracked beyond repair"
    assert verify_log(store).ok


def test_each_operator_has_a_language_a_supervisor_changes_and_the_log_records(store: Store) -> None:
    operators = Operators(store)
    ana = operators.add("Ana Tremblay", "1001", Role.SUPERVISOR, "123456", None, Language.FR)
    ben = operators.add("Ben Okafor", "2002", Role.OPERATOR, "234567", ana)
    assert ana.language is Language.FR and ben.language is Language.EN
    assert operators.find("2002").language is Language.EN
    with pytest.raises(OperatorError, match="only a supervisor"):
        operators.set_language("1001", Language.EN, ben)
    assert operators.set_language("Ben Okafor", Language.FR, ana).language is Language.FR
    assert {o.badge: o.language for o in operators.all()} == {"1001": Language.FR, "2002": Language.FR}
    changed = [r for r in store.records() if r.kind == RecordKind.LANGUAGE_CHANGED]
    assert [(r.operator, r.data) for r in changed] == [("Ana Tremblay", {"badge": "2002", "language": "fr"})]
    assert verify_log(store).ok


def test_operators_added_before_languages_existed_are_given_english(tmp_path: Path) -> None:
    """Migration 2 adds the column to a log made by the previous version (schema 1), keeping its operators."""
    import sqlite3

    import sqlite_utils

    from station.audit.store import MIGRATIONS

    conn = sqlite3.connect(tmp_path / "station.db", isolation_level=None)
    MIGRATIONS[0](sqlite_utils.Database(conn))
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO operators (badge, name, role, pin_hash, created, failed_pins) "
                 "VALUES ('1001', 'Ana', 'supervisor', 'x', '', 0)")
    conn.close()
    reopened = Store.open(tmp_path)
    try:
        assert Operators(reopened).find("1001").language is Language.EN
    finally:
        reopened.close()
