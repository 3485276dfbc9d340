"""Checking the whole log: the chain of hashes and every signature.

The first problem found is named with the record and what is wrong with it: edited, deleted, inserted,
reordered, or a bad signature. What the chain alone cannot show: records removed from the very end
leave a shorter valid chain; a printed checklist carries its record's sequence number and hash, and
``station log verify --record N`` checks that that record is still in the log as printed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from station.audit.records import StoredRecord
from station.audit.signing import GENESIS, hash_values, load_public, verify_signature
from station.audit.store import Store


@dataclass(frozen=True)
class Checkpoint:
    """A record whose chain and every signature up to it were checked before: a chain check can go on
    from it."""

    seq: int
    hash: str


@dataclass(frozen=True)
class Verification:
    ok: bool
    count: int
    problem: str | None = None
    record_id: int | None = None
    seq: int | None = None
    tip: Checkpoint | None = None  # the last record, when the chain is intact
    signatures: int = 0  # how many signatures were checked (those up to a checkpoint were, before)

    def __str__(self) -> str:
        if self.ok:
            return f"log intact: {self.count} records, every hash and signature checks"
        where = f"record {self.seq} (row {self.record_id})" if self.seq is not None else f"row {self.record_id}"
        return f"log NOT intact at {where}: {self.problem}"


def _not_intact(checked: int, row: StoredRecord, problem: str) -> Verification:
    """The verdict at the first bad record ``row``, after ``checked`` records that were intact."""
    return Verification(False, checked, problem, row.row, row.seq)


def verify_log(store: Store) -> Verification:
    keys = {key_id: load_public(pem) for key_id, pem in store.public_keys().items()}
    return check_chain(store.stored_records(), keys)


def check_chain(  # noqa: PLR0911 - one return per way a log can be broken, each naming it
    rows: Iterable[StoredRecord], keys: Mapping[str, Ed25519PublicKey], after: Checkpoint | None = None,
) -> Verification:
    """The one chain checker, for a station's log and for each station's records in a depot: ``rows``
    in the order they were appended, ``keys`` the station's public keys by key id. Reads ``rows`` once
    and keeps nothing of them but the last, so a depot's million records stream through it.

    With ``after``, ``rows`` are those that follow that record, whose chain and signatures were checked
    before (the caller vouches that the records up to it are still those it checked)."""
    expected, previous = (after.seq + 1, after.hash) if after else (1, GENESIS)
    signatures = 0
    iterator = iter(rows)
    for row in iterator:
        seq = row.seq
        bad = partial(_not_intact, expected - 1, row)
        if seq is None:
            return bad("its sequence number is missing or not a number: edited")
        # Every number from 1 to expected - 1 has been seen exactly once, in order.
        if 1 <= seq < expected:
            return bad(f"sequence number {seq} appears twice: a record was inserted")
        if seq < expected:
            return bad(f"sequence number {seq} comes after {expected - 1}: records were reordered")
        if seq > expected:
            if any(later.seq == expected for later in iterator):
                return bad(f"record {expected} is stored after record {seq}: records were reordered")
            gap = f"record {expected}" if seq == expected + 1 else f"records {expected} to {seq - 1}"
            return bad(f"{gap} before it {'is' if seq == expected + 1 else 'are'} missing: deleted")
        if row.prev_hash != previous:
            return bad("it does not follow the record before it in the chain: a record was deleted or inserted")
        if hash_values(row.hashed_values()) != row.hash:
            return bad("its content does not match its hash: edited")
        key = keys.get(row.key_id or "")
        if key is None:
            return bad(f"signed by key {row.key_id}, which this log does not know: bad signature")
        if not verify_signature(key, row.hash, row.signature or ""):
            return bad("its signature does not verify with the station's key: bad signature (edited and re-hashed, or forged)")
        signatures += 1
        expected, previous = seq + 1, row.hash
    tip = Checkpoint(expected - 1, previous) if expected > 1 else None
    return Verification(True, expected - 1, tip=tip, signatures=signatures)
