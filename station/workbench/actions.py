"""What each checklist action does to a phone: one function per Action, found through RUNNERS.

An action runs between the intake reading and the fresh verification reading; its verdict says what it
did (checks are judged later, on the fresh reading). It returns the connection to go on with: a wipe
ends the one it was given and comes back with the phone's new one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from station.audit.records import RecordKind
from station.audit.signoff import Override
from station.core.account_lock import account_lock
from station.core.blocking import blocking_profile
from station.core.checklist import ACTIONS, Action, Evidence, Item, Status, Verdict, blocking_profile_id
from station.core.errors import IdentityMismatch
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


RUNNERS: dict[Action, Runner] = {
    Action.REMOVE_BANNED_APPS: _remove_banned_apps,
    Action.INSTALL_REQUIRED_APPS: _install_required_apps,
    Action.APPLY_SETTINGS: _apply_settings,
    Action.INSTALL_BLOCKING_PROFILE: _install_blocking_profile,
    Action.WIPE: _wipe,
}
assert RUNNERS.keys() == ACTIONS.keys(), "every action a workflow may name has a runner"
