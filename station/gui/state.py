"""What the window knows about each phone on the bench, folded from the engine's events.

Pure Python (no Qt) so it is tested directly; the widgets only draw a PhoneState.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from enum import Enum

from station.core import events
from station.core.account_lock import AccountLock
from station.core.checklist import ItemResult, SealOutcome, Status, failing
from station.core.events import Step
from station.core.models import DeviceFacts, DeviceIdentity, Finding, Platform, RemovalAttempt


class TileStatus(Enum):
    """A phone's state as the operator reads it on its tile: (word, colour)."""

    CONNECTING = ("Connecting", "#5b6b7a")
    NEEDS_APPROVAL = ("Allow / Trust", "#b35c00")
    SCANNING = ("Scanning", "#1f5fa8")
    BANNED = ("Banned apps", "#b3261e")
    REMOVING = ("Removing", "#6a3fb0")
    WIPING = ("Wiping", "#6a3fb0")
    SEALING = ("Sealing", "#6a3fb0")
    CLEAN = ("Clean", "#1e7a34")
    FAILED = ("Failed", "#8c1d18")
    READY = ("Ready", "#1e7a34")
    NOT_READY = ("Not ready", "#b3261e")
    ACCOUNT_LOCKED = ("Account locked", "#b35c00")  # not wiped: still tied to its user's account
    SEALED = ("Sealed", "#1e7a34")  # passed, and the station's own access ended: ready for sign-off
    SIGNED_OFF = ("Signed off", "#14532d")
    UNPLUGGED = ("Unplugged", "#6b6b6b")

    @property
    def word(self) -> str:
        return self.value[0]

    @property
    def colour(self) -> str:
        return self.value[1]


_STEP_STATUS = {
    Step.CONNECTING: TileStatus.CONNECTING,
    Step.SCANNING: TileStatus.SCANNING,
    Step.REMOVING: TileStatus.REMOVING,
    Step.WIPING: TileStatus.WIPING,
    Step.SEALING: TileStatus.SEALING,
}
# Steps and messages the window words itself (station/gui/words.py translates them by these values).
BY_HAND = "in recovery: reset it by hand"
TO_SETUP = "in recovery: reset it to its setup screens"  # a guided-reset hand-out's last reset
MID_ACTION = "unplugged mid-action: plug it back in; it will be scanned afresh"
TWIN_MESSAGE = ("Identity ambiguous: {others} reports serial {serial} too; told apart by address, "
                "not signed off. Connect the phones one at a time")


@dataclass(frozen=True)
class PhoneState:
    address: str
    platform: Platform
    status: TileStatus = TileStatus.CONNECTING
    step: str = "connecting"
    identity: DeviceIdentity | None = None
    app_count: int | None = None
    findings: tuple[Finding, ...] = ()
    attempts: tuple[RemovalAttempt, ...] = ()
    message: str = ""
    present: bool = True
    apps: tuple[tuple[str, int], ...] = ()  # every installed app as (app id, user), from the last reading
    checklist: tuple[ItemResult, ...] = ()  # the last checklist's results
    ready: bool | None = None
    checklist_seq: int | None = None  # the log row of the last checklist, for its sign-off
    signed_off: int | None = None  # the sign-off's record number, once signed
    facts: DeviceFacts | None = None  # the last reading's battery, accounts and managers
    account_lock: AccountLock | None = None  # whether a reset would lock the phone to its user's account
    signed_by: str | None = None  # who signed it off
    workflow: str | None = None  # the last checklist's workflow
    error_kind: str | None = None  # the class of the error that ended the last run (station/core/errors.py)
    seal: SealOutcome | None = None  # the last checklist's seal step: sealed, and when, or why not
    updated: float = field(default_factory=time.monotonic)

    @property
    def title(self) -> str:
        if self.identity is None:
            return "Android phone" if self.platform is Platform.ANDROID else "iPhone"
        return f"{self.identity.manufacturer} {self.identity.model}".strip()

    @property
    def serial(self) -> str | None:
        return self.identity.serial if self.identity else None

    @property
    def failing(self) -> list[str]:
        """The titles of the mandatory checklist items that failed in the last checklist."""
        return [result.item.title for result in failing(self.checklist)]


