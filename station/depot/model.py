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
class StationVerdict:
    """One station's records in the depot: intact, or the first thing wrong with them."""

    name: str
    station_id: str
    records: int
    problems: tuple[str, ...]
    signatures: int  # checked now; the others were, up to a checkpoint, on an earlier run
    tip: tuple[int, str] | None  # (seq, hash) of its last record, when intact: the next run's checkpoint

    @property
    def ok(self) -> bool:
        return not self.problems
