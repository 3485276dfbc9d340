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
    evidence: str
    remedy: str = ""
    headline: str = ""

    @property
    def clear(self) -> bool:
        return self.gate is LockGate.CLEAR


def account_lock(platform: Platform, facts: DeviceFacts) -> AccountLock:
    if platform is Platform.IOS:
        return _iphone(facts.find_my)
    return _android(facts.accounts)


def _iphone(find_my: bool | None) -> AccountLock:
    if find_my is None:
        return AccountLock(LockGate.UNKNOWN, "the iPhone did not say whether Find My is on (com.apple.fmip IsAssociated)",
                           "Check on the iPhone: Settings, [the user's name], Find My; the user signs out of iCloud if it is on",
                           "Find My not known")
    if find_my:
        return AccountLock(LockGate.LOCKED, "Find My is on: the iPhone is tied to its user's Apple ID (Activation Lock)",
                           "The returning user must sign out of iCloud on the iPhone (Settings, [their name], Sign Out, "
                           "with their Apple ID password), which turns Find My and Activation Lock off", "Find My on")
    return AccountLock(LockGate.CLEAR, "Find My is off: no Activation Lock")


def _android(accounts: tuple[Account, ...] | None) -> AccountLock:
    if accounts is None:
        return AccountLock(LockGate.UNKNOWN, "the phone did not list its accounts (dumpsys account)",
                           "Check on the phone: Settings, Accounts; the user removes any Google or Samsung account",
                           "accounts not known")
    google = sorted({a.name for a in accounts if a.type == GOOGLE})
    samsung = sorted({a.name for a in accounts if a.type == SAMSUNG})
    if not google and not samsung:
        return AccountLock(LockGate.CLEAR, f"no Google or Samsung account ({len(accounts)} other account(s))")
    found, steps = [], []
    if google:
        found.append("Google account " + ", ".join(google) + " (Factory Reset Protection)")
        steps.append("remove the Google account " + ", ".join(google))
    if samsung:
        found.append("Samsung account " + ", ".join(samsung) + " (Samsung Reactivation Lock)")
        steps.append("remove the Samsung account " + ", ".join(samsung))
    kinds = " and ".join(kind for kind, names in (("Google", google), ("Samsung", samsung)) if names)
    return AccountLock(LockGate.LOCKED, "signed in: " + "; ".join(found),
                       "The returning user must " + " and ".join(steps) + " (Settings, Accounts, with the account's password)",
                       f"{kinds} account on")
