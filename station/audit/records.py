"""The log's rows as the rest of the station sees them: typed, decoded, numbered by their sequence.

A record's public number is its sequence number (``seq``): the one printed on checklists, named by
sign-offs and asked for by ``station log verify --record``. Database row ids stay inside audit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from station.core.models import DeviceIdentity, Platform


class RecordKind(StrEnum):
    """What a record says happened. The values are what the log stores and exports."""

    SCAN = "scan"
    INTAKE = "intake"  # a checklist's first reading, kept as evidence of how the phone came in
    VERIFICATION = "verification"  # a fresh reading after the station's actions
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
    CHECKLIST = "checklist"
    ERROR = "error"
    SIGN_OFF = "sign_off"
    RETIRED = "retired"
    OPERATOR_ADDED = "operator_added"
    LANGUAGE_CHANGED = "language_changed"  # an operator's language, changed by a supervisor
    PIN_REJECTED = "pin_rejected"


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
        return DeviceIdentity(**{**self.identity, "platform": Platform(self.identity["platform"])})


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
