"""Whether a phone is tied to its user's account so that a reset locks it (Activation Lock on an
iPhone, Factory Reset Protection on Android), and what the returning user must do about it.

A returned phone is wiped only when this gate is clear: a phone reset while still tied to its user's
Apple ID or Google account asks for that account on its next setup, and the depot cannot use it again.
A value the phone did not give is unknown, and unknown keeps the gate shut as firmly as a lock does.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from station.core.models import Account, DeviceFacts, Platform
from station.core.sayings import Said, Saying

GOOGLE = "com.google"
SAMSUNG = "com.osp.app.signin"  # a Samsung account: its Reactivation Lock comes on top of Google's FRP


class LockGate(StrEnum):
    CLEAR = "clear"
    LOCKED = "locked"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class AccountLock:
    """The gate's state, what was read to decide it, what the returning user must do, and the few words a
    phone's tile has room for."""

    gate: LockGate
    said: Said
    remedy_said: Said | None = None
    headline: str = ""

    @property
    def clear(self) -> bool:
        return self.gate is LockGate.CLEAR

    @property
    def evidence(self) -> str:
        return str(self.said)

    @property
    def remedy(self) -> str:
        return str(self.remedy_said) if self.remedy_said else ""


def account_lock(platform: Platform, facts: DeviceFacts) -> AccountLock:
    if platform is Platform.IOS:
        return _iphone(facts.find_my)
    return _android(facts.accounts)


def _iphone(find_my: bool | None) -> AccountLock:
    if find_my is None:
        return AccountLock(LockGate.UNKNOWN, Said.of(Saying.FIND_MY_UNKNOWN), Said.of(Saying.REMEDY_FIND_MY_UNKNOWN),
                           "Find My not known")
    if find_my:
        return AccountLock(LockGate.LOCKED, Said.of(Saying.FIND_MY_ON), Said.of(Saying.REMEDY_FIND_MY_ON), "Find My on")
    return AccountLock(LockGate.CLEAR, Said.of(Saying.FIND_MY_OFF))


def _android(accounts: tuple[Account, ...] | None) -> AccountLock:
    if accounts is None:
        return AccountLock(LockGate.UNKNOWN, Said.of(Saying.ACCOUNTS_UNKNOWN), Said.of(Saying.REMEDY_ACCOUNTS_UNKNOWN),
                           "accounts not known")
    google = ", ".join(sorted({a.name for a in accounts if a.type == GOOGLE}))
    samsung = ", ".join(sorted({a.name for a in accounts if a.type == SAMSUNG}))
    if google and samsung:
        return AccountLock(LockGate.LOCKED, Said.of(Saying.SIGNED_IN_BOTH, google=google, samsung=samsung),
                           Said.of(Saying.REMEDY_BOTH, google=google, samsung=samsung), "Google and Samsung account on")
    if google:
        return AccountLock(LockGate.LOCKED, Said.of(Saying.SIGNED_IN_GOOGLE, google=google),
                           Said.of(Saying.REMEDY_GOOGLE, google=google), "Google account on")
    if samsung:
        return AccountLock(LockGate.LOCKED, Said.of(Saying.SIGNED_IN_SAMSUNG, samsung=samsung),
                           Said.of(Saying.REMEDY_SAMSUNG, samsung=samsung), "Samsung account on")
    return AccountLock(LockGate.CLEAR, Said.of(Saying.NO_LOCKING_ACCOUNT, count=len(accounts)))
