"""Depot staff: who may work at the station, and checking their PIN before a sign-off.

A PIN is kept only as a salted scrypt hash. Wrong PINs are counted and recorded; after MAX_FAILURES in a
row the operator is locked for LOCK_MINUTES. The first supervisor may be created by anyone on a new
station; after that only a supervisor (with their own PIN) adds operators.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from enum import StrEnum

from station.audit.records import RecordKind
from station.audit.store import Store
from station.core.errors import StationError
from station.core.language import Language

MAX_FAILURES = 5
LOCK_MINUTES = 15
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
_PIN = re.compile(r"^\d{4,12}$")


class Role(StrEnum):
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"  # adds operators, approves overrides


class OperatorError(StationError):
    """An operator cannot be added or cannot sign (unknown, wrong PIN, locked, not a supervisor)."""


@dataclass(frozen=True)
class Operator:
    name: str
    badge: str
    role: Role
    language: Language = Language.EN  # the window's language while they are signed in

    @property
    def supervisor(self) -> bool:
        return self.role is Role.SUPERVISOR

    def __str__(self) -> str:
        return f"{self.name} (badge {self.badge}, {self.role})"


@dataclass(frozen=True)
class SharedOperator:
    """An operator as kept, PIN hash and lock included: what a depot shares between its stations."""

    name: str
    badge: str
    role: Role
    pin_hash: str
    created: str
    locked_until: str | None
def _operator(row: dict[str, object]) -> Operator:
    return Operator(str(row["name"]), str(row["badge"]), Role(str(row["role"])), Language(str(row["language"])))


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, maxmem=64 * 1024 * 1024, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def pin_matches(pin: str, stored: str) -> bool:
    try:
        _scheme, salt, _digest = stored.split("$")
        expected = hash_pin(pin, base64.b64decode(salt))
    except ValueError:
        return False
    return hmac.compare_digest(expected, stored)


class Operators:
    """The station's operators, kept in its log database; every change is a signed log record."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.table = store.db.table("operators")

    def all(self) -> list[Operator]:
        return [_operator(row) for row in self.table.rows_where(order_by="name")]

    def find(self, name_or_badge: str) -> Operator:
        rows = list(self.table.rows_where("badge = ? OR lower(name) = lower(?)", [name_or_badge, name_or_badge]))
        if len(rows) != 1:
            known = "no operator" if not rows else "more than one operator"
            raise OperatorError(f"{known} is called {name_or_badge!r}: use the badge number")
        return _operator(rows[0])

    def add(self, name: str, badge: str, role: Role, pin: str, by: Operator | None, language: Language = Language.EN) -> Operator:
        if not name.strip() or not re.fullmatch(r"[A-Za-z0-9-]{1,32}", badge):
            raise OperatorError("an operator needs a name and a badge number of letters, digits or dashes")
        if not _PIN.match(pin):
            raise OperatorError("a PIN is 4 to 12 digits")
        has_supervisor = bool(self.table.count_where("role = ?", [str(Role.SUPERVISOR)]))
        if has_supervisor and (by is None or not by.supervisor):
            raise OperatorError("only a supervisor can add operators on this station")
        if not has_supervisor and role is not Role.SUPERVISOR:
            raise OperatorError("the first operator on a new station must be a supervisor")
        if self.table.count_where("badge = ?", [badge]):
            raise OperatorError(f"badge {badge} is already taken")
        operator = Operator(name.strip(), badge, role, language)
        with self.store._transaction():
            self.table.insert({"badge": badge, "name": operator.name, "role": str(role), "pin_hash": hash_pin(pin),
                               "created": dt.datetime.now(dt.UTC).isoformat(), "failed_pins": 0, "locked_until": None,
                               "language": str(language)})
        self._log(RecordKind.OPERATOR_ADDED, by, {"name": operator.name, "badge": badge, "role": str(role), "language": str(language)})
        return operator

    def set_language(self, name_or_badge: str, language: Language, by: Operator) -> Operator:
        """Change an operator's language: a supervisor's job, recorded in the log."""
        if not by.supervisor:
            raise OperatorError("only a supervisor can change an operator's language")
        operator = self.find(name_or_badge)
        with self.store._transaction():
            self.table.update(operator.badge, {"language": str(language)})
        self._log(RecordKind.LANGUAGE_CHANGED, by, {"badge": operator.badge, "language": str(language)})
        return Operator(operator.name, operator.badge, operator.role, language)

    def authenticate(self, name_or_badge: str, pin: str) -> Operator:
        """The operator, if ``pin`` is theirs; a wrong PIN is counted and recorded (the PIN itself never is)."""
        operator = self.find(name_or_badge)
        row = self.table.get(operator.badge)
        now = dt.datetime.now(dt.UTC)
        if row["locked_until"] and dt.datetime.fromisoformat(row["locked_until"]) > now:
            raise OperatorError(f"{operator.name} is locked after {MAX_FAILURES} wrong PINs until {row['locked_until'][:16]} UTC; "
                                "a supervisor can help")
        if pin_matches(pin, row["pin_hash"]):
            with self.store._transaction():
                self.table.update(operator.badge, {"failed_pins": 0, "locked_until": None})
            return operator
        failures = row["failed_pins"] + 1
        locked = (now + dt.timedelta(minutes=LOCK_MINUTES)).isoformat() if failures >= MAX_FAILURES else None
        with self.store._transaction():
            self.table.update(operator.badge, {"failed_pins": 0 if locked else failures, "locked_until": locked})
        self._log(RecordKind.PIN_REJECTED, operator, {"badge": operator.badge, "failures": failures, "locked": bool(locked)})
        left = MAX_FAILURES - failures
        raise OperatorError(f"wrong PIN for {operator.name}"
                            + (f" ({left} tries left)" if left > 0 else f": locked for {LOCK_MINUTES} minutes"))

    def shared(self) -> list[SharedOperator]:
        """Every operator as kept here, to share with the depot."""
        return [SharedOperator(row["name"], row["badge"], Role(row["role"]), row["pin_hash"], row["created"], row["locked_until"])
                for row in self.table.rows_where(order_by="badge")]

    def adopt(self, operator: SharedOperator) -> bool:
        """Keep an operator added at another station of the depot (checked there, and recorded in that
        station's log when added); False when the badge is already known here."""
        with self.store._transaction():
            if self.table.count_where("badge = ?", [operator.badge]):
                return False
            self.table.insert({"badge": operator.badge, "name": operator.name, "role": str(operator.role),
                               "pin_hash": operator.pin_hash, "created": operator.created, "failed_pins": 0,
                               "locked_until": operator.locked_until})
        return True

    def lock_until(self, badge: str, until: str) -> None:
        """A lock another station of the depot put on an operator; the later of two locks holds."""
        with self.store._transaction():
            row = self.table.get(badge)
            current = row["locked_until"]
            if current is None or dt.datetime.fromisoformat(current) < dt.datetime.fromisoformat(until):
                self.table.update(badge, {"locked_until": until})

    def _log(self, kind: RecordKind, operator: Operator | None, data: dict[str, object]) -> None:
        run = self.store.start_run("operators", None)
        self.store.record(run, kind, address="station", platform="", identity=None, data=data,
                          operator=operator.name if operator else None)
        self.store.finish_run(run, kind)
