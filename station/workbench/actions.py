"""What each checklist action does to a phone: one function per Action, found through RUNNERS.

An action runs between the intake reading and the fresh verification reading; its verdict says what it
did (checks are judged later, on the fresh reading). It returns the connection to go on with: a wipe
ends the one it was given and comes back with the phone's new one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from station.audit.records import RecordKind
from station.audit.signoff import Override
from station.core import events
from station.core.account_lock import account_lock
from station.core.blocking import blocking_profile
from station.core.checklist import (
    ACTIONS,
    Action,
    Evidence,
    Handout,
    Item,
    ItemResult,
    SealOutcome,
    SealState,
    Status,
    Verdict,
    blocking_profile_id,
    failing,
)
from station.core.errors import DeviceError, IdentityMismatch
from station.core.events import Step
from station.core.models import Platform
from station.core.phone import Phone, PhoneTarget
from station.core.sayings import Said, Saying

if TYPE_CHECKING:  # the engine hands itself to the actions; it imports this module to find them
    from station.workbench.engine import Engine, PhoneReport, WipeWaits


@dataclass(frozen=True)
class ActionContext:
    """One phone in one checklist, as an action finds it."""

    engine: Engine
    target: PhoneTarget
    phone: Phone
    report: PhoneReport
    intake: Evidence
    serial: str  # the phone the operator confirmed the checklist for
    waits: WipeWaits
    wipe_override: Override | None = None  # a supervisor's approval of wiping a phone tied to its user's account
    handout: Handout = Handout.RESTORE_SETTINGS  # how the workflow sends an Android phone out
    results: tuple[ItemResult, ...] = ()  # every other item, judged on the fresh reading (for the seal)


Runner = Callable[[Item, ActionContext], Awaitable[tuple[Verdict, Phone]]]


async def _remove_banned_apps(item: Item, ctx: ActionContext) -> tuple[Verdict, Phone]:
    findings = ctx.report.findings  # the intake reading's findings
    if not findings:
        return Verdict(Status.PASS, Said.of(Saying.NOTHING_TO_REMOVE)), ctx.phone
    ctx.report.attempts = []
    await ctx.engine.remove_findings(ctx.target, ctx.phone, ctx.report, ctx.intake.identity, ctx.serial, findings)
    failed = [a for a in ctx.report.attempts if not a.ok]
    if failed:
        return Verdict(Status.FAIL, Said.as_is("; ".join(f"{a.app_id}: {a.error}" for a in failed))), ctx.phone
    return Verdict(Status.FIXED, Said.of(Saying.REMOVED, apps=", ".join(sorted({a.app_id for a in ctx.report.attempts})))), ctx.phone


async def _install_blocking_profile(item: Item, ctx: ActionContext) -> tuple[Verdict, Phone]:
    policy = ctx.engine.policy
    wanted = blocking_profile_id(policy)
    if wanted in {p.identifier for p in ctx.intake.facts.profiles}:
        return Verdict(Status.PASS, Said.of(Saying.PROFILE_ALREADY, profile=wanted)), ctx.phone
    await ctx.phone.install_profile(blocking_profile(policy))
    if ctx.intake.identity.supervised:
        return Verdict(Status.FIXED, Said.of(Saying.PROFILE_ENFORCED, profile=wanted)), ctx.phone
    return Verdict(Status.FIXED, Said.of(Saying.PROFILE_SENT, profile=wanted)), ctx.phone


async def _install_required_apps(item: Item, ctx: ActionContext) -> tuple[Verdict, Phone]:
    done = [await ctx.phone.install_app(apk) for apk in item.expected(ctx.target.platform) or []]
    said = Said.as_is("; ".join(done)) if done else Said.of(Saying.NO_APP_TO_INSTALL)
    return Verdict(Status.FIXED if done else Status.PASS, said), ctx.phone


async def _apply_settings(item: Item, ctx: ActionContext) -> tuple[Verdict, Phone]:
    changes: dict[str, str] = item.expected(ctx.target.platform) or {}
    for dotted, value in changes.items():
        namespace, _, key = dotted.partition(".")
        await ctx.phone.put_setting(namespace, key, value)
    said = Said.as_is(", ".join(f"{k}={v}" for k, v in changes.items())) if changes else Said.of(Saying.NOTHING_TO_SET)
    return Verdict(Status.FIXED if changes else Status.PASS, said), ctx.phone


async def _wipe(item: Item, ctx: ActionContext) -> tuple[Verdict, Phone]:
    """Reset the phone, only if it is still the phone confirmed and a reset will not lock it to its user's
    account (read again here, just before acting), or a supervisor's override for this run says so."""
    current = await ctx.phone.identity()
    if current.serial != ctx.serial:
        raise IdentityMismatch(ctx.target.address, f"this is phone {current.serial}, not {ctx.serial}; nothing was wiped")
    lock = account_lock(ctx.target.platform, await ctx.phone.facts(ctx.intake.inventory))
    said = {"gate": str(lock.gate), "evidence": lock.evidence, "remedy": lock.remedy}
    if not lock.clear:
        override = ctx.wipe_override
        if override is None:
            ctx.engine.record(RecordKind.WIPE_REFUSED, ctx.target, current, **said)
            return Verdict(Status.FAIL, Said.of(Saying.NOT_WIPED, evidence=lock.said, remedy=lock.remedy_said or "")), ctx.phone
        ctx.engine.record(RecordKind.WIPE_OVERRIDE, ctx.target, current, **said, reason=override.reason,
                          supervisor=override.supervisor.name, supervisor_badge=override.supervisor.badge)
    message, by_hand = await ctx.engine.start_wipe(ctx.target, ctx.phone, current)
    await ctx.phone.close()
    returned = await ctx.engine.wait_for_return(ctx.target, ctx.serial, ctx.waits.by_hand if by_hand else ctx.waits.over_usb)
    done = Said.of(Saying.RESET_BY_HAND) if by_hand else Said.as_is(message)
    if not lock.clear and ctx.wipe_override is not None:
        # Wiped, and locked by that very reset: an Android phone's fresh reading no longer lists the account
        # that Factory Reset Protection now asks for, so this item is what keeps the phone from being ready.
        return Verdict(Status.FAIL, Said.of(Saying.WIPED_UNDER_OVERRIDE, done=done, supervisor=ctx.wipe_override.supervisor.name,
                                            evidence=lock.said)), returned
    return Verdict(Status.FIXED, done), returned


