"""The station's local log: every scan, finding, removal attempt and result, in SQLite.

Records are append-only and each is written in its own transaction before the station moves on, so a
station killed mid-run loses at most the step it was in. The schema changes only through MIGRATIONS.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import sqlite_utils
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from station import __version__
from station.audit.keystore import Keystore, KeyUnavailable, create_key, file_location, find_key, key_file, move_into_keystore
from station.audit.records import STORED_COLUMNS, Record, RecordKind, Run, StoredRecord
from station.audit.signing import GENESIS, KeyPlace, StationKey, public_pem, record_hash
from station.core.errors import StationError
from station.core.models import DeviceIdentity
from station.core.policy import Policy

DB_NAME = "station.db"
DEPOT_CONFIG = "depot.toml"  # a joined station's depot settings (station.depot.config; audit may not import depot)
_PUSHED_KEY = "depot_pushed_seq"  # in the meta table: every record up to this number is in the depot
# In the meta table (not hashed, so only ever used to word a message or allow what a person asked for):
_KEY_PLACE = "signing_key_place"  # where this log's private key was kept when it was last opened
_NEW_KEY_ALLOWED = "new_key_allowed"  # set by a restore: the next open may make a key for a log that has one
_RECORD_COLUMNS = STORED_COLUMNS
# One plain statement per record: sqlite-utils' insert() reads the table's schema again on every call.
_INSERT_RECORD = f"INSERT INTO records ({', '.join(_RECORD_COLUMNS)}) VALUES ({', '.join(':' + c for c in _RECORD_COLUMNS)})"


def _migration_1(db: sqlite_utils.Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("runs").create(
        {
            "id": str,
            "command": str,
            "started": str,
            "finished": str,
            "outcome": str,
            "station_id": str,
            "station_version": str,
            "policy_id": str,
            "policy_name": str,
            "policy_version": str,
            "policy_sha256": str,
            "policy_path": str,
        },
        pk="id",
    )
    db.table("keys").create({"key_id": str, "public_pem": str, "added": str}, pk="key_id")
    db.table("records").create(
        {
            "id": int,
            "seq": int,
            "prev_hash": str,
            "time": str,
            "run_id": str,
            "kind": str,
            "address": str,
            "serial": str,
            "platform": str,
            "identity": str,
            "data": str,
            "station_id": str,
            "station_version": str,
            "policy_sha256": str,
            "operator": str,
            "key_id": str,
            "hash": str,
            "signature": str,
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )
    db.table("records").create_index(["serial"])
    db.table("records").create_index(["seq"])
    db.table("meta").insert({"key": "station_id", "value": str(uuid.uuid4())})
    db.table("operators").create(
        {"badge": str, "name": str, "role": str, "pin_hash": str, "created": str, "failed_pins": int, "locked_until": str},
        pk="badge",
    )


def _migration_2(db: sqlite_utils.Database) -> None:
    """Each operator's language (Official Languages Act): the window switches to it at their sign-in.
    Operators added before it are given English; a supervisor changes it in the Operators window."""
    db.execute("ALTER TABLE operators ADD COLUMN language TEXT NOT NULL DEFAULT 'en'")


def _migration_3(db: sqlite_utils.Database) -> None:
    """When each operator's PIN was last set, so a PIN changed at one station of a depot replaces the older
    one at the others (the newest wins). A PIN set before it counts as set when its operator was added."""
    db.execute("ALTER TABLE operators ADD COLUMN pin_set TEXT")
    db.execute("UPDATE operators SET pin_set = created")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_migration_1, _migration_2, _migration_3]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


class Store:
    """The log in one data folder. Use from one thread (the engine's)."""

    def __init__(self, db: sqlite_utils.Database, path: Path | None, key: StationKey | Path) -> None:
        """``key`` is the key itself, or the data folder whose station key signs this log (found where it
        is kept once the log's station id is known; see _station_key)."""
        self.db = db
        self.path = path
        self._run_stamps: dict[str, tuple[str, str | None]] = {}
        self._migrate()
        self.station_id: str = db.table("meta").get("station_id")["value"]
        self.key = key if isinstance(key, StationKey) else self._station_key(key)
        noted = (self._meta(_KEY_PLACE), self._meta(_NEW_KEY_ALLOWED))
        if not self.db.table("keys").count_where("key_id = ?", [self.key.id]) or noted != (self._place_of(self.key), None):
            with self._transaction():  # another process opening the log may have added it meanwhile
                self._note_key(self.key)

    def _station_key(self, data_dir: Path) -> StationKey:
        """This log's private key, where it is kept. A key is made only for a log that has none registered
        (or that a restore has just put back), and a key kept in the data folder's file moves into the
        OS keystore once there is one: both under the log's write lock, so processes opening a new log
        at once all find the one key the first of them made."""
        keystore = Keystore.find()
        key = find_key(data_dir, self.station_id, keystore)
        if key is not None and (keystore is None or (key.location.place is KeyPlace.KEYSTORE and not key_file(data_dir).exists())):
            return key
        with self._transaction():
            key = find_key(data_dir, self.station_id, keystore)  # another process may have made or moved it
            if key is None:
                if self.public_keys() and self._meta(_NEW_KEY_ALLOWED) is None:
                    raise KeyUnavailable(self._no_key(data_dir, keystore))
                key = create_key(data_dir, self.station_id, keystore)
            elif keystore is not None:
                # A file key moves in; a file left beside the keystore's copy of the same key (a move that
                # was stopped before the file went) goes. A file holding another key is left alone.
                key = move_into_keystore(find_key(data_dir, self.station_id, None) or key, data_dir, self.station_id, keystore,
                                         only_if=key)
            self._note_key(key)
        return key

    def _note_key(self, key: StationKey) -> None:
        """Register ``key`` for this log and note where it is kept; inside a write transaction."""
        self.db.execute("INSERT OR IGNORE INTO keys (key_id, public_pem, added) VALUES (?, ?, ?)",
                        [key.id, public_pem(key.public), _now()])
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [_KEY_PLACE, self._place_of(key)])
        self.db.execute("DELETE FROM meta WHERE key = ?", [_NEW_KEY_ALLOWED])

    @staticmethod
    def _place_of(key: StationKey) -> str:
        return f"{key.location.place}:{key.location.detail}" if key.location.place is KeyPlace.KEYSTORE else str(key.location.place)

    def _no_key(self, data_dir: Path, keystore: Keystore | None) -> str:
        """Why the station stops: where its key was expected, and what to do."""
        places = ([str(keystore.location(self.station_id))] if keystore else []) + [str(file_location(data_dir))]
        where = f"neither in {places[0]} nor in {places[1]}" if len(places) == 2 else f"not in {places[0]}"
        text = f"station key: this log's records are signed with key {', '.join(self.public_keys())}, and its private key is {where}."
        kept, _, backend = (self._meta(_KEY_PLACE) or "").partition(":")
        if kept == KeyPlace.KEYSTORE and keystore is None:
            text += (f" This station keeps it in the operating system's keystore ({backend}), which this session cannot "
                     "reach (keyring finds no usable backend): start the station in the desktop session of the user who set "
                     "it up, with the keystore unlocked.")
        elif kept == KeyPlace.KEYSTORE:
            text += " This station kept it in that keystore, which no longer holds it (reset, or another user or PC)."
        return text + (" No new key was made: a second key could sign records in this station's name. If the key is lost, "
                       "put the log back with `station log restore BACKUP_FOLDER` (or `station log restore --from-depot` on a "
                       "station that joined a depot): the station then carries on under a new key, and every record before "
                       "still verifies.")

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    @classmethod
    def open(cls, data_dir: Path, key: StationKey | None = None) -> Store:
        """The log in ``data_dir``, signing with the station's key (or ``key``: a throw-away key for a log
        opened only to be read, such as a backup's copy being checked)."""
        path = data_dir / DB_NAME
        try:
            # Owner-only before sqlite opens it: sqlite gives its -wal and -shm files (which hold the newest
            # records) the database file's mode at that moment. Created only if missing (O_EXCL): closing a
            # descriptor of a file drops every POSIX lock this process holds on it, the locks by which this
            # process's open logs tell another process not to checkpoint and delete the -wal under them.
            with contextlib.suppress(FileExistsError):
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            for file in (path, *(path.with_name(DB_NAME + suffix) for suffix in ("-wal", "-shm"))):
                if file.exists():
                    file.chmod(0o600)
            conn = sqlite3.connect(path, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StationError(f"log {path}: cannot be opened ({exc})") from None
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            store = cls(sqlite_utils.Database(conn), path, key or data_dir)
        except sqlite3.DatabaseError as exc:
            conn.close()
            from_depot = (" or, as this station joined a depot, rebuild it from the depot's copy with "
                          "`station log restore --from-depot`") if (data_dir / DEPOT_CONFIG).exists() else ""
            raise StationError(
                f"log {path}: damaged ({exc}); nothing was written to it. Put the last backup back with "
                f"`station log restore BACKUP_FOLDER`{from_depot} (the damaged file is moved aside, not deleted)"
            ) from None
        except StationError:
            conn.close()
            raise
        return store

    @staticmethod
    def allow_new_key(path: Path) -> None:
        """Let the next open of the log file at ``path`` make a key although the log has one registered:
        what a restore does, since the log it puts back may be on a PC whose keystore never held its key."""
        conn = sqlite3.connect(path)
        try:
            with conn:
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [_NEW_KEY_ALLOWED, _now()])
        finally:
            conn.close()

    @classmethod
    def in_memory(cls) -> Store:
        return cls(sqlite_utils.Database(sqlite3.connect(":memory:", isolation_level=None)), None, StationKey(Ed25519PrivateKey.generate()))

    def close(self) -> None:
        self.db.close()

    def _migrate(self) -> None:
        """Bring the schema up to date, one migration per write transaction. The version is read again
        inside each transaction: several processes opening a new log at once each wait for the write
        lock, and only the first to get it creates what the others then find made."""
        while True:
            with self._transaction():
                current = self._schema_version()
                if current >= len(MIGRATIONS):
                    break
                MIGRATIONS[current](self.db)
                self.db.execute(f"PRAGMA user_version = {current + 1}")
        if current > len(MIGRATIONS):
            raise StationError(f"log {self.path}: written by a newer Depot Station (schema {current}); update the station")

    def _schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _transaction(self) -> Any:
        return _Transaction(self.db.conn)

    def start_run(self, command: str, policy: Policy | None) -> str:
        run_id = str(uuid.uuid4())
        with self._transaction():
            self.db.table("runs").insert(
                {
                    "id": run_id,
                    "command": command,
                    "started": _now(),
                    "finished": None,
                    "outcome": None,
                    "station_id": self.station_id,
                    "station_version": __version__,
                    "policy_id": policy.id if policy else None,
                    "policy_name": policy.name if policy else None,
                    "policy_version": policy.version if policy else None,
                    "policy_sha256": policy.sha256 if policy else None,
                    "policy_path": policy.path if policy else None,
                }
            )
        return run_id

    def finish_run(self, run_id: str, outcome: str) -> None:
        with self._transaction():
            self.db.table("runs").update(run_id, {"finished": _now(), "outcome": outcome})

    def record(
        self,
        run_id: str,
        kind: RecordKind,
        *,
        address: str,
        platform: str,
        identity: DeviceIdentity | None,
        data: dict[str, Any],
        operator: str | None = None,
    ) -> int:
        """Append one record, chained to the last one and signed, and make it durable before returning
        its sequence number. The chain's tail is read inside the same write transaction, so two station
        processes writing one log cannot fork the chain."""
        station_version, policy_sha256 = self._run_stamp(run_id)
        with self._transaction():
            last = self.db.execute("SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1").fetchone()
            fields: dict[str, Any] = {
                "seq": last[0] + 1 if last else 1,
                "prev_hash": last[1] if last else GENESIS,
                "time": _now(),
                "run_id": run_id,
                "kind": str(kind),
                "address": address,
                "serial": identity.log_serial if identity else None,
                "platform": platform,
                "identity": _identity_json(identity) if identity else None,
                "data": json.dumps(data, sort_keys=True, default=str),
                "station_id": self.station_id,
                "station_version": station_version,
                "policy_sha256": policy_sha256,
                "operator": operator,
                "key_id": self.key.id,
            }
            digest = record_hash(fields)
            self.db.execute(_INSERT_RECORD, {**fields, "hash": digest, "signature": self.key.sign(digest)})
        return int(fields["seq"])

    def _run_stamp(self, run_id: str) -> tuple[str, str | None]:
        """The station version and policy hash every record of ``run_id`` carries. A run's row never
        changes them after it starts, so each run's is read once (it was a query per record)."""
        stamp = self._run_stamps.get(run_id)
        if stamp is None:
            run = self.db.table("runs").get(run_id)
            stamp = self._run_stamps[run_id] = (run["station_version"], run["policy_sha256"])
        return stamp

    # ---- what the rest of the station asks of the log ---------------------------------------------

    def records(self, serial: str | None = None) -> list[Record]:
        """Every record (of one phone, when ``serial`` is given), oldest first."""
        where = "serial = ?" if serial else None
        return self._select(where, [serial] if serial else None, order_by="seq")

    def search(self, term: str, limit: int = 500) -> list[Record]:
        """The newest records whose serial or identity (IMEI, asset tag, model) contains ``term``."""
        pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where = "serial LIKE ? ESCAPE '\\' OR identity LIKE ? ESCAPE '\\'"
        return self._select(where, [pattern, pattern], order_by="seq desc", limit=limit)

    def record_at(self, seq: int) -> Record | None:
        """The record numbered ``seq`` (as printed on a checklist), if the log holds exactly one."""
        found = self._select("seq = ?", [seq])
        return found[0] if len(found) == 1 else None

    def latest(self, serial: str, kind: RecordKind | None = None) -> Record | None:
        """A phone's newest record (of ``kind``, or any that names the phone's identity)."""
        where, args = ("serial = ? AND kind = ?", [serial, str(kind)]) if kind else ("serial = ? AND identity IS NOT NULL", [serial])
        found = self._select(where, args, order_by="seq desc", limit=1)
        return found[0] if found else None

    def newest(self, kind: RecordKind) -> Record | None:
        """The log's newest record of ``kind``, of whatever phone or none."""
        found = self._select("kind = ?", [str(kind)], order_by="seq desc", limit=1)
        return found[0] if found else None

    def of_run(self, run_id: str, kind: RecordKind) -> list[Record]:
        """A session's records of one kind, in order."""
        return self._select("run_id = ? AND kind = ?", [run_id, str(kind)], order_by="seq")

    def twins_in_run(self, run_id: str, serial: str) -> tuple[str, ...]:
        """What the phones reporting ``serial`` were told apart by in this session, when more than one did
        (its records mark them ambiguous); empty when the serial was one phone's throughout."""
        found: set[str] = set()
        for record in self._select("run_id = ? AND identity IS NOT NULL AND json_extract(identity, '$.serial') = ? "
                                   "AND json_array_length(json_extract(identity, '$.ambiguous_with')) > 0",
                                   [run_id, serial], order_by="seq"):
            found.update(str(twin) for twin in (record.identity or {}).get("ambiguous_with") or ())
        return tuple(sorted(found))

    def sign_off_of(self, checklist: Record) -> Record | None:
        """The newest sign-off naming ``checklist``, if it was signed off."""
        for record in self._select("kind = ? AND serial = ?", [str(RecordKind.SIGN_OFF), checklist.serial], order_by="seq desc"):
            if record.data.get("checklist_seq") == checklist.seq:
                return record
        return None

    def history(self, serial_or_imei: str) -> list[Record]:
        """A phone's records, named by its serial or its IMEI, oldest first."""
        where = "serial = ? OR (identity IS NOT NULL AND json_extract(identity, '$.imei') = ?)"
        return self._select(where, [serial_or_imei, serial_or_imei], order_by="seq")

    # ---- the log as stored: what a chain check and a depot push read ----------------------------

    def stored_records(self, batch: int = 5000) -> Iterator[StoredRecord]:
        """Every record exactly as stored, in the order it was appended (row id), read in batches."""
        after = 0
        while True:
            rows = self.db.execute(
                f"SELECT id, {', '.join(_RECORD_COLUMNS)} FROM records WHERE id > ? ORDER BY id LIMIT ?", [after, batch]
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield StoredRecord.of_row(row)
            after = rows[-1][0]

    def records_after(self, seq: int, limit: int) -> list[StoredRecord]:
        """Up to ``limit`` records numbered after ``seq``, exactly as stored, in sequence order."""
        rows = self.db.execute(
            f"SELECT id, {', '.join(_RECORD_COLUMNS)} FROM records WHERE seq > ? ORDER BY seq LIMIT ?", [seq, limit]
        ).fetchall()
        return [StoredRecord.of_row(row) for row in rows]

    def last_seq(self) -> int:
        """The newest record's sequence number; 0 for an empty log."""
        return int(self.db.execute("SELECT coalesce(max(seq), 0) FROM records").fetchone()[0])

    def count_after(self, seq: int) -> int:
        return int(self.db.execute("SELECT count(*) FROM records WHERE seq > ?", [seq]).fetchone()[0])

    def public_keys(self) -> dict[str, str]:
        """Every key this log's records may be signed with: key id -> public key (PEM)."""
        return {row["key_id"]: row["public_pem"] for row in self.db.table("keys").rows}

    def pushed_seq(self) -> int:
        """How far this log has been copied to its depot: every record up to this number is there."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [_PUSHED_KEY]).fetchone()
        return int(row[0]) if row else 0

    def mark_pushed(self, seq: int) -> None:
        with self._transaction():
            self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [_PUSHED_KEY, str(seq)])

    def run(self, run_id: str) -> Run:
        return Run.of(self.db.table("runs").get(run_id))

    def public_key_pem(self) -> str:
        """The station's public key, to check its signatures elsewhere."""
        return public_pem(self.key.public)

    def _select(self, where: str | None, args: list[Any] | None, order_by: str = "seq", limit: int | None = None) -> list[Record]:
        return [Record.of(row) for row in self.db.table("records").rows_where(where, args, order_by=order_by, limit=limit)]


def create_log_file(path: Path, station_id: str, public_keys: Mapping[str, str]) -> sqlite3.Connection:
    """A new, empty log at ``path`` for an existing station: its id and its public keys, and no key of this
    PC's (the log's first open finds or makes that). The connection is the caller's to close."""
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    conn = sqlite3.connect(path, isolation_level=None)
    db = sqlite_utils.Database(conn)
    for number, migration in enumerate(MIGRATIONS, start=1):
        with _Transaction(conn):
            migration(db)
            db.execute(f"PRAGMA user_version = {number}")
    with _Transaction(conn):
        db.execute("UPDATE meta SET value = ? WHERE key = 'station_id'", [station_id])
        for key_id, pem in public_keys.items():
            db.execute("INSERT INTO keys (key_id, public_pem, added) VALUES (?, ?, ?)", [key_id, pem, _now()])
    return conn


def append_stored(conn: sqlite3.Connection, rows: Sequence[StoredRecord], pushed: bool = False) -> None:
    """Write records exactly as they were stored elsewhere (a depot's copy), in one transaction, with a
    session (run) row for each run they name; ``pushed``: they came from the depot, which holds them."""
    with _Transaction(conn):
        conn.executemany(_INSERT_RECORD, [{column: getattr(row, column) for column in _RECORD_COLUMNS} for row in rows])
        for row in rows:
            conn.execute("INSERT OR IGNORE INTO runs (id, command, started, finished, outcome, station_id, station_version, "
                         "policy_sha256) VALUES (?, 'restored from the depot', ?, ?, 'restored from the depot', ?, ?, ?)",
                         [row.run_id, row.time, row.time, row.station_id, row.station_version, row.policy_sha256])
        if pushed and rows:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [_PUSHED_KEY, str(rows[-1].seq)])


@functools.lru_cache(maxsize=1024)
def _identity_json(identity: DeviceIdentity) -> str:
    """A phone's identity as recorded: the same for each of the dozen records a run writes about it
    (DeviceIdentity is frozen, so an equal identity always encodes the same)."""
    return json.dumps(asdict(identity), sort_keys=True)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT on an autocommit connection; ROLLBACK on error."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.conn.execute("COMMIT" if exc_type is None else "ROLLBACK")
