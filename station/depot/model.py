"""What the depot answers, as the CLI and the window see it (no database types cross this line). A phone's
history entries are station.audit.history's: the window and the printed checklist read them too."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StationStatus:
    name: str
    station_id: str
    joined: str
    records: int
    last_seq: int
    last_push: str | None


@dataclass(frozen=True)
class Verified:
    """How far a verifier checked a station's records in the depot, kept by that verifier (never in the
    depot): the last record checked, its depot row, and the depot's fingerprint of every row up to it."""

    seq: int
    hash: str
    row_id: int
    fingerprint: str


@dataclass(frozen=True)
class StationVerdict:
    """One station's records in the depot: intact, or the first thing wrong with them."""

    name: str
    station_id: str
    records: int
    problems: tuple[str, ...]
    signatures: int  # checked now; the others were, up to a checkpoint, on an earlier run
    tip: Verified | None  # its last record, when intact: where the next run goes on from

    @property
    def ok(self) -> bool:
        return not self.problems
