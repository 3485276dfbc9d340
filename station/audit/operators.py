"""Depot staff: who may work at the station, and checking their PIN before anything is changed.

A PIN is kept only as a salted scrypt hash whose cost parameters are stored with it
(``scrypt$N$r$p$salt$digest``), so a hash made under other parameters still verifies and is made again
under the current ones at the next right PIN. Wrong PINs are counted and recorded; after MAX_FAILURES in
a row the operator is locked for LOCK_MINUTES. The first supervisor may be created by anyone on a new
station; after that only a supervisor (with their own PIN) adds operators.

A new PIN is 6 to 12 digits. A shorter one set before that rule (4 or 5 digits, on this station or
adopted from the depot) still proves who someone is, but signs nobody in: its operator must set a new
one first (PinChangeNeeded). The lockout only slows guessing at a station; what an attacker holding a
copy of the database can do is in the README's "Security" section.
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
from station.core.refusals import MAX_PIN_DIGITS, MIN_PIN_DIGITS, Refusal, RefusalKind

MAX_FAILURES = 5
LOCK_MINUTES = 15
_NEW_PIN = re.compile(rf"^\d{{{MIN_PIN_DIGITS},{MAX_PIN_DIGITS}}}$")


@dataclass(frozen=True)
class ScryptCost:
    """scrypt's cost parameters: N (CPU and memory), r (block size), p (parallelism)."""

    n: int
    r: int
    p: int

    @property
    def maxmem(self) -> int:
        """What hashlib must be allowed: scrypt's 128 * r * (N + p + 2) bytes, and a margin."""
        return 128 * self.r * (self.n + self.p + 2) + 2**20


# Chosen with bench/pin_bench.py on this project's 2-core machine: about 100 ms a hash (README, "Security").
SHIPPED_PIN_COST = ScryptCost(n=2**15, r=8, p=1)
# What hashes made before parameters were stored with them (``scrypt$salt$digest``) were made with.
LEGACY_PIN_COST = ScryptCost(n=2**14, r=8, p=1)
# The cost new hashes are made with. The station never changes it; tests/conftest.py sets it to a cheap
# one for the test run only (each test would otherwise spend 100 ms per PIN), and tests/audit asserts
# that the shipped value is the measured one.
PIN_COST: ScryptCost = SHIPPED_PIN_COST
_DIGEST_BYTES = 32


class Role(StrEnum):
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"  # adds operators, approves overrides


class OperatorError(StationError):
    """An operator cannot be added or cannot sign (unknown, wrong PIN, locked, not a supervisor): the
    typed ``refusal`` is what the window words in the operator's language."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(str(refusal))
        self.refusal = refusal

    def __reduce__(self) -> tuple[type[OperatorError], tuple[Refusal]]:
        return OperatorError, (self.refusal,)  # carried whole from the window's device process


class PinChangeNeeded(OperatorError):
    """The PIN was right but is shorter than the rule now asks: its operator sets a new one before
    anything else (the PIN was checked, so a change may follow with it)."""

    def __init__(self, operator: Operator) -> None:
        super().__init__(Refusal(RefusalKind.PIN_TOO_SHORT, operator.name, operator.badge))
        self.operator = operator

    def __reduce__(self) -> tuple[type[PinChangeNeeded], tuple[Operator]]:  # type: ignore[override]  # rebuilt from its operator, which carries the refusal
        return PinChangeNeeded, (self.operator,)  # carried whole from the window's device process


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
    pin_set: str | None = None  # when its PIN was last set; None: when it was added
def _operator(row: dict[str, object]) -> Operator:
    return Operator(str(row["name"]), str(row["badge"]), Role(str(row["role"])), Language(str(row["language"])))


def check_new_pin(pin: str) -> None:
    """Refuse a PIN that may not be set any more (every new PIN: added, changed, first supervisor)."""
    if not _NEW_PIN.match(pin):
        raise OperatorError(Refusal(RefusalKind.PIN_RULE if pin.isdigit() or not pin else RefusalKind.PIN_RULE_NOT_DIGITS,
                                    count=len(pin)))


def _scrypt(pin: str, salt: bytes, cost: ScryptCost) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=cost.n, r=cost.r, p=cost.p, maxmem=cost.maxmem, dklen=_DIGEST_BYTES)


def hash_pin(pin: str, salt: bytes | None = None, cost: ScryptCost | None = None) -> str:
    """``scrypt$N$r$p$salt$digest`` (salt and digest in base64): the parameters travel with the hash."""
    cost = cost or PIN_COST
    salt = salt or os.urandom(16)
    digest = _scrypt(pin, salt, cost)
    return f"scrypt${cost.n}${cost.r}${cost.p}$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def _parsed(stored: str) -> tuple[ScryptCost, bytes, bytes]:
    """A stored hash's cost, salt and digest; ValueError for anything else."""
    parts = stored.split("$")
    if parts[0] != "scrypt":
        raise ValueError("not an scrypt hash")
    if len(parts) == 3:
        cost, salt, digest = LEGACY_PIN_COST, parts[1], parts[2]
    elif len(parts) == 6:
        cost, salt, digest = ScryptCost(int(parts[1]), int(parts[2]), int(parts[3])), parts[4], parts[5]
    else:
        raise ValueError("not an scrypt hash")
    return cost, base64.b64decode(salt, validate=True), base64.b64decode(digest, validate=True)


