"""Backups of the log, and putting one back: what a depot does after a lost or damaged disk.

A backup is a folder holding a consistent copy of the log (SQLite's online backup API, taken while
the station may be writing), the station's public key, and a manifest with the SHA-256 of both and
the chain's last record. The private key is never copied: a restored log on a new PC carries on
under a new key, and the old public key stays in the log so every old record still verifies.
Restoring checks the backup whole (manifest hashes, chain and signatures) before it touches the data
folder, and moves a damaged log aside rather than deleting it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from station import __version__
from station.audit.records import RecordKind, StoredRecord
from station.audit.signing import StationKey, load_public
from station.audit.store import DB_NAME, Store, append_stored, create_log_file
from station.audit.verify import check_chain, verify_log
from station.core.errors import StationError

MANIFEST = "manifest.json"
PUBLIC_KEY = "station-public.pem"


class BackupError(StationError):
    """A backup cannot be made, or a folder is not a backup that can be restored as it is."""


@dataclass(frozen=True)
class Manifest:
    """What a backup holds, written beside it as JSON."""

    station_id: str
    station_version: str
    made: str
    records: int
    last_seq: int
    last_hash: str
    files: dict[str, str]  # file name -> SHA-256


def make_backup(store: Store, folder: Path) -> Manifest:
    """Write a consistent copy of the log, its public key and a manifest into ``folder`` (created, and
    empty or new), then record in the log that the backup was made."""
    if store.path is None:
        raise BackupError("a log kept in memory has no file to back up")
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"backup folder {folder}: not empty; name a new folder for each backup")
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        copy = folder / DB_NAME
        os.close(os.open(copy, os.O_CREAT | os.O_WRONLY, 0o600))
        target = sqlite3.connect(copy)
        try:
            store.db.conn.backup(target)  # a consistent snapshot even while the station writes
        finally:
            target.close()
        (folder / PUBLIC_KEY).write_text(store.public_key_pem(), encoding="ascii")
        last = store.db.execute("SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1").fetchone()
        count = store.db.execute("SELECT count(*) FROM records").fetchone()[0]
        manifest = Manifest(
            station_id=store.station_id, station_version=__version__,
            made=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), records=int(count),
            last_seq=int(last[0]) if last else 0, last_hash=str(last[1]) if last else "",
            files={name: _sha256(folder / name) for name in (DB_NAME, PUBLIC_KEY)},
        )
        (folder / MANIFEST).write_text(json.dumps(asdict(manifest), indent=2) + "\n", encoding="utf-8")
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"backup folder {folder}: the backup could not be written ({exc})") from None
    run = store.start_run("backup", None)
    store.record(run, RecordKind.BACKUP_MADE, address="station", platform="", identity=None,
                 data={"folder": str(folder), "records": manifest.records, "last_seq": manifest.last_seq,
                       "manifest_sha256": _sha256(folder / MANIFEST)})
    store.finish_run(run, "backed up")
    return manifest


@dataclass(frozen=True)
class BackupState:
    """When the log was last backed up (its newest BACKUP_MADE record), for a reminder."""

    last: dt.datetime | None  # None: never
    folder: str | None  # where that backup went
    records: int  # how many records the log holds now

    def due(self, now: dt.datetime, remind_after_days: int) -> bool:
        """Whether a supervisor should be reminded: no backup of a log that holds records, or none for
        ``remind_after_days`` days."""
        if self.last is None:
            return self.records > 0
        return now - self.last >= dt.timedelta(days=remind_after_days)


def backup_state(store: Store) -> BackupState:
    last = store.newest(RecordKind.BACKUP_MADE)
    when = dt.datetime.fromisoformat(last.time) if last else None
    return BackupState(when, str(last.data.get("folder")) if last else None, store.last_seq())


def make_backup_in(parent: Path, store: Store) -> tuple[Manifest, Path]:
    """A backup into a new folder inside ``parent``, named for the moment (the window's backup: the
    supervisor chooses where, the station a folder name that is new each time)."""
    folder = parent / f"station-backup-{dt.datetime.now(dt.UTC).strftime('%Y%m%dT%H%M%SZ')}"
    return make_backup(store, folder), folder


def check_backup(folder: Path) -> Manifest:
    """The backup's manifest, once every file matches it and the copied log verifies whole."""
    try:
        raw = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        manifest = Manifest(**raw)
    except FileNotFoundError:
        raise BackupError(f"{folder}: not a backup (no {MANIFEST}); make one with `station log backup FOLDER`") from None
    except (OSError, ValueError, TypeError) as exc:
        raise BackupError(f"{folder / MANIFEST}: cannot be read as a backup manifest ({exc})") from None
    for name, expected in manifest.files.items():
        try:
            actual = _sha256(folder / name)
        except OSError as exc:
            raise BackupError(f"{folder / name}: missing or unreadable ({exc.strerror or exc})") from None
        if actual != expected:
            raise BackupError(f"{folder / name}: does not match the backup's manifest (changed since the backup was made)")
    with tempfile.TemporaryDirectory() as scratch:  # checked on a copy: opening a log may add to it
        shutil.copyfile(folder / DB_NAME, Path(scratch) / DB_NAME)
        # A throw-away key: the copy is only read, and this PC's own key for the log must not be looked up or made here.
        store = Store.open(Path(scratch), StationKey(Ed25519PrivateKey.generate()))
        try:
            verdict = verify_log(store)
            station_id, keys = store.station_id, set(store.public_keys().values())
        finally:
            store.close()
    if station_id != manifest.station_id:
        raise BackupError(f"{folder}: the copied log belongs to station {station_id}, not {manifest.station_id}")
    if (folder / PUBLIC_KEY).read_text(encoding="ascii") not in keys:
        raise BackupError(f"{folder / PUBLIC_KEY}: is not one of the keys the copied log knows")
    if not verdict.ok:
        raise BackupError(f"{folder}: the copied log does not verify: {verdict}")
    if verdict.count != manifest.records:
        raise BackupError(f"{folder}: the copied log holds {verdict.count} records, the manifest says {manifest.records}")
    return manifest


