"""The station's Ed25519 signing key, and how a log record is hashed and signed.

Each record's hash covers its content, its sequence number and the previous record's hash, so editing,
deleting, inserting or reordering records breaks the chain; the signature over the hash means nobody
without the station's key can rebuild a valid chain after tampering.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from station.core.errors import StationError

KEY_NAME = "station-ed25519.pem"
SERVICE = "depot-station"  # the OS keystore's service name; each entry's user name is a log's station id
GENESIS = "0" * 64  # the "previous hash" of the first record

# The record fields a hash covers, in a fixed order (the database's own row id is not among them).
HASHED_FIELDS = (
    "seq", "prev_hash", "time", "run_id", "kind", "address", "serial", "platform", "identity", "data",
    "station_id", "station_version", "policy_sha256", "operator", "key_id",
)


def record_hash(fields: dict[str, Any]) -> str:
    return hash_values([fields.get(name) for name in HASHED_FIELDS])


# One encoder for every record: json.dumps with options builds a new one per call, a third of the cost
# of hashing a record, which a verification of a year's log pays a million times.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def hash_values(values: list[Any]) -> str:
    """The hash of a record's ``HASHED_FIELDS`` values, in that order."""
    return hashlib.sha256(_CANONICAL.encode(values).encode("utf-8")).hexdigest()


def public_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def key_id(key: Ed25519PublicKey) -> str:
    """A short, stable name for a public key: the start of the SHA-256 of its raw bytes."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def load_public(pem: str) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem.encode("ascii"))
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def verify_signature(public: Ed25519PublicKey, digest: str, signature: str) -> bool:
    try:
        public.verify(base64.b64decode(signature, validate=True), bytes.fromhex(digest))
    except (InvalidSignature, ValueError):
        return False
    return True


class KeyPlace(StrEnum):
    KEYSTORE = "keystore"
    FILE = "file"
    MEMORY = "memory"  # a log kept in memory (tests): its key is never written anywhere


@dataclass(frozen=True)
class KeyLocation:
    """Where a station's private key is kept, to tell an administrator."""

    place: KeyPlace
    detail: str  # the keystore's name, or the key file's path
    entry: str = ""  # the keystore entry's user name (the station id)

    def __str__(self) -> str:
        if self.place is KeyPlace.KEYSTORE:
            return f"the operating system's keystore ({self.detail}), service {SERVICE!r}, entry {self.entry!r}"
        if self.place is KeyPlace.FILE:
            return f"the file {self.detail} (protected only by its owner-only permissions)"
        return "memory only (never written)"


class StationKey:
    """The private key, made once and reused; where it is kept is ``location`` (see station.audit.keystore)."""

    def __init__(self, private: Ed25519PrivateKey, location: KeyLocation | None = None) -> None:
        self.private = private
        self.location = location or KeyLocation(KeyPlace.MEMORY, "")
        self.public = private.public_key()
        self.id = key_id(self.public)

    @classmethod
    def load_or_create(cls, data_dir: Path) -> StationKey:
        """A key in ``data_dir``'s file, made if there is none: a throw-away key for tools and tests. A
        station's log finds its key through station.audit.keystore, which may keep it elsewhere."""
        path = data_dir / KEY_NAME
        try:
            if path.exists() and path.stat().st_size == 0:
                path.unlink()  # a station killed while creating its key: nothing was ever signed with it
            if not path.exists():
                create_key_file(path)
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise StationError(f"station key {path}: not an Ed25519 key")
            return cls(key, KeyLocation(KeyPlace.FILE, str(path)))
        except (OSError, ValueError) as exc:
            raise StationError(f"station key {path}: cannot be created or read ({exc})") from None

    def sign(self, digest: str) -> str:
        return base64.b64encode(self.private.sign(bytes.fromhex(digest))).decode("ascii")


def create_key_file(path: Path) -> None:
    """A new key, written whole to an owner-only file beside ``path`` and only then linked into place,
    so that a station killed at any moment leaves either no key or a complete one. If another process
    got there first, its key is the one kept."""
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    partial = path.with_name(f".{path.name}.{os.getpid()}.new")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(FileExistsError):  # another process made the key first: keep theirs
            os.link(partial, path)
    finally:
        partial.unlink(missing_ok=True)