def pin_matches(pin: str, stored: str) -> bool:
    try:
        cost, salt, digest = _parsed(stored)
        return hmac.compare_digest(_scrypt(pin, salt, cost), digest)
    except ValueError:  # not a hash this station makes, or parameters hashlib refuses
        return False


def hash_cost(stored: str) -> ScryptCost | None:
    """The parameters a stored hash was made with (None when it is no hash this station reads)."""
    try:
        return _parsed(stored)[0]
    except ValueError:
        return None


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
            kind = RefusalKind.NO_SUCH_OPERATOR if not rows else RefusalKind.AMBIGUOUS_OPERATOR
            raise OperatorError(Refusal(kind, detail=name_or_badge))
        return _operator(rows[0])

    def add(self, name: str, badge: str, role: Role, pin: str, by: Operator | None, language: Language = Language.EN) -> Operator:
        if not name.strip() or not re.fullmatch(r"[A-Za-z0-9-]{1,32}", badge):
            raise OperatorError(Refusal(RefusalKind.BAD_NAME_OR_BADGE))
        check_new_pin(pin)
        has_supervisor = bool(self.table.count_where("role = ?", [str(Role.SUPERVISOR)]))
        if has_supervisor and (by is None or not by.supervisor):
            raise OperatorError(Refusal(RefusalKind.ONLY_SUPERVISOR_ADDS))
        if not has_supervisor and role is not Role.SUPERVISOR:
            raise OperatorError(Refusal(RefusalKind.FIRST_MUST_BE_SUPERVISOR))
        if self.table.count_where("badge = ?", [badge]):
            raise OperatorError(Refusal(RefusalKind.BADGE_TAKEN, detail=badge))
        operator = Operator(name.strip(), badge, role, language)
        now = dt.datetime.now(dt.UTC).isoformat()
        with self.store._transaction():
            self.table.insert({"badge": badge, "name": operator.name, "role": str(role), "pin_hash": hash_pin(pin),
                               "created": now, "failed_pins": 0, "locked_until": None, "language": str(language), "pin_set": now})
        self._log(RecordKind.OPERATOR_ADDED, by, {"name": operator.name, "badge": badge, "role": str(role), "language": str(language)})
        return operator

    def set_language(self, name_or_badge: str, language: Language, by: Operator) -> Operator:
        """Change an operator's language: a supervisor's job, recorded in the log."""
        if not by.supervisor:
            raise OperatorError(Refusal(RefusalKind.ONLY_SUPERVISOR_LANGUAGE))
        operator = self.find(name_or_badge)
        with self.store._transaction():
            self.table.update(operator.badge, {"language": str(language)})
        self._log(RecordKind.LANGUAGE_CHANGED, by, {"badge": operator.badge, "language": str(language)})
        return Operator(operator.name, operator.badge, operator.role, language)

    def authenticate(self, name_or_badge: str, pin: str, *, short_pin_allowed: bool = False) -> Operator:
        """The operator, if ``pin`` is theirs; a wrong PIN is counted and recorded (the PIN itself never is).
        A right PIN shorter than the rule raises PinChangeNeeded unless ``short_pin_allowed`` (to change it).
        A right PIN hashed under other parameters than PIN_COST is hashed again under them."""
        if not self.table.count:
            raise OperatorError(Refusal(RefusalKind.NO_OPERATOR_YET))
        operator = self.find(name_or_badge)
        row = self.table.get(operator.badge)
        now = dt.datetime.now(dt.UTC)
        if row["locked_until"] and dt.datetime.fromisoformat(row["locked_until"]) > now:
            raise OperatorError(Refusal(RefusalKind.LOCKED, operator.name, row["locked_until"][:16], MAX_FAILURES))
        if pin_matches(pin, row["pin_hash"]):
            again = {} if hash_cost(row["pin_hash"]) == PIN_COST else {"pin_hash": hash_pin(pin)}
            with self.store._transaction():
                self.table.update(operator.badge, {"failed_pins": 0, "locked_until": None, **again})
            if not short_pin_allowed and not _NEW_PIN.match(pin):
                raise PinChangeNeeded(operator)
            return operator
        failures = row["failed_pins"] + 1
        locked = (now + dt.timedelta(minutes=LOCK_MINUTES)).isoformat() if failures >= MAX_FAILURES else None
        with self.store._transaction():
            self.table.update(operator.badge, {"failed_pins": 0 if locked else failures, "locked_until": locked})
        # Nobody was authenticated: the record names whose PIN was refused in its data, not as its operator.
        self._log(RecordKind.PIN_REJECTED, None, {"badge": operator.badge, "failures": failures, "locked": bool(locked)})
        left = MAX_FAILURES - failures
        raise OperatorError(Refusal(RefusalKind.WRONG_PIN, operator.name, count=left) if left > 0
                            else Refusal(RefusalKind.WRONG_PIN_LOCKED, operator.name, count=LOCK_MINUTES))

    def change_pin(self, name_or_badge: str, current: str, new: str) -> Operator:
        """Set a new PIN, once the current one is given (a short one too: this is how it is replaced);
        recorded in the log, the PINs never."""
        check_new_pin(new)
        operator = self.authenticate(name_or_badge, current, short_pin_allowed=True)
        if new == current:
            raise OperatorError(Refusal(RefusalKind.SAME_PIN))
        with self.store._transaction():
            self.table.update(operator.badge, {"pin_hash": hash_pin(new), "pin_set": dt.datetime.now(dt.UTC).isoformat()})
        self._log(RecordKind.PIN_CHANGED, operator, {"badge": operator.badge, "digits_before": len(current)})
        return operator

    def shared(self) -> list[SharedOperator]:
        """Every operator as kept here, to share with the depot."""
        return [SharedOperator(row["name"], row["badge"], Role(row["role"]), row["pin_hash"], row["created"], row["locked_until"],
                               row["pin_set"] or row["created"])
                for row in self.table.rows_where(order_by="badge")]

    def adopt(self, operator: SharedOperator) -> bool:
        """Keep an operator added at another station of the depot (checked there, and recorded in that
        station's log when added); False when the badge is already known here."""
        with self.store._transaction():
            if self.table.count_where("badge = ?", [operator.badge]):
                return False
            self.table.insert({"badge": operator.badge, "name": operator.name, "role": str(operator.role),
                               "pin_hash": operator.pin_hash, "created": operator.created, "failed_pins": 0,
                               "locked_until": operator.locked_until, "pin_set": operator.pin_set or operator.created})
        return True

    def adopt_pin(self, badge: str, pin_hash: str, pin_set: str) -> bool:
        """A PIN its operator set at another station of the depot, kept here when it is newer than the one
        this station has; False when it is not (or the operator is unknown here)."""
        with self.store._transaction():
            row = next(iter(self.table.rows_where("badge = ?", [badge])), None)
            if row is None or dt.datetime.fromisoformat(row["pin_set"] or row["created"]) >= dt.datetime.fromisoformat(pin_set):
                return False
            self.table.update(badge, {"pin_hash": pin_hash, "pin_set": pin_set, "failed_pins": 0})
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