class BenchState:
    """Every phone seen on the bench, by address, in the order they arrived."""

    def __init__(self) -> None:
        self.phones: dict[str, PhoneState] = {}

    def apply(self, event: events.Event) -> PhoneState | None:
        """Fold one event in; returns the phone's new state (None when the event names no known phone)."""
        address = event.address
        current = self.phones.get(address)
        if isinstance(event, events.Arrived):
            new: PhoneState | None = PhoneState(address, event.platform, identity=current.identity if current else None)
        elif current is None:
            return None
        else:
            new = self._next(current, event)
        if new is None:
            return None
        if new.identity is not None and new.identity.ambiguous and not new.message.startswith(TWIN_MESSAGE[:20]):
            twin = TWIN_MESSAGE.format(serial=new.identity.serial, others=", ".join(new.identity.ambiguous_with))
            new = replace(new, message=twin + (f". {new.message}" if new.message else ""))
        self.phones[address] = replace(new, updated=time.monotonic())
        return self.phones[address]

    def sign_off(self, address: str, checklist_row: int, record: int, operator: str) -> PhoneState | None:
        """The checklist in log row ``checklist_row`` was signed off as record ``record``; None when the
        phone has left the wall or has a newer checklist since."""
        current = self.phones.get(address)
        if current is None or current.checklist_seq != checklist_row:
            return None
        self.phones[address] = replace(current, signed_off=record, signed_by=operator, status=TileStatus.SIGNED_OFF,
                                       step=f"signed off by {operator}, record {record}", updated=time.monotonic())
        return self.phones[address]

    @staticmethod
    def _next(state: PhoneState, event: events.Event) -> PhoneState | None:  # noqa: PLR0911 - one return per kind of event
        if isinstance(event, events.Left):
            if state.status is TileStatus.SEALING or (state.seal is not None and state.seal.sealed):
                return replace(state, present=False)  # it was meant to go: the seal ended the station's access
            if state.status is TileStatus.WIPING:
                return replace(state, present=False, step=state.step if state.step == BY_HAND else "restarting after the wipe")
            busy = state.status in (TileStatus.CONNECTING, TileStatus.NEEDS_APPROVAL, TileStatus.SCANNING, TileStatus.REMOVING)
            message = MID_ACTION if busy else ""
            return replace(state, present=False, status=TileStatus.UNPLUGGED, step="unplugged", message=message)
        if isinstance(event, events.StepChanged):
            return replace(state, step=str(event.step), status=_STEP_STATUS[event.step], message="", present=True)
        if isinstance(event, events.NeedsApproval):
            return replace(state, status=TileStatus.NEEDS_APPROVAL, step="waiting for Allow", message=event.message)
        if isinstance(event, events.Identified):
            return replace(state, identity=event.identity)
        if isinstance(event, events.Scanned):
            status = TileStatus.BANNED if event.findings else TileStatus.CLEAN
            return replace(state, identity=event.identity, app_count=event.app_count, findings=event.findings,
                           apps=event.apps, attempts=(), status=status, step="scanned", facts=event.facts,
                           account_lock=event.account_lock, message=_lock_message(event.account_lock))
        if isinstance(event, events.ChecklistDone):
            locked = any(r.item.check == "no_account_lock" and r.status is Status.FAIL for r in event.items)
            status = TileStatus.READY if event.ready else TileStatus.ACCOUNT_LOCKED if locked else TileStatus.NOT_READY
            if event.ready and event.seal is not None and event.seal.sealed:
                status = TileStatus.SEALED
            checked = replace(state, identity=event.identity, checklist=event.items, ready=event.ready, findings=event.findings,
                              apps=event.apps, app_count=len(event.apps), checklist_seq=event.seq, signed_off=None,
                              status=status, facts=event.facts, account_lock=event.account_lock, seal=event.seal,
                              message=_lock_message(event.account_lock) if locked else "")
            outcome = "ready for sign-off" if event.ready else "failed " + "; ".join(checked.failing)
            return replace(checked, step=f"{event.workflow}: {outcome}", workflow=event.workflow)
        if isinstance(event, events.Removed):
            failed = [a for a in event.attempts if not a.ok]
            status = TileStatus.FAILED if failed else (TileStatus.BANNED if event.findings_after else TileStatus.CLEAN)
            message = "; ".join(f"{a.app_id}: {a.error}" for a in failed)
            return replace(state, identity=event.identity, findings=event.findings_after, attempts=event.attempts,
                           status=status, step="removal verified", message=message)
        if isinstance(event, events.Wiped):
            step = TO_SETUP if event.to_setup else BY_HAND if event.by_hand else "restarting"
            return replace(state, identity=event.identity, status=TileStatus.WIPING, step=step, message=event.message)
        if isinstance(event, events.Failed):
            return replace(state, status=TileStatus.FAILED, step="failed", message=event.message, error_kind=event.error_kind)
        return None


def _lock_message(lock: AccountLock | None) -> str:
    """What the tile tells the operator of a phone a reset would lock: the user's part, plainly."""
    if lock is None or lock.clear:
        return ""
    return f"{lock.headline}: a reset locks it. {lock.remedy}"