def restore_backup(folder: Path, data_dir: Path) -> tuple[Manifest, Path | None]:
    """Put a checked backup's log in place in ``data_dir``; an existing log there is moved aside (its
    new name is answered), never deleted. The station's private key for the log (in the keystore or
    ``data_dir``) is kept, or a new one is made when the log is next opened."""
    manifest = check_backup(folder)
    partial = data_dir / f".{DB_NAME}.restoring"
    try:
        shutil.copyfile(folder / DB_NAME, partial)
        partial.chmod(0o600)
    except OSError as exc:
        raise BackupError(f"log {data_dir / DB_NAME}: the backup could not be put in place ({exc.strerror or exc})") from None
    return manifest, _put_in_place(partial, data_dir)


@dataclass(frozen=True)
class Rebuilt:
    """A log rebuilt from another copy of its records (the depot's)."""

    records: int  # numbered 1 to records: the chain checked whole
    aside: Path | None  # where the log it replaced was moved


def rebuild_log(data_dir: Path, station_id: str, public_keys: Mapping[str, str], rows: Iterable[StoredRecord],
                source: str, batch: int = 5000) -> Rebuilt:
    """Put in place in ``data_dir`` a log made of ``rows`` (the station's records, exactly as stored, in
    the order they were appended) once their whole chain and every signature check with the station's
    ``public_keys``; an existing log is moved aside, never deleted. Refused, leaving ``data_dir`` as it
    was, when the chain does not check or when the log there holds records past the copy's last."""
    keys = {key_id: load_public(pem) for key_id, pem in public_keys.items()}
    partial = data_dir / f".{DB_NAME}.restoring"
    partial.unlink(missing_ok=True)  # left by a restore that was stopped
    try:
        conn = create_log_file(partial, station_id, public_keys)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"log {data_dir / DB_NAME}: cannot be rebuilt ({getattr(exc, 'strerror', None) or exc})") from None
    try:
        pending: list[StoredRecord] = []

        def written() -> Iterator[StoredRecord]:
            """Each row as the chain check reads it, written in batches meanwhile: a year's records never
            sit in memory at once."""
            for row in rows:
                pending.append(row)
                if len(pending) >= batch:
                    append_stored(conn, pending, pushed=True)
                    pending.clear()
                yield row

        verdict = check_chain(written(), keys)
        if not verdict.ok:
            raise BackupError(f"{source}: this station's records there do not verify, so the log was not rebuilt: {verdict}")
        if verdict.count == 0:
            raise BackupError(f"{source}: holds no records of this station; nothing to rebuild the log from")
        append_stored(conn, pending, pushed=True)
    except BaseException:
        conn.close()
        partial.unlink(missing_ok=True)
        raise
    conn.close()
    here = _last_seq_readable(data_dir / DB_NAME)
    if here is not None and here > verdict.count:
        partial.unlink(missing_ok=True)
        raise BackupError(f"log {data_dir / DB_NAME}: holds records up to {here}, {source} only up to {verdict.count}; "
                          "it is readable, so push it first (`station depot sync`) rather than replace it")
    return Rebuilt(verdict.count, _put_in_place(partial, data_dir))


def _last_seq_readable(path: Path) -> int | None:
    """The last record number of the log at ``path``, if it is there and can be read at all."""
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return int(conn.execute("SELECT coalesce(max(seq), 0) FROM records").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return None  # damaged: exactly what a rebuild replaces


def _put_in_place(partial: Path, data_dir: Path) -> Path | None:
    """Move ``partial`` (a checked log, owner-only) into place as the data folder's log; the log there
    is moved aside (its new name is answered), never deleted."""
    target = data_dir / DB_NAME
    aside = None
    try:
        # This PC's keystore may never have held the put-back log's key: its next open may make one.
        Store.allow_new_key(partial)
        if target.exists():
            aside = target.with_name(f"{DB_NAME}.replaced-{dt.datetime.now(dt.UTC).strftime('%Y%m%dT%H%M%SZ')}")
            for suffix in ("", "-wal", "-shm"):
                old = target.with_name(DB_NAME + suffix)
                if old.exists():
                    old.rename(aside.with_name(aside.name + suffix))
        partial.rename(target)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"log {target}: could not be put in place ({getattr(exc, 'strerror', None) or exc})") from None
    return aside


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
