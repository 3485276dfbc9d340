"""Two connected phones with one serial (cheap Android phones ship with 0123456789ABCDEF) never share a
tile, a log identity or a sign-off: the station tells them apart by address and says so."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from station.audit.operators import Operator, OperatorError, Role
from station.audit.signoff import Override, sign_off
from station.audit.store import Store
from station.cli.output import report_json
from station.core import events
from station.core.checklist import load_workflow
from station.core.phone import PhoneTarget, Timeouts
from station.core.policy import default_policy_path, load_policy
from station.devices.adb_key import load_or_create_signer
from station.devices.android import AdbTcpTarget
from station.gui.state import BenchState
from station.sim.server import FleetServer
from station.workbench.engine import Engine
from tests.support import address_of, android_fleet

SERIAL = "0123456789ABCDEF"
WORKFLOW = Path(__file__).resolve().parents[2] / "policies" / "workflows" / "provision.toml"
ANA = Operator("Ana Tremblay", "1001", Role.OPERATOR)
BOSS = Operator("Marie Roy", "9001", Role.SUPERVISOR)


@pytest.fixture
def twins(tmp_path: Path) -> Iterator[list[PhoneTarget]]:
    """Two phones reporting one serial, each served on its own address."""
    signer = load_or_create_signer(tmp_path)
    with ExitStack() as stack:
        targets: list[PhoneTarget] = []
        for model in ("Alpha A1", "Beta B2"):
            folder = tmp_path / model.replace(" ", "")
            folder.mkdir()
            server = stack.enter_context(FleetServer(android_fleet(folder, SERIAL, model=model, manufacturer="Generic"), latency=False))
            targets.append(AdbTcpTarget(*address_of(server, SERIAL), signer, Timeouts(connect=3, approval=1, command=5)))
        yield targets


def engine(store: Store, seen: list[events.Event] | None = None) -> Engine:
    policy = load_policy(default_policy_path())
    return Engine(policy, store, store.start_run("twins", policy), seen.append if seen is not None else None)


def test_twins_are_marked_and_filed_apart(twins: list[PhoneTarget]) -> None:
    store = Store.in_memory()
    seen: list[events.Event] = []
    station = engine(store, seen)
    asyncio.run(station.scan_all(twins))  # the twins meet: whichever is read first was recorded before the other showed up
    reports = asyncio.run(station.scan_all(twins))
    assert all(r.identity is not None and r.identity.ambiguous for r in reports)
    assert [report_json(r, removal=False)["identity_ambiguous"] for r in reports] == [True, True]
    keys = {r.identity.log_serial for r in reports if r.identity}
    assert keys == {f"{SERIAL}@{t.address}" for t in twins}
    for target in twins:  # once both are known, each phone's history is its own
        assert {r.address for r in store.records(f"{SERIAL}@{target.address}")} == {target.address}
    bench = BenchState()  # the window's tiles: one per address, each saying it is a twin
    for target in twins:
        bench.apply(events.Arrived(target.address, target.platform))
    for event in seen:
        bench.apply(event)
    assert len(bench.phones) == 2
    assert all(p.message.startswith("Identity ambiguous") and "not signed off" in p.message for p in bench.phones.values())


def test_a_twins_checklist_cannot_be_signed_off_even_by_override(twins: list[PhoneTarget]) -> None:
    store = Store.in_memory()
    station = engine(store)
    workflow = load_workflow(WORKFLOW)

    async def both() -> list[int | None]:
        reports = await asyncio.gather(*(station.run_workflow(t, workflow) for t in twins))
        return [r.checklist_seq for r in reports]

    seqs = asyncio.run(both())
    for seq in seqs:
        assert seq is not None
        with pytest.raises(OperatorError, match="reports the same serial"):
            sign_off(store, station.run_id, seq, ANA, Override("the supervisor vouches for it", BOSS))


def test_a_phone_alone_again_is_not_a_twin(twins: list[PhoneTarget]) -> None:
    store = Store.in_memory()
    station = engine(store)
    asyncio.run(station.scan_all(twins))
    station.forget(twins[1].address)
    (alone,) = asyncio.run(station.scan_all(twins[:1]))
    assert alone.identity is not None and not alone.identity.ambiguous and alone.identity.log_serial == SERIAL


def test_a_checklist_written_before_its_twin_showed_up_cannot_be_signed_off(twins: list[PhoneTarget]) -> None:
    """The first of two phones with one serial finishes its checklist alone; its twin shows up after. The
    checklist was filed under the bare serial, but the session has since seen two phones with it."""
    store = Store.in_memory()
    station = engine(store)
    workflow = load_workflow(WORKFLOW)
    first = asyncio.run(station.run_workflow(twins[0], workflow))
    assert first.checklist_seq is not None and first.identity is not None and not first.identity.ambiguous
    asyncio.run(station.scan_all(twins))  # the twin arrives while the first is still on the bench
    with pytest.raises(OperatorError, match="reports the same serial"):
        sign_off(store, station.run_id, first.checklist_seq, ANA, Override("the supervisor vouches for it", BOSS))