SEAL_WAIT_S = 15.0  # how long the station watches for its own access to end once it has turned it off
GUIDED_RESET_GUIDE = (
    "The phone is restarting into recovery for its last reset. On the phone: choose 'Wipe data/factory reset' with the "
    "volume keys and confirm with the power key, then 'Reboot system now'. Leave it at its first setup screen, for "
    "enrolment in the organisation's device management; do not turn USB debugging on."
)


async def _seal(item: Item, ctx: ActionContext) -> tuple[Verdict, Phone]:
    """End the station's own access, only once every other mandatory item passed on the fresh reading, and
    watch it end: an Android phone is sent out as its workflow's handout says, then stops answering over adb
    (or restarts into recovery for its last reset); an iPhone forgets this station's pairing."""
    blocking = failing(ctx.results)
    if blocking:
        why = Said.of(Saying.SEAL_CHECKLIST_FAILED, items=", ".join(r.item.id for r in blocking))
        _sealed(ctx, SealOutcome(SealState.NOT_SEALED, Said.of(Saying.NOT_SEALED, why=why)))
        # Not one more failure to list: the items that failed already say why the phone is not ready.
        return Verdict(Status.SKIPPED, Said.of(Saying.NOT_SEALED, why=why)), ctx.phone
    current = ctx.engine.known(ctx.target, await ctx.phone.identity())
    if current.serial != ctx.serial:
        raise IdentityMismatch(ctx.target.address, f"this is phone {current.serial}, not {ctx.serial}; it was not sealed")
    if current.ambiguous:
        # A twin's checklist cannot be signed off, even by override: the station keeps its access for the rerun.
        why = Said.of(Saying.SEAL_TWINS, twins=", ".join(current.ambiguous_with))
        _sealed(ctx, SealOutcome(SealState.NOT_SEALED, Said.of(Saying.NOT_SEALED, why=why)))
        return Verdict(Status.SKIPPED, Said.of(Saying.NOT_SEALED, why=why)), ctx.phone
    android = ctx.target.platform is Platform.ANDROID
    handout = ctx.handout if android else None
    ctx.engine.emit(events.StepChanged(ctx.target.address, ctx.target.platform, Step.SEALING, current.serial))
    ctx.engine.record(RecordKind.SEAL_STARTED, ctx.target, current, item=item.id, handout=None if handout is None else str(handout),
                      checks=[{"id": r.item.id, "status": str(r.status)} for r in ctx.results])
    done: list[Said] = []
    if handout is Handout.RESTORE_SETTINGS:
        restored = await ctx.phone.restore_handout_settings()
        ctx.engine.record(RecordKind.HANDOUT_SETTINGS, ctx.target, current, settings=[asdict(s) for s in restored.settings],
                          restored=restored.restored, test_harness=restored.test_harness)
        if not restored.restored:
            wrong = ", ".join(f"{s.name} reads {s.read_back} (wanted {s.wanted or 'null'})" for s in restored.settings if not s.restored)
            why = Said.of(Saying.SEAL_SETTINGS_WRONG, wrong=wrong)
            return _sealed(ctx, SealOutcome(SealState.NOT_SEALED, Said.of(Saying.NOT_SEALED, why=why), None, handout)), ctx.phone
        # The values read back are in the handout_settings record; the checklist's line stays short enough to print.
        done.append(Said.of(Saying.SETTINGS_PUT_BACK, count=len(restored.settings)))
        if restored.test_harness:
            # persist.sys.test_harness is cleared only by a reset; master sync has no shell command to turn it on.
            done.append(Said.of(Saying.HARNESS_NOTICE_STAYS))
        await ctx.phone.seal()
        done.append(Said.of(Saying.DEBUGGING_OFF))
    elif handout is Handout.GUIDED_RESET:
        await ctx.phone.reboot_to_recovery()
        await ctx.phone.close()
        ctx.engine.record(RecordKind.GUIDED_RESET, ctx.target, current, guide=GUIDED_RESET_GUIDE)
        ctx.engine.emit(events.Wiped(ctx.target.address, current, GUIDED_RESET_GUIDE, by_hand=True, to_setup=True))
        done.append(Said.of(Saying.RESTARTED_FOR_RESET))
    else:
        await ctx.phone.seal()
        done.append(Said.of(Saying.DEBUGGING_OFF if android else Saying.PAIRING_REMOVED))
    gone, why = await _watch_it_go(ctx.target, SEAL_WAIT_S)
    if not gone:
        failed = Said.of(Saying.SEAL_FAILED, done=Said.steps(*done), why=why)
        return _sealed(ctx, SealOutcome(SealState.NOT_SEALED, Said.of(Saying.NOT_SEALED, why=failed), None, handout)), ctx.phone
    went = Said.of(Saying.STOPPED_ANSWERING if android else Saying.ASKS_TRUST_AGAIN)
    return _sealed(ctx, SealOutcome(SealState.SEALED, Said.of(Saying.SEALED, done=Said.steps(*done), went=went), None, handout)), ctx.phone


