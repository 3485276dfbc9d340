"""What a printed checklist says, gathered from the log (no Qt here: the document is data first)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from station.audit.history import History, HistoryEntry
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
    # The phone's records at every station of the depot (this station's alone when it has joined none),
    # printed as its story; None leaves the section out (a whole session's document).
    history: History | None = None

    @property
    def verify_code(self) -> str:
        """What the QR code holds: enough for `station log verify --record` or a scan to find the record."""
        return f"depot-station:record?station={self.station_id}&seq={self.record_seq}&hash={self.record_hash}"


HISTORY_LINES = 4  # at most the newest lines of a phone's history a checklist prints (fewer where the page is full)
# The records that tell a phone's story on paper; the others (each reading's facts, each step's start and
# result) are counted on their line, and `station history` lists them all.
STORY_KINDS = frozenset({
    RecordKind.SCAN, RecordKind.RETURN_INTAKE, RecordKind.REMOVAL_VERIFIED, RecordKind.WIPE_RESULT, RecordKind.WIPE_REFUSED,
    RecordKind.WIPE_OVERRIDE, RecordKind.CHECKLIST, RecordKind.SIGN_OFF, RecordKind.RETIRED, RecordKind.ERROR,
})


_BADGE = re.compile(r" \(badge [^()]*\)$")  # how str(Operator) ends: " (badge 1001, supervisor)"


@dataclass(frozen=True)
class HistoryLine:
    """One printed line of a phone's history: one session at one station."""

    station: str
    time: str  # its first record's
    said: tuple[tuple[str | None, str], ...]  # (operator, its records: each kind with its numbers), in order
    others: int  # records of the session not named on the line


def history_lines(history: History, limit: int = HISTORY_LINES) -> tuple[list[HistoryLine], int]:
    """The history as printed lines, oldest first: the newest ``limit`` of them, and how many earlier
    lines are left out."""
    sessions: list[list[HistoryEntry]] = []
    for entry in history.entries:
        last = sessions[-1][-1] if sessions else None
        if last is not None and (last.station, last.run_id) == (entry.station, entry.run_id):
            sessions[-1].append(entry)
        else:
            sessions.append([entry])
    lines = [_line(session) for session in sessions]
    kept = lines[-limit:] if limit > 0 else []
    return kept, len(lines) - len(kept)


def _line(session: list[HistoryEntry]) -> HistoryLine:
    story = [e for e in session if e.kind in STORY_KINDS] or session[-1:]  # a session of steps alone names its last
    by_operator: list[tuple[str | None, list[HistoryEntry]]] = []
    for entry in story:
        if by_operator and _name(by_operator[-1][0]) == _name(entry.operator):
            by_operator[-1][1].append(entry)
        else:
            by_operator.append((entry.operator, [entry]))
    said = tuple((_name(operator), _records(entries)) for operator, entries in by_operator)
    return HistoryLine(session[0].station, session[0].time, said, len(session) - len(story))


def _name(operator: str | None) -> str | None:
    """An operator as a page names them: ``Ana Tremblay``, without the badge and role the log adds."""
    return _BADGE.sub("", operator) if operator else operator


def _records(entries: list[HistoryEntry]) -> str:
    """``checklist #46, sign_off #87, scan #30, #41 … #88 (5)``: each kind once, with its record numbers."""
    by_kind: dict[str, list[int]] = {}
    for entry in entries:
        by_kind.setdefault(entry.kind, []).append(entry.seq)
    said = []
    for kind, seqs in by_kind.items():
        numbers = ", ".join(f"#{seq}" for seq in seqs) if len(seqs) <= 3 else f"#{seqs[0]}, #{seqs[1]} … #{seqs[-1]} ({len(seqs)})"
        said.append(f"{kind} {numbers}")
    return ", ".join(said)


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
