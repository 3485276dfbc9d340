"""Joining a depot and pushing a station's log to it.

A record is committed to the station's own log first; a push copies what the depot does not have yet, in
sequence order, in batches, with the hash and signature as written. Each batch is one transaction that
also reads back what the depot now holds for those numbers: a number it already held with a different
record is a fork, refused (the batch is rolled back) and kept in the forks table. Only after the commit
does the local "pushed up to" mark move, so a push killed at any moment is repeated, never lost, and a
repeated record is stored once (the depot's (station, seq) is unique).
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from station.audit.records import StoredRecord
from station.audit.store import Store
from station.core.errors import DepotError, DepotFork

BATCH = 1000

_INSERT = """
INSERT INTO records (station_id, seq, prev_hash, time, run_id, kind, address, serial, platform, identity, data,
                     station_version, policy_sha256, operator, key_id, hash, signature)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (station_id, seq) DO NOTHING
"""


@dataclass(frozen=True)
class PushOutcome:
    pushed: int  # records sent in this push (a record the depot already held counts once more, stored once)
    up_to: int  # the local log is in the depot up to this sequence number


def join(store: Store, conn: psycopg.Connection[tuple[object, ...]], name: str, label: str) -> None:
    """Register this station under ``name`` with its public keys; joining again under the same name is a no-op."""
    with conn.transaction():
        row = conn.execute("SELECT name FROM stations WHERE station_id = %s", [store.station_id]).fetchone()
        if row and row[0] != name:
            raise DepotError(f"depot {label}: this station already joined as {row[0]!r}; join again with --name {row[0]}")
        taken = conn.execute("SELECT station_id FROM stations WHERE name = %s", [name]).fetchone()
        if taken and taken[0] != store.station_id:
            raise DepotError(f"depot {label}: another station is already named {name!r}; choose another --name")
        if not row:
            conn.execute("INSERT INTO stations (station_id, name) VALUES (%s, %s)", [store.station_id, name])
        _claim(store, conn, name, label)
        _register_keys(store, conn)


def push(store: Store, conn: psycopg.Connection[tuple[object, ...]], name: str, label: str, batch: int | None = None) -> PushOutcome:
    """Push every record the depot does not have yet, ``batch`` (default BATCH) per transaction; DepotFork
    when one of its numbers holds another record."""
    batch = batch or BATCH
    with conn.transaction():
        _claim(store, conn, name, label)
        _register_keys(store, conn)
    # A log cut short below its mark starts again from its end: what it writes next is checked against
    # what the depot holds, and a different record under a pushed number is reported as a fork.
    mark = min(store.pushed_seq(), store.last_seq())
    pushed = 0
    while rows := store.records_after(mark, batch):
        forks = _push_batch(conn, rows)
        if forks:
            _report_forks(conn, forks)
            first, held = forks[0]
            raise DepotFork(
                f"depot {label}: station {name} record {first.seq} is already in the depot as another record "
                f"(depot hash {held[:12]}, this log's {str(first.hash)[:12]}): a fork (a copied data folder, or a log cut "
                f"short and written again); refused, not merged. Give each PC its own data folder."
            )
        mark = rows[-1].seq or mark
        store.mark_pushed(mark)
        pushed += len(rows)
    return PushOutcome(pushed, mark)


def _push_batch(conn: psycopg.Connection[tuple[object, ...]], rows: list[StoredRecord]) -> list[tuple[StoredRecord, str]]:
    """Insert one batch and check it landed as sent; the records whose numbers hold something else."""
    station_id = rows[0].station_id
    try:
        with conn.transaction(), conn.cursor() as cur:
            cur.executemany(_INSERT, [_params(row) for row in rows])
            cur.execute("SELECT seq, hash FROM records WHERE station_id = %s AND seq BETWEEN %s AND %s",
                        [station_id, rows[0].seq, rows[-1].seq])
            held = {int(str(seq)): str(digest) for seq, digest in cur.fetchall()}
            forks = [(row, held.get(row.seq or 0, "")) for row in rows if held.get(row.seq or 0) != row.hash]
            if forks:
                raise _Refused(forks)  # rolls the whole batch back
            last = rows[-1]
            cur.execute("INSERT INTO pushes (station_id, up_to_seq, up_to_hash, count) VALUES (%s, %s, %s, %s)",
                        [station_id, last.seq, last.hash, len(rows)])
    except _Refused as refused:
        return refused.forks
    return []


class _Refused(Exception):
    def __init__(self, forks: list[tuple[StoredRecord, str]]) -> None:
        self.forks = forks


def _report_forks(conn: psycopg.Connection[tuple[object, ...]], forks: list[tuple[StoredRecord, str]]) -> None:
    with conn.transaction(), conn.cursor() as cur:
        cur.executemany("INSERT INTO forks (station_id, seq, depot_hash, offered_hash) VALUES (%s, %s, %s, %s)",
                        [(row.station_id, row.seq, held, row.hash) for row, held in forks])


def _claim(store: Store, conn: psycopg.Connection[tuple[object, ...]], name: str, label: str) -> None:
    """Hold this station for the login it connects as, unless another login holds it already."""
    conn.execute("INSERT INTO station_logins (station_id, login) VALUES (%s, current_user) ON CONFLICT (station_id) DO NOTHING",
                 [store.station_id])
    row = conn.execute("SELECT login, current_user FROM station_logins WHERE station_id = %s", [store.station_id]).fetchone()
    if row and row[0] != row[1]:
        raise DepotError(f"depot {label}: station {name} is held by the database login {row[0]!r}, and this station connects "
                         f"as {row[1]!r}; each station writes only with the login it joined with (put that login in the DSN)")


def _register_keys(store: Store, conn: psycopg.Connection[tuple[object, ...]]) -> None:
    with conn.cursor() as cur:
        cur.executemany("INSERT INTO station_keys (station_id, key_id, public_pem) VALUES (%s, %s, %s) "
                        "ON CONFLICT DO NOTHING",
                        [(store.station_id, key_id, pem) for key_id, pem in store.public_keys().items()])


def _params(row: StoredRecord) -> tuple[object, ...]:
    return (row.station_id, row.seq, row.prev_hash, row.time, row.run_id, row.kind, row.address, row.serial,
            row.platform, row.identity, row.data, row.station_version, row.policy_sha256, row.operator, row.key_id,
            row.hash, row.signature)
