"""Signing off a phone for hand-out: only when its checklist passed, or by a supervisor's override.

A sign-off is a signed log record that names the checklist record it vouches for (by sequence number and
hash), so the printed document, the checklist and the sign-off can be checked against one another.
An override needs a written reason and a second operator who is a supervisor, and stays in the log.
"""

from __future__ import annotations

from dataclasses import dataclass

from station.audit.operators import Operator, OperatorError
from station.audit.store import Store, decoded
from station.core.models import DeviceIdentity, Platform

MIN_REASON = 10


@dataclass(frozen=True)
class Override:
    reason: str
    supervisor: Operator


def sign_off(store: Store, run_id: str, checklist_row: int, operator: Operator, override: Override | None = None) -> int:
    """Record the sign-off of the checklist in log row ``checklist_row``; returns the sign-off's row."""
    checklist = store.db["records"].get(checklist_row)
    if checklist["kind"] != "checklist":
        raise OperatorError(f"log row {checklist_row} is not a checklist")
    data = decoded(checklist)["data"]
    serial = checklist["serial"]
    if not data["ready"]:
        failing = [item["id"] for item in data["items"] if item["mandatory"] and item["status"] == "fail"]
        if override is None:
            raise OperatorError(
                f"{serial} has not passed its checklist ({', '.join(failing)} failed): it cannot be signed off; "
                "a supervisor may override with a written reason"
            )
        if not override.supervisor.supervisor:
            raise OperatorError(f"{override.supervisor} is not a supervisor: an override needs one")
        if override.supervisor.badge == operator.badge:
            raise OperatorError("an override needs a second person: the supervisor cannot be the signing operator")
        if len(override.reason.strip()) < MIN_REASON:
            raise OperatorError(f"an override needs a written reason of at least {MIN_REASON} characters")
    record = {
        "checklist_seq": checklist["seq"],
        "checklist_hash": checklist["hash"],
        "workflow": data["workflow"],
        "ready": data["ready"],
        "operator_badge": operator.badge,
        "override": None if override is None else {
            "reason": override.reason.strip(),
            "supervisor": override.supervisor.name,
            "supervisor_badge": override.supervisor.badge,
        },
    }
    identity = decoded(checklist)["identity"]
    phone = DeviceIdentity(**{**identity, "platform": Platform(identity["platform"])}) if identity else None
    return store.record(run_id, "sign_off", address=checklist["address"], platform=checklist["platform"],
                        identity=phone, data=record, operator=operator.name)


def retire(store: Store, run_id: str, serial: str, operator: Operator, reason: str) -> int:
    """Record that a phone leaves service (broken, lost parts, end of life) instead of being handed out
    again; returns the record's row. The phone must be known to this station's log."""
    if len(reason.strip()) < MIN_REASON:
        raise OperatorError(f"retiring a phone needs a written reason of at least {MIN_REASON} characters")
    rows = list(store.db["records"].rows_where("serial = ? AND identity IS NOT NULL", [serial], order_by="seq desc", limit=1))
    if not rows:
        raise OperatorError(f"{serial}: this station has never seen that phone")
    latest = decoded(rows[0])
    identity = latest["identity"]
    phone = DeviceIdentity(**{**identity, "platform": Platform(identity["platform"])})
    return store.record(run_id, "retired", address=rows[0]["address"], platform=rows[0]["platform"], identity=phone,
                        data={"reason": reason.strip(), "operator_badge": operator.badge}, operator=operator.name)
