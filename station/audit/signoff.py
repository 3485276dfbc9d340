"""Signing off a phone for hand-out: only when its checklist passed, or by a supervisor's override.

A sign-off is a signed log record that names the checklist record it vouches for (by sequence number and
hash), so the printed document, the checklist and the sign-off can be checked against one another.
An override needs a written reason and a second operator who is a supervisor, and stays in the log.
"""

from __future__ import annotations

from dataclasses import dataclass

from station.audit.operators import Operator, OperatorError
from station.audit.records import RecordKind
from station.audit.store import Store
from station.core.checklist import Status
from station.core.refusals import Refusal, RefusalKind

MIN_REASON = 10


@dataclass(frozen=True)
class Override:
    reason: str
    supervisor: Operator


def sign_off(store: Store, run_id: str, checklist_seq: int, operator: Operator, override: Override | None = None) -> int:
    """Record the sign-off of the checklist numbered ``checklist_seq``; returns the sign-off's number."""
    checklist = store.record_at(checklist_seq)
    if checklist is None or checklist.kind != RecordKind.CHECKLIST:
        raise OperatorError(Refusal(RefusalKind.NOT_A_CHECKLIST, count=checklist_seq))
    data = checklist.data
    serial = checklist.serial
    # A twin found after this checklist was written still makes it ambiguous: the first reading of the
    # first of two phones with one serial is taken before the second shows up.
    bare = str((checklist.identity or {}).get("serial") or serial)
    twins = (checklist.identity or {}).get("ambiguous_with") or store.twins_in_run(checklist.run_id or "", bare)
    if twins:
        raise OperatorError(Refusal(RefusalKind.TWINS, str(serial), ", ".join(twins)))
    if data["ready"]:
        override = None  # an override approves a checklist that did not pass, never one that did
    else:
        failing = [item["id"] for item in data["items"] if item["mandatory"] and item["status"] == Status.FAIL]
        if override is None:
            raise OperatorError(Refusal(RefusalKind.NOT_PASSED, str(serial), ", ".join(failing)))
        if not override.supervisor.supervisor:
            raise OperatorError(Refusal(RefusalKind.OVERRIDE_NOT_SUPERVISOR, str(override.supervisor)))
        if override.supervisor.badge == operator.badge:
            raise OperatorError(Refusal(RefusalKind.OVERRIDE_SAME_PERSON))
        if len(override.reason.strip()) < MIN_REASON:
            raise OperatorError(Refusal(RefusalKind.OVERRIDE_REASON_SHORT, count=MIN_REASON))
    record = {
        "checklist_seq": checklist.seq,
        "checklist_hash": checklist.hash,
        "workflow": data["workflow"],
        "ready": data["ready"],
        "operator_badge": operator.badge,
        "override": None if override is None else {
            "reason": override.reason.strip(),
            "supervisor": override.supervisor.name,
            "supervisor_badge": override.supervisor.badge,
        },
    }
    return store.record(run_id, RecordKind.SIGN_OFF, address=checklist.address, platform=checklist.platform,
                        identity=checklist.phone(), data=record, operator=operator.name)


def retire(store: Store, run_id: str, serial: str, operator: Operator, reason: str) -> int:
    """Record that a phone leaves service (broken, lost parts, end of life) instead of being handed out
    again; returns the record's number. The phone must be known to this station's log."""
    if len(reason.strip()) < MIN_REASON:
        raise OperatorError(Refusal(RefusalKind.RETIRE_REASON_SHORT, count=MIN_REASON))
    latest = store.latest(serial)
    if latest is None:
        raise OperatorError(Refusal(RefusalKind.RETIRE_UNKNOWN_PHONE, serial))
    return store.record(run_id, RecordKind.RETIRED, address=latest.address, platform=latest.platform, identity=latest.phone(),
                        data={"reason": reason.strip(), "operator_badge": operator.badge}, operator=operator.name)