async def _watch_it_go(target: PhoneTarget, limit: float) -> tuple[bool, Said]:
    """Whether the station's own access ended within ``limit`` seconds, and if not, why not."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    why = Said.of(Saying.STILL_LETS_IN, seconds=f"{limit:g}")
    while True:
        try:
            if not await target.lets_station_in():
                return True, why
        except DeviceError as exc:  # an iPhone that does not answer says nothing about its pairing
            why = Said.of(Saying.TRUST_UNKNOWN, detail=str(exc))
        if loop.time() >= deadline:
            return False, why
        await asyncio.sleep(0.5)


def _sealed(ctx: ActionContext, outcome: SealOutcome) -> Verdict:
    """Record the seal's outcome (its record's time is when the station saw its access end) and word its item."""
    seq = ctx.engine.record(RecordKind.SEAL_RESULT, ctx.target, ctx.intake.identity, **outcome.as_record())
    stored = ctx.engine.store.record_at(seq)
    if outcome.sealed and stored is not None:
        outcome = SealOutcome(outcome.state, outcome.said, stored.time, outcome.handout)
    ctx.report.seal = outcome
    # when: on the checklist's Sealed line, from the seal's record
    return Verdict(Status.PASS if outcome.sealed else Status.FAIL, outcome.said)


RUNNERS: dict[Action, Runner] = {
    Action.REMOVE_BANNED_APPS: _remove_banned_apps,
    Action.INSTALL_REQUIRED_APPS: _install_required_apps,
    Action.APPLY_SETTINGS: _apply_settings,
    Action.INSTALL_BLOCKING_PROFILE: _install_blocking_profile,
    Action.WIPE: _wipe,
    Action.SEAL: _seal,
}
assert RUNNERS.keys() == ACTIONS.keys(), "every action a workflow may name has a runner"
