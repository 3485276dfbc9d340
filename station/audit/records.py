"""The log's rows as the rest of the station sees them: typed, decoded, numbered by their sequence.

A record's public number is its sequence number (``seq``): the one printed on checklists, named by
sign-offs and asked for by ``station log verify --record``. Database row ids stay inside audit.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from operator import attrgetter
from typing import Any

from station.audit.signing import HASHED_FIELDS
from station.core.models import DeviceIdentity, Platform


class RecordKind(StrEnum):
    """What a record says happened. The values are what the log stores and exports."""

    SCAN = "scan"
    INTAKE = "intake"  # a checklist's first reading, kept as evidence of how the phone came in
    VERIFICATION = "verification"  # a fresh reading after the station's actions
    SCAN_FACTS = "scan_facts"  # what a scan read besides the apps: battery, accounts, management
    INTAKE_FACTS = "intake_facts"
    VERIFICATION_FACTS = "verification_facts"
    RETURN_INTAKE = "return_intake"
    REMOVAL_STARTED = "removal_started"
    REMOVAL_RESULT = "removal_result"
    REMOVAL_VERIFIED = "removal_verified"
    ACTION_STARTED = "action_started"
    ACTION_RESULT = "action_result"
    WIPE_STARTED = "wipe_started"
    WIPE_RESULT = "wipe_result"
    RECOVERY_REBOOT = "recovery_reboot"
    WIPE_REFUSED = "wipe_refused"  # a returned phone still tied to its user's account was not wiped
    WIPE_OVERRIDE = "wipe_override"  # a supervisor had it wiped anyway, with a written reason
    SEAL_STARTED = "seal_started"  # the checks it was sealed on, and how an Android phone goes out (its handout)
    HANDOUT_SETTINGS = "handout_settings"  # the Test Harness settings put back, and what the phone read back
    GUIDED_RESET = "guided_reset"  # restarted into recovery for the final reset to its setup screens
    SEAL_RESULT = "seal_result"  # sealed (the station saw its access end, and when) or why not
    CHECKLIST = "checklist"
    ERROR = "error"
    SIGN_OFF = "sign_off"
    RETIRED = "retired"
    OPERATOR_ADDED = "operator_added"
    LANGUAGE_CHANGED = "language_changed"  # an operator's language, changed by a supervisor
    PIN_REJECTED = "pin_rejected"
    PIN_CHANGED = "pin_changed"  # an operator set a new PIN (a short one set before the 6-digit rule, or by choice)
    BACKUP_MADE = "backup_made"
    DOCUMENT_PUBLISHED = "document_published"  # a policy or workflow published to the depot


@dataclass(frozen=True)
class Record:
    """One log record, decoded: ``identity`` and ``data`` as the JSON they were written as."""

    seq: int
    time: str
    run_id: str
    kind: str  # a RecordKind's value; kept as text so a log written by a newer station still reads
    address: str
    serial: str | None
    platform: str
    identity: dict[str, Any] | None
    data: dict[str, Any]
    operator: str | None
    station_id: str
    station_version: str
    policy_sha256: str | None
    key_id: str
    prev_hash: str
    hash: str
    signature: str

    @classmethod
    def of(cls, row: dict[str, Any]) -> Record:
        return cls(
            seq=row["seq"], time=row["time"], run_id=row["run_id"], kind=row["kind"], address=row["address"],
            serial=row["serial"], platform=row["platform"],
            identity=json.loads(row["identity"]) if row["identity"] else None, data=json.loads(row["data"]),
            operator=row["operator"], station_id=row["station_id"], station_version=row["station_version"],
            policy_sha256=row["policy_sha256"], key_id=row["key_id"], prev_hash=row["prev_hash"], hash=row["hash"],
            signature=row["signature"],
        )

    def phone(self) -> DeviceIdentity | None:
        """The phone's identity as recorded, or None for a record about the station itself."""
        if not self.identity:
            return None
        ambiguous_with = tuple(self.identity.get("ambiguous_with") or ())  # JSON gave a list
        return DeviceIdentity(**{**self.identity, "platform": Platform(self.identity["platform"]), "ambiguous_with": ambiguous_with})


@dataclass(frozen=True)
class StoredRecord:
    """A record exactly as stored, every hashed field as the text it was hashed from, with its hash,
    signature and position (``row``: the order it was appended in). What a chain check reads, and what
    a station pushes to its depot: re-encoding a decoded ``Record`` could change a byte and break a hash."""

    row: int
    seq: int | None  # None when the stored value is missing or not a number (tampered)
    prev_hash: str | None
    time: str | None
    run_id: str | None
    kind: str | None
    address: str | None
    serial: str | None
    platform: str | None
    identity: str | None
    data: str | None
    station_id: str | None
    station_version: str | None
    policy_sha256: str | None
    operator: str | None
    key_id: str | None
    hash: str | None
    signature: str | None

    @classmethod
    def of_row(cls, row: Sequence[object]) -> StoredRecord:
        """From (row id, *STORED_COLUMNS) as a query selects them: the way a year of records is read."""
        position, seq, *text = row
        return cls(int(str(position)), seq if type(seq) is int else None,  # the 16 text columns follow, in field order
                   *(value if value is None or type(value) is str else str(value) for value in text))

    def hashed_values(self) -> list[object]:
        """The values ``signing.hash_values`` covers, in ``HASHED_FIELDS`` order."""
        return list(_hashed_of(self))


_hashed_of = attrgetter(*HASHED_FIELDS)
_STORED_TEXT = (
    "prev_hash", "time", "run_id", "kind", "address", "serial", "platform", "identity", "data", "station_id",
    "station_version", "policy_sha256", "operator", "key_id", "hash", "signature",
)
STORED_COLUMNS = ("seq", *_STORED_TEXT)  # a StoredRecord's fields after its row, in order: what a log or depot stores


@dataclass(frozen=True)
class Run:
    """One session of the station (a command, or the window from opening to closing) and its policy."""

    id: str
    command: str
    started: str
    finished: str | None
    outcome: str | None
    policy_id: str | None
    policy_name: str | None
    policy_version: str | None
    policy_sha256: str | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> Run:
        return cls(row["id"], row["command"], row["started"], row["finished"], row["outcome"], row["policy_id"],
                   row["policy_name"], row["policy_version"], row["policy_sha256"])
