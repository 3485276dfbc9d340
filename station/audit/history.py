"""A phone's history as the window, the printed checklist and the CLI show it: records from whichever
station of the depot wrote them, reduced to what a person reads (no hashes, no long lists).

It lives here, beside the log, because this station's own entries come from its log and because the
window and the printed checklist may not import the depot package (nor psycopg): the depot fills the
same entries from its copy of the other stations' records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from station.audit.records import Record

LOCAL = "local"  # the station's name in its history when it has joined no depot
SEARCH_PHONES = 50  # a search that matches more phones here asks the depot about the first ones only


@dataclass(frozen=True)
class HistoryEntry:
    """One record about a phone, from whichever station of the depot wrote it."""

    station: str
    seq: int
    kind: str
    time: str
    serial: str | None
    imei: str | None
    operator: str | None
    run_id: str | None
    details: str = ""  # what the record holds, on one line (see details())


@dataclass(frozen=True)
class History:
    """A phone's entries, oldest first, and how much of the depot they cover."""

    entries: list[HistoryEntry]
    station: str | None  # this station's name in its depot; None when it has joined none (local entries only)
    error: str | None = None  # why the depot's entries are missing although the station has joined one

    @property
    def note(self) -> str | None:
        """Why only part of the depot is shown, if it is (the CLI says it on stderr)."""
        return None if self.error is None else f"{self.error}: this station's records only"


def details(data: Mapping[str, Any]) -> str:
    """One line saying what a record's data holds: its lists as counts, its nested objects left out."""
    parts = []
    for key, value in data.items():
        if isinstance(value, list):
            parts.append(f"{key}: {len(value)}")
        elif not isinstance(value, dict) and value not in (None, ""):
            parts.append(f"{key}: {value}")
    return ", ".join(parts)


def own_entries(records: Iterable[Record], station: str | None) -> list[HistoryEntry]:
    """This station's records as history entries, under its name in the depot (``LOCAL`` without one)."""
    return [HistoryEntry(station or LOCAL, r.seq, r.kind, r.time, r.serial, _imei(r.identity), r.operator, r.run_id, details(r.data))
            for r in records]


def _imei(identity: Mapping[str, Any] | None) -> str | None:
    imei = (identity or {}).get("imei")
    return str(imei) if imei else None


def search_terms(term: str, own: Sequence[HistoryEntry]) -> list[str]:
    """The serials and IMEIs to ask the depot about for a search of ``term``: the term itself (a whole
    serial or IMEI), then those of the phones this station's log found for it."""
    named = [term, *(e.serial for e in own if e.serial), *(e.imei for e in own if e.imei)]
    return list(dict.fromkeys(named))[:SEARCH_PHONES]
