"""The engine: runs scans and removals on many phones at once, on one asyncio loop, and logs each step.

Every phone runs as its own task, so one slow or broken phone never holds up another. Each step is
recorded in the log before the engine moves on; a removal is recorded before it is attempted and after.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import NamedTuple

from station.audit.operators import Operator
from station.audit.records import RecordKind
from station.audit.signoff import Override
from station.audit.store import Store
from station.core import events
from station.core.account_lock import AccountLock, account_lock
from station.core.checklist import (
    Action,
    Evidence,
    Item,
    ItemResult,
    Purpose,
    SealOutcome,
    Status,
    Verdict,
    Workflow,
    applies,
    failing,
    judge,
    not_applicable,
)
from station.core.errors import DeviceError, IdentityMismatch, StationError, WipeNeedsRecovery
from station.core.events import Step
from station.core.models import DeviceFacts, DeviceIdentity, Finding, InstalledApp, Inventory, RemovalAttempt
from station.core.phone import Phone, PhoneTarget
from station.core.policy import Policy
from station.workbench.actions import RUNNERS, ActionContext

WIPE_RETURN_S = 300.0  # how long a wiped phone has to come back before the checklist fails
RECOVERY_RETURN_S = 1800.0  # the same after a reset chosen by hand: the reset, the setup screens, USB debugging again
RECOVERY_GUIDE = (
    "The phone is restarting into recovery. On the phone: choose 'Wipe data/factory reset' with the volume keys and "
    "confirm with the power key, then 'Reboot system now'. When it starts, skip through setup, turn USB debugging "
    "back on (Settings, About phone: tap Build number seven times; then Developer options) and tap Allow. "
    "The station checks the wipe when the phone is back."
)


# the record of the facts read with each kind of reading
_FACTS = {RecordKind.INTAKE: RecordKind.INTAKE_FACTS, RecordKind.VERIFICATION: RecordKind.VERIFICATION_FACTS}


class WipeWaits(NamedTuple):
    """How long a wiped phone has to come back, in seconds: after a reset the station started over USB,
    and after one the operator chose by hand in recovery."""

    over_usb: float
    by_hand: float


@dataclass
class PhoneReport:
    """What happened to one phone in one run."""

    address: str
    platform: str
    identity: DeviceIdentity | None = None
    app_count: int | None = None
    findings: list[Finding] = field(default_factory=list)
    attempts: list[RemovalAttempt] | None = None
    findings_after: list[Finding] | None = None
    error: str | None = None
    error_kind: str | None = None
    workflow: str | None = None
    checklist: list[ItemResult] | None = None
    ready: bool | None = None
    checklist_seq: int | None = None  # the checklist's record number, which its sign-off names
    signed_off: int | None = None  # the sign-off's record number, once signed
    account_lock: AccountLock | None = None  # whether a reset would lock the phone, as read at intake
    facts: DeviceFacts | None = None  # the last reading's facts (battery, management, accounts)
    seal: SealOutcome | None = None  # the workflow's seal step: sealed, and when, or why not

    @property
    def removed(self) -> list[RemovalAttempt]:
        return [attempt for attempt in self.attempts or [] if attempt.ok]

    @property
    def failed(self) -> list[RemovalAttempt]:
        return [attempt for attempt in self.attempts or [] if not attempt.ok]

    @property
    def serial(self) -> str | None:
        return self.identity.serial if self.identity else None

    @property
    def reached(self) -> bool:
        return self.identity is not None and self.error is None

    @property
    def remaining(self) -> list[Finding]:
        return self.findings_after if self.findings_after is not None else self.findings


def _item_record(result: ItemResult) -> dict[str, object]:
    item = result.item
    return {"id": item.id, "title": item.title, "title_fr": item.title_fr, "mandatory": item.mandatory, "check": item.check,
            "action": item.action, "status": str(result.status), "evidence": result.evidence,
            "said": result.said.to_json()}


def finding_record(finding: Finding) -> dict[str, object]:
    return {
        "app_id": finding.app_id,
        "user": finding.app.user,
        "system": finding.app.system,
        "enabled": finding.app.enabled,
        "version": finding.app.version,
        "installer": finding.app.installer,
        "team_id": finding.app.team_id,
        "rule": finding.rule_id,
        "rule_app": finding.rule_app,
        "matched_by": finding.matched_by,
        "matched_value": finding.matched_value,
        "reason": finding.reason,
        "source": finding.source,
    }


class Engine:
    """Scans and removals against one policy, logged in one store, reported to one listener."""

    def __init__(self, policy: Policy, store: Store, run_id: str, listener: events.Listener | None = None) -> None:
        self.policy = policy
        self.store = store
        self.run_id = run_id
        self.listener = listener or (lambda _event: None)
        # The operator whose PIN was checked for this session, recorded with every step; None records
        # that nobody was (a scan, or phones simulated inside the station).
        self.operator: Operator | None = None
        # The phones are simulated inside the station (--sim, --demo): every record says so, in its
        # hashed data, so that it cannot be taken off unnoticed.
        self.simulated = False
        self.awaiting_return: set[str] = set()  # addresses of wiped phones a checklist is waiting for
        # IMEIs the operator typed or scanned, by serial (checked by station.core.imei): an Android phone
        # does not give its IMEI to the shell, so this is the only way it reaches the phone's records.
        self.typed_imeis: dict[str, str] = {}
        self._serial_at: dict[str, DeviceIdentity] = {}  # the last identity read at each address, to find twins

    def known(self, target: PhoneTarget, identity: DeviceIdentity) -> DeviceIdentity:
        """The identity as the station files it: with the IMEI the operator typed where the phone gives
        none, and marked ambiguous, with its address, when another connected phone reports the same serial
        (that phone's tile is told too, when this one is its first twin)."""
        raw = replace(self._with_typed_imei(identity), ambiguous_with=(), seen_at=None)
        before = {a for a, other in self._serial_at.items() if other.serial == raw.serial and a != target.address}
        self._serial_at[target.address] = raw
        for other in sorted(before):
            twins = tuple(sorted(a for a in (before | {target.address}) if a != other))
            if self._serial_at[other].ambiguous_with != twins:
                self._serial_at[other] = replace(self._serial_at[other], ambiguous_with=twins, seen_at=other)
                self._emit(events.Identified(other, self._serial_at[other]))
        if not before:
            return raw
        marked = replace(raw, ambiguous_with=tuple(sorted(before)), seen_at=target.address)
        self._serial_at[target.address] = marked
        return marked

    def forget(self, address: str) -> None:
        """The phone at ``address`` left: a phone with its serial is no longer its twin."""
        self._serial_at.pop(address, None)

    def _with_typed_imei(self, identity: DeviceIdentity) -> DeviceIdentity:
        typed = self.typed_imeis.get(identity.serial)
        if typed is None or identity.imei is not None:
            return identity
        return replace(identity, imei=typed)

    def _emit(self, event: events.Event) -> None:
        self.listener(event)

    def emit(self, event: events.Event) -> None:
        """Tell the listener of a step an action takes (the seal's own steps)."""
        self._emit(event)

    def record(self, kind: RecordKind, target: PhoneTarget, identity: DeviceIdentity | None, **data: object) -> int:
        """Log one step of one phone, under this run and operator (a twin under its serial and address)."""
        identity = None if identity is None else self.known(target, identity)
        return self.store.record(
            self.run_id, kind, address=target.address, platform=str(target.platform), identity=identity,
            data={**data, "simulated": True} if self.simulated else data, operator=str(self.operator) if self.operator else None,
        )

    def run_by(self) -> dict[str, object] | None:
        """Who ran a checklist, as its record keeps it for the printed page: the operator whose PIN was checked."""
        if self.operator is None:
            return None
        return {"name": self.operator.name, "badge": self.operator.badge, "pin_checked": True}

    async def _connect(self, target: PhoneTarget) -> Phone:
        self._emit(events.StepChanged(target.address, target.platform, Step.CONNECTING))

        def needs_approval(message: str) -> None:
            self._emit(events.NeedsApproval(target.address, target.platform, message))

        return await target.connect(needs_approval)

    async def _scan(self, target: PhoneTarget, phone: Phone, report: PhoneReport, kind: RecordKind) -> tuple[Inventory, list[Finding]]:
        """A fresh inventory and its findings, recorded as ``kind`` (scan or verification)."""
        serial = report.identity.serial if report.identity else None
        self._emit(events.StepChanged(target.address, target.platform, Step.SCANNING, serial))
        inventory = await phone.inventory()
        inventory = replace(inventory, identity=self.known(target, inventory.identity))
        findings = self.policy.findings(target.platform, inventory.apps)
        if report.identity is None:
            report.identity = inventory.identity
            self._emit(events.Identified(target.address, inventory.identity))
        self.record(
            kind,
            target,
            inventory.identity,
            app_count=len(inventory.apps),
            users=list(inventory.users),
            findings=[finding_record(finding) for finding in findings],
            apps=[dict(vars(app)) for app in inventory.apps],  # flat fields: asdict's deep copy cost 2 ms a scan
        )
        return inventory, findings

    def _fail(self, target: PhoneTarget, report: PhoneReport, exc: BaseException) -> None:
        report.error = str(exc)
        report.error_kind = type(exc).__name__
        self.record(RecordKind.ERROR, target, report.identity, error=report.error, error_kind=report.error_kind)
        serial = report.identity.serial if report.identity else None
        self._emit(events.Failed(target.address, target.platform, report.error, serial, report.error_kind))

    async def _run(self, target: PhoneTarget, report: PhoneReport, job: Callable[[Phone], Awaitable[None]]) -> PhoneReport:
        """Connect and run one job on the phone. A StationError ends the job as the phone's error
        (recorded and reported, never raised); cancelling is recorded too; the connection always closes."""
        phone: Phone | None = None
        try:
            phone = await self._connect(target)
            await job(phone)
        except StationError as exc:
            self._fail(target, report, exc)
        except asyncio.CancelledError:
            self._fail(target, report, StationError(f"{target.address}: cancelled by the operator"))
            raise
        finally:
            if phone is not None:
                await phone.close()
        return report

    async def scan(self, target: PhoneTarget) -> PhoneReport:
        report = PhoneReport(target.address, str(target.platform))

        async def job(phone: Phone) -> None:
            inventory, report.findings = await self._scan(target, phone, report, RecordKind.SCAN)
            report.app_count = len(inventory.apps)
            report.facts = await phone.facts(inventory)
            report.account_lock = account_lock(target.platform, report.facts)
            self.record(RecordKind.SCAN_FACTS, target, inventory.identity, **asdict(report.facts))
            apps = tuple((app.app_id, app.user) for app in inventory.apps)
            identity = self.known(target, inventory.identity)  # a twin may have been read meanwhile
            self._emit(events.Scanned(target.address, identity, report.app_count, tuple(report.findings), apps,
                                      report.facts, report.account_lock))

        return await self._run(target, report, job)

    async def remove(self, target: PhoneTarget, expected_serial: str | None = None, confirmed: Iterable[str] | None = None) -> PhoneReport:
        """Scan, then remove the findings the operator confirmed (all, when ``confirmed`` is None) from the
        phone whose serial is ``expected_serial``, then verify with a fresh inventory."""
        report = PhoneReport(target.address, str(target.platform))
        allowed = None if confirmed is None else set(confirmed)

        async def job(phone: Phone) -> None:
            inventory, report.findings = await self._scan(target, phone, report, RecordKind.SCAN)
            report.app_count = len(inventory.apps)
            to_remove = [f for f in report.findings if allowed is None or f.app_id in allowed]
            report.attempts = []
            if to_remove:
                await self.remove_findings(target, phone, report, inventory.identity, expected_serial, to_remove)
            after, report.findings_after = await self._scan(target, phone, report, RecordKind.VERIFICATION)
            report.attempts = self._verified(report.attempts, after)
            self.record(
                RecordKind.REMOVAL_VERIFIED,
                target,
                report.identity,
                removed=[asdict(a) for a in report.removed],
                failed=[asdict(a) for a in report.failed],
                findings_after=[finding_record(f) for f in report.findings_after],
            )
            self._emit(events.Removed(target.address, after.identity, tuple(report.attempts), tuple(report.findings_after)))

        return await self._run(target, report, job)

    async def remove_findings(
        self,
        target: PhoneTarget,
        phone: Phone,
        report: PhoneReport,
        scanned: DeviceIdentity,
        expected_serial: str | None,
        findings: list[Finding],
    ) -> None:
        self._emit(events.StepChanged(target.address, target.platform, Step.REMOVING, scanned.serial))
        if expected_serial is not None and scanned.serial != expected_serial:
            raise IdentityMismatch(
                target.address, f"this is phone {scanned.serial}, not {expected_serial} that removal was confirmed for; nothing was removed"
            )
        by_app: dict[str, list[InstalledApp]] = {}
        for finding in findings:
            by_app.setdefault(finding.app_id, []).append(finding.app)
        for app_id, copies in by_app.items():
            current = await phone.identity()
            if (current.serial, current.model) != (scanned.serial, scanned.model):
                raise IdentityMismatch(
                    target.address, f"the phone changed to {current.serial} ({current.model}) before {app_id} was removed; stopped"
                )
            self.record(RecordKind.REMOVAL_STARTED, target, scanned, app_id=app_id, users=[app.user for app in copies])
            try:
                attempts = await phone.uninstall(app_id, copies)
            except DeviceError as exc:
                self.record(RecordKind.REMOVAL_RESULT, target, scanned, app_id=app_id, ok=False, error=str(exc))
                raise
            for attempt in attempts:
                self.record(RecordKind.REMOVAL_RESULT, target, scanned, **asdict(attempt))
            report.attempts = (report.attempts or []) + attempts

    async def wipe(self, target: PhoneTarget, expected_serial: str) -> PhoneReport:
        """Factory-reset the phone the operator confirmed, after checking it is still that phone."""
        report = PhoneReport(target.address, str(target.platform))

        async def job(phone: Phone) -> None:
            identity = await phone.identity()
            report.identity = identity
            if identity.serial != expected_serial:
                raise IdentityMismatch(
                    target.address,
                    f"this is phone {identity.serial}, not {expected_serial} that the wipe was confirmed for; nothing was done",
                )
            await self.start_wipe(target, phone, identity)

        return await self._run(target, report, job)

    async def run_workflow(self, target: PhoneTarget, workflow: Workflow, expected_serial: str | None = None,
                           wipe_return_s: float = WIPE_RETURN_S, recovery_return_s: float = RECOVERY_RETURN_S,
                           wipe_override: Override | None = None) -> PhoneReport:
        """Take one phone through a checklist: read it (kept as intake evidence), run the actions, read it
        afresh, and judge every check on that fresh reading alone. ``wipe_override`` is a supervisor's
        approval, for this run, of wiping a phone still tied to its user's account."""
        report = PhoneReport(target.address, str(target.platform), workflow=workflow.id)

        async def job(phone: Phone) -> None:
            current = phone
            try:
                intake, report.findings = await self._evidence(target, current, report, RecordKind.INTAKE)
                before = {item.id: judge(item, intake) for item in workflow.checks}
                report.app_count = len(intake.inventory.apps)
                report.account_lock = account_lock(target.platform, intake.facts)
                if workflow.purpose is Purpose.RETURN:
                    lock = report.account_lock
                    self.record(RecordKind.RETURN_INTAKE, target, intake.identity,
                                 flagged_for_follow_up=bool(report.findings) or not lock.clear,
                                 findings=[finding_record(f) for f in report.findings],
                                 account_lock={"gate": str(lock.gate), "evidence": lock.evidence, "remedy": lock.remedy})
                done: dict[str, Verdict] = {}
                for item in workflow.actions:
                    if item.action is Action.SEAL:
                        continue  # last of all: it ends the station's access, once the rest is judged below
                    if not applies(item, target.platform):
                        done[item.id] = not_applicable(item.check or "", target.platform)
                        continue
                    self.record(RecordKind.ACTION_STARTED, target, intake.identity, item=item.id, action=item.action)
                    if item.action is None:
                        continue
                    context = ActionContext(self, target, current, report, intake, expected_serial or intake.identity.serial,
                                            WipeWaits(wipe_return_s, recovery_return_s), wipe_override)
                    verdict, current = await RUNNERS[item.action](item, context)
                    done[item.id] = verdict
                    self.record(RecordKind.ACTION_RESULT, target, intake.identity, item=item.id, status=str(verdict.status),
                                 evidence=verdict.evidence, said=verdict.said.to_json())
                final, report.findings_after = await self._evidence(target, current, report, RecordKind.VERIFICATION)
                report.facts = final.facts
                report.identity = final.identity  # as now filed: a twin found since the intake is marked
                seal = workflow.seal
                if seal is not None and seal.action is not None:
                    judged = tuple(self._outcome(item, done, before, final) for item in workflow.items if item is not seal)
                    self.record(RecordKind.ACTION_STARTED, target, final.identity, item=seal.id, action=seal.action)
                    context = ActionContext(self, target, current, report, final, expected_serial or final.identity.serial,
                                            WipeWaits(wipe_return_s, recovery_return_s), wipe_override, workflow.handout, judged)
                    verdict, current = await RUNNERS[seal.action](seal, context)
                    done[seal.id] = verdict
                    self.record(RecordKind.ACTION_RESULT, target, final.identity, item=seal.id, status=str(verdict.status),
                                evidence=verdict.evidence)
                report.checklist = [self._outcome(item, done, before, final) for item in workflow.items]
                report.ready = not failing(report.checklist)
                report.checklist_seq = self.record(
                    RecordKind.CHECKLIST, target, final.identity, workflow=workflow.id, workflow_path=workflow.path,
                    ready=report.ready, items=[_item_record(r) for r in report.checklist], run_by=self.run_by(),
                    handout=str(workflow.handout), seal=None if report.seal is None else report.seal.as_record(),
                )
                self._emit(events.ChecklistDone(target.address, final.identity, workflow.id, tuple(report.checklist), report.ready,
                                                tuple(report.findings_after),
                                                tuple((app.app_id, app.user) for app in final.inventory.apps),
                                                report.checklist_seq, final.facts, report.account_lock, report.seal))
            finally:
                if current is not phone:
                    await current.close()

        return await self._run(target, report, job)

    async def _evidence(self, target: PhoneTarget, phone: Phone, report: PhoneReport, kind: RecordKind) -> tuple[Evidence, list[Finding]]:
        """A fresh reading for the checks (inventory and facts), with the policy's findings in it."""
        inventory, findings = await self._scan(target, phone, report, kind)
        facts = await phone.facts(inventory)
        self.record(_FACTS[kind], target, inventory.identity, **asdict(facts))
        today = dt.date.today()  # noqa: DTZ011 - a patch's age counts the depot's own calendar days
        return Evidence(inventory.identity, inventory, facts, self.policy, today), findings

    @staticmethod
    def _outcome(item: Item, done: dict[str, Verdict], before: dict[str, Verdict], final: Evidence) -> ItemResult:
        if item.action:
            verdict = done[item.id]
            return ItemResult(item, verdict.status, verdict.said)
        after = judge(item, final)
        fixed = after.status is Status.PASS and before[item.id].status is Status.FAIL
        return ItemResult(item, Status.FIXED if fixed else after.status, after.said)

    async def start_wipe(self, target: PhoneTarget, phone: Phone, identity: DeviceIdentity) -> tuple[str, bool]:
        """Start a factory reset, recorded before and after. A phone that will not reset over USB is
        restarted into recovery for the operator to choose the reset there. Returns what the operator is
        told and whether the reset is done by hand."""
        self._emit(events.StepChanged(target.address, target.platform, Step.WIPING, identity.serial))
        self.record(RecordKind.WIPE_STARTED, target, identity)
        try:
            message = await phone.wipe()
        except WipeNeedsRecovery as refused:
            self.record(RecordKind.WIPE_RESULT, target, identity, ok=False, error=str(refused), next="reset by hand in recovery")
            await phone.reboot_to_recovery()
            self.record(RecordKind.RECOVERY_REBOOT, target, identity, guide=RECOVERY_GUIDE)
            self._emit(events.Wiped(target.address, identity, RECOVERY_GUIDE, by_hand=True))
            return RECOVERY_GUIDE, True
        self.record(RecordKind.WIPE_RESULT, target, identity, ok=True, message=message)
        self._emit(events.Wiped(target.address, identity, message))
        return message, False

    async def wait_for_return(self, target: PhoneTarget, serial: str, limit: float) -> Phone:
        """Reconnect to a phone restarting after a wipe: every few seconds, for at most ``limit`` seconds."""
        self.awaiting_return.add(target.address)
        try:
            return await self._reconnect(target, serial, limit)
        finally:
            self.awaiting_return.discard(target.address)

    async def _reconnect(self, target: PhoneTarget, serial: str, limit: float) -> Phone:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        while True:
            await asyncio.sleep(min(2.0, limit / 10))
            try:  # quietly: the tile keeps saying what the operator is to do until the phone is back
                phone = await target.connect(
                    lambda message: self._emit(events.NeedsApproval(target.address, target.platform, message))
                )
            except StationError:
                if loop.time() >= deadline:
                    raise StationError(f"{target.address}: the phone did not come back within {limit:g} s of the wipe; "
                                       "reconnect it and run the checklist again") from None
                continue
            identity = await phone.identity()
            if identity.serial != serial:
                await phone.close()
                raise IdentityMismatch(target.address, f"phone {identity.serial} came back where {serial} was wiped")
            return phone

    @staticmethod
    def _verified(attempts: list[RemovalAttempt], after: Inventory) -> list[RemovalAttempt]:
        """An uninstall counts only if the fresh inventory no longer lists the app for that user."""
        still = {(app.app_id, app.user) for app in after.apps}
        return [
            RemovalAttempt(attempt.app_id, attempt.user, attempt.method, False,
                           "the phone reported success but the app is still installed", attempt.notes)
            if attempt.ok and (attempt.app_id, attempt.user) in still else attempt
            for attempt in attempts
        ]

    def mark_twins(self, reports: list[PhoneReport]) -> list[PhoneReport]:
        """Reports of phones read before their twin was: their identity as the station now knows it."""
        for report in reports:
            known = self._serial_at.get(report.address)
            if report.identity is not None and known is not None and known.serial == report.identity.serial:
                report.identity = replace(report.identity, ambiguous_with=known.ambiguous_with, seen_at=known.seen_at)
        return reports

    async def scan_all(self, targets: Iterable[PhoneTarget]) -> list[PhoneReport]:
        return self.mark_twins(list(await asyncio.gather(*(self.scan(target) for target in targets))))

    async def remove_all(
        self, plan: Iterable[tuple[PhoneTarget, str | None, Iterable[str] | None]]
    ) -> list[PhoneReport]:
        return self.mark_twins(list(await asyncio.gather(*(self.remove(t, serial, ids) for t, serial, ids in plan))))
