"""What a printed checklist says, gathered from the log (no Qt here: the document is data first)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from station.audit.store import Store, decoded
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

    @property
    def verify_code(self) -> str:
        """What the QR code holds: enough for `station log verify --record` or a scan to find the record."""
        return f"depot-station:record?station={self.station_id}&seq={self.record_seq}&hash={self.record_hash}"


def latest_checklist(store: Store, serial: str, depot: str) -> ChecklistDocument:
    """The phone's most recent checklist and its sign-off (if any), as the log holds them."""
    checklists = [r for r in store.db["records"].rows_where("serial = ? AND kind = 'checklist'", [serial], order_by="seq desc", limit=1)]
    if not checklists:
        raise StationError(f"{serial}: no checklist in this station's log (run `station provision` or `station return` first)")
    return _document(store, checklists[0], depot)


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
    return [_document(store, row, depot) for row in store.db["records"].rows_where("run_id = ? AND kind = 'checklist'", [run_id], order_by="seq")]


def _document(store: Store, row: dict[str, Any], depot: str) -> ChecklistDocument:
    record = decoded(row)
    run = store.db["runs"].get(row["run_id"])
    sign_offs = [
        decoded(r) for r in store.db["records"].rows_where("kind = 'sign_off' AND serial = ?", [row["serial"]], order_by="seq desc")
        if decoded(r)["data"].get("checklist_seq") == row["seq"]
    ]
    sign_off = None
    if sign_offs:
        latest = sign_offs[0]
        sign_off = {**latest["data"], "seq": latest["seq"], "operator": latest["operator"], "time": latest["time"]}
    return ChecklistDocument(
        depot=depot,
        station_id=row["station_id"],
        station_version=row["station_version"],
        identity=record["identity"] or {},
        policy={"id": run["policy_id"], "name": run["policy_name"], "version": run["policy_version"], "sha256": run["policy_sha256"]},
        workflow=record["data"]["workflow"],
        ready=bool(record["data"]["ready"]),
        items=record["data"]["items"],
        time=row["time"],
        operator=row["operator"],
        record_seq=row["seq"],
        record_hash=row["hash"],
        record_signature=row["signature"],
        sign_off=sign_off,
    )
