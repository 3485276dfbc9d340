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
    heads: int | None = None  # a quick check: the signatures of every heads-th record and the last

    def __str__(self) -> str:
        if self.ok and self.heads:
            return (f"log intact: {self.count} records, every hash and link checks, and the signatures of its {self.signatures} "
                    f"head(s) (every {self.heads}th record and the last), which vouch for every record before them")
        if self.ok:
            return f"log intact: {self.count} records, every hash and signature checks"
        where = f"record {self.seq} (row {self.record_id})" if self.seq is not None else f"row {self.record_id}"
        return f"log NOT intact at {where}: {self.problem}"


def _not_intact(checked: int, row: StoredRecord, problem: str) -> Verification:
    """The verdict at the first bad record ``row``, after ``checked`` records that were intact."""
    return Verification(False, checked, problem, row.row, row.seq)


HEADS_EVERY = 1000  # records between two signed heads a quick check verifies


def verify_log(store: Store, quick: bool = False) -> Verification:
    """Every record's hash and link, and every signature; ``quick``, the signatures of the heads only
    (see check_chain)."""
    keys = {key_id: load_public(pem) for key_id, pem in store.public_keys().items()}
    return check_chain(store.stored_records(), keys, heads=HEADS_EVERY if quick else None)


def check_chain(  # noqa: PLR0911, PLR0912 - one return per way a log can be broken, each naming it
    rows: Iterable[StoredRecord], keys: Mapping[str, Ed25519PublicKey], after: Checkpoint | None = None,
    heads: int | None = None,
) -> Verification:
    """The one chain checker, for a station's log and for each station's records in a depot: ``rows``
    in the order they were appended, ``keys`` the station's public keys by key id. Reads ``rows`` once
    and keeps nothing of them but the last, so a depot's million records stream through it.

    With ``after``, ``rows`` are those that follow that record, whose chain and signatures were checked
    before (the caller vouches that the records up to it are still those it checked).

    With ``heads``, the signatures checked are those of every ``heads``-th record and of the last: each
    record's hash covers the one before it, so a verified head vouches for every record up to it, and an
    edit anywhere (re-hashed onwards or not) still fails; what goes unseen is a signature damaged on a
    record between two heads whose content is intact. Every hash, link and key id is still checked."""
    expected, previous = (after.seq + 1, after.hash) if after else (1, GENESIS)
    signatures = 0
    last: StoredRecord | None = None
    last_key: Ed25519PublicKey | None = None
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
        if heads is None or seq % heads == 0:
            if not verify_signature(key, row.hash, row.signature or ""):
                return bad(_BAD_SIGNATURE)
            signatures += 1
        last, last_key = row, key
        expected, previous = seq + 1, row.hash
    if heads is not None and last is not None and last_key is not None and (last.seq or 0) % heads:
        if not verify_signature(last_key, last.hash or "", last.signature or ""):
            return _not_intact(expected - 2, last, _BAD_SIGNATURE)
        signatures += 1
    tip = Checkpoint(expected - 1, previous) if expected > 1 else None
    return Verification(True, expected - 1, tip=tip, signatures=signatures, heads=heads)


_BAD_SIGNATURE = "its signature does not verify with the station's key: bad signature (edited and re-hashed, or forged)"
