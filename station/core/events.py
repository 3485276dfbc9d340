"""What the engine tells its listeners (the CLI's progress lines, later the GUI's tiles).

Events are small frozen dataclasses; a listener is any callable taking one. The engine calls it on its
own loop's thread, so a GUI listener must hand the event over to its own thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from station.core.account_lock import AccountLock
from station.core.checklist import ItemResult, SealOutcome
from station.core.models import DeviceFacts, DeviceIdentity, Finding, Platform, RemovalAttempt


class Step(StrEnum):
    """What the station is doing with a phone right now."""

    CONNECTING = "connecting"
    SCANNING = "scanning"
    REMOVING = "removing"
    WIPING = "wiping"
    SEALING = "sealing"


@dataclass(frozen=True)
class Arrived:
    """A phone was plugged in (or first seen)."""

    address: str
    platform: Platform


@dataclass(frozen=True)
class Left:
    """A phone was unplugged; whatever it was doing has ended."""

    address: str


@dataclass(frozen=True)
class StepChanged:
    """A phone moved to a new step (connecting, scanning, removing, verifying, ...)."""

    address: str
    platform: Platform
    step: Step
    serial: str | None = None


@dataclass(frozen=True)
class NeedsApproval:
    """The phone shows its Allow/Trust prompt: the operator must act on the phone."""

    address: str
    platform: Platform
    message: str


@dataclass(frozen=True)
class Identified:
    address: str
    identity: DeviceIdentity


@dataclass(frozen=True)
class Scanned:
    address: str
    identity: DeviceIdentity
    app_count: int
    findings: tuple[Finding, ...]
    apps: tuple[tuple[str, int], ...] = ()  # every installed app as (app id, user)
    facts: DeviceFacts | None = None
    account_lock: AccountLock | None = None


@dataclass(frozen=True)
class Removed:
    address: str
    identity: DeviceIdentity
    attempts: tuple[RemovalAttempt, ...]
    findings_after: tuple[Finding, ...]


@dataclass(frozen=True)
class Wiped:
    """A factory reset has started; the phone restarts and comes back as a fresh phone. ``by_hand``: the
    phone is in its recovery menu, where the operator chooses the reset (``message`` says how)."""

    address: str
    identity: DeviceIdentity
    message: str
    by_hand: bool = False
    to_setup: bool = False  # the last reset of a guided-reset hand-out: left at its setup screens, not checked again


@dataclass(frozen=True)
class ChecklistDone:
    """A workflow ran to its end; ``ready`` says the phone may go out."""

    address: str
    identity: DeviceIdentity
    workflow: str
    items: tuple[ItemResult, ...]
    ready: bool
    findings: tuple[Finding, ...] = ()  # banned apps still there after the checklist
    apps: tuple[tuple[str, int], ...] = ()  # every app installed after it, as (app id, user)
    seq: int | None = None  # the checklist's record number in the log, which a sign-off names
    facts: DeviceFacts | None = None  # the fresh reading the checks were judged on
    account_lock: AccountLock | None = None  # a returned phone's lock gate, as read at intake
    seal: SealOutcome | None = None  # the workflow's seal step, when it has one


@dataclass(frozen=True)
class Failed:
    """A phone's run ended on an error; ``message`` is for the operator."""

    address: str
    platform: Platform
    message: str
    serial: str | None = None
    error_kind: str | None = None  # the error's class in station/core/errors.py, for the window to word it


Event = Arrived | Left | StepChanged | NeedsApproval | Identified | Scanned | Removed | Wiped | ChecklistDone | Failed
Listener = Callable[[Event], None]
