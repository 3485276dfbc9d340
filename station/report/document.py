"""What a printed checklist says, gathered from the log (no Qt here: the document is data first)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from station.audit.records import Record, RecordKind
from station.audit.store import Store
from station.core.checklist import Handout, SealOutcome
from station.core.errors import StationError


@dataclass(frozen=True)
class ChecklistDocument:
    depot: str
    station_id: str
    station_version: str
    identity: dict[str, Any]
    policy: dict[str, Any]
    workflow: str
    ready: bool
    items: list[dict[str, Any]]
    time: str
    operator: str | None
    record_seq: int
    record_hash: str
    record_signature: str
    sign_off: dict[str, Any] | None  # the sign-off record's data, with its seq and operator
    run_by: dict[str, Any] | None = None  # the operator whose PIN was checked for the checklist: name, badge
    simulated: bool = False  # the phone was simulated inside the station, not a real device
    seal: SealOutcome | None = None  # the workflow's seal step, when it has one

    @property
    def handout(self) -> Handout | None:
        """How an Android phone went out, once the seal reached it (None for an iPhone or an unsealed phone)."""
        return None if self.seal is None else self.seal.handout

    @property
    def verify_code(self) -> str:
        """What the QR code holds: enough for `station log verify --record` or a scan to find the record."""
        return f"depot-station:record?station={self.station_id}&seq={self.record_seq}&hash={self.record_hash}"


def latest_checklist(store: Store, serial: str, depot: str) -> ChecklistDocument:
    """The phone's most recent checklist and its sign-off (if any), as the log holds them."""
    checklist = store.latest(serial, RecordKind.CHECKLIST)
    if checklist is None:
        raise StationError(f"{serial}: no checklist in this station's log (run `station provision` or `station return` first)")
    return _document(store, checklist, depot)


def latest_checklists(serials: list[str], depot: str, store: Store) -> list[ChecklistDocument]:
    """The latest checklist of each phone that has one (phones without are left out), for printing."""
    documents = []
    for serial in serials:
        try:
            documents.append(latest_checklist(store, serial, depot))
        except StationError:
            continue
    return documents


def run_checklists(store: Store, run_id: str, depot: str) -> list[ChecklistDocument]:
    """Every checklist of one session (a run), for the batch document."""
    return [_document(store, record, depot) for record in store.of_run(run_id, RecordKind.CHECKLIST)]


def _document(store: Store, checklist: Record, depot: str) -> ChecklistDocument:
    run = store.run(checklist.run_id)
    signed = store.sign_off_of(checklist)
    sign_off = None if signed is None else {**signed.data, "seq": signed.seq, "operator": signed.operator, "time": signed.time}
    return ChecklistDocument(
        depot=depot,
        station_id=checklist.station_id,
        station_version=checklist.station_version,
        identity=checklist.identity or {},
        policy={"id": run.policy_id, "name": run.policy_name, "version": run.policy_version, "sha256": run.policy_sha256},
        workflow=checklist.data["workflow"],
        ready=bool(checklist.data["ready"]),
        items=checklist.data["items"],
        time=checklist.time,
        operator=checklist.operator,
        record_seq=checklist.seq,
        record_hash=checklist.hash,
        record_signature=checklist.signature,
        sign_off=sign_off,
        run_by=checklist.data.get("run_by"),
        simulated=bool(checklist.data.get("simulated")),
        seal=SealOutcome.from_record(checklist.data["seal"]) if checklist.data.get("seal") else None,
    )
