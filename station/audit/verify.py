"""Checking the whole log: the chain of hashes and every signature.

The first problem found is named with the record and what is wrong with it: edited, deleted, inserted,
reordered, or a bad signature. What the chain alone cannot show: records removed from the very end
leave a shorter valid chain; a printed checklist carries its record's sequence number and hash, and
``station log verify --record N`` checks that that record is still in the log as printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from station.audit.signing import GENESIS, load_public, record_hash, verify_signature
from station.audit.store import Store


@dataclass(frozen=True)
class Verification:
    ok: bool
    count: int
    problem: str | None = None
    record_id: int | None = None
    seq: int | None = None

    def __str__(self) -> str:
        if self.ok:
            return f"log intact: {self.count} records, every hash and signature checks"
        where = f"record {self.seq} (row {self.record_id})" if self.seq is not None else f"row {self.record_id}"
        return f"log NOT intact at {where}: {self.problem}"


def _not_intact(checked: int, row: dict[str, Any], problem: str) -> Verification:
    """The verdict at the first bad record ``row``, after ``checked`` records that were intact."""
    return Verification(False, checked, problem, row["id"], row["seq"])


def verify_log(store: Store) -> Verification:  # noqa: PLR0911 - one return per way a log can be broken, each naming it
    db = store.db
    keys = {row["key_id"]: load_public(row["public_pem"]) for row in db["keys"].rows}
    rows = list(db["records"].rows_where(order_by="id"))
    positions = {row["seq"]: index for index, row in enumerate(rows)}
    seen: set[int] = set()
    expected, previous = 1, GENESIS
    for index, row in enumerate(rows):
        seq = row["seq"]
        bad = partial(_not_intact, index, row)
        if not isinstance(seq, int):
            return bad("its sequence number is missing or not a number: edited")
        if seq in seen:
            return bad(f"sequence number {seq} appears twice: a record was inserted")
        if seq < expected:
            return bad(f"sequence number {seq} comes after {expected - 1}: records were reordered")
        if seq > expected:
            if expected in positions:
                return bad(f"record {expected} is stored after record {seq}: records were reordered")
            gap = f"record {expected}" if seq == expected + 1 else f"records {expected} to {seq - 1}"
            return bad(f"{gap} before it {'is' if seq == expected + 1 else 'are'} missing: deleted")
        if row["prev_hash"] != previous:
            return bad("it does not follow the record before it in the chain: a record was deleted or inserted")
        if record_hash(row) != row["hash"]:
            return bad("its content does not match its hash: edited")
        key = keys.get(row["key_id"])
        if key is None:
            return bad(f"signed by key {row['key_id']}, which this log does not know: bad signature")
        if not verify_signature(key, row["hash"], row["signature"] or ""):
            return bad("its signature does not verify with the station's key: bad signature (edited and re-hashed, or forged)")
        seen.add(seq)
        expected, previous = seq + 1, row["hash"]
    return Verification(True, len(rows))
