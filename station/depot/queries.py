"""What the station asks of the depot: a phone's history, the stations' status, and each station's
records read back for verification (through audit's one chain checker)."""

from __future__ import annotations

import json
from collections.abc import Generator, Sequence
from dataclasses import dataclass

import psycopg

from station.audit.history import HistoryEntry, details
from station.audit.records import STORED_COLUMNS, RecordKind, StoredRecord
from station.audit.signing import hash_values, load_public, verify_signature
from station.audit.verify import Checkpoint, check_chain
from station.depot.model import StationStatus, StationVerdict, Verified

_STORED = f"id, {', '.join(STORED_COLUMNS)}"  # a row's id and every stored field, as StoredRecord.of_row reads them
_STREAM = 10_000


def history(conn: psycopg.Connection[tuple[object, ...]], terms: Sequence[str], except_station: str | None) -> list[HistoryEntry]:
    """The records about phones named by any of ``terms`` (each a serial or an IMEI) from every station but
    ``except_station`` (whose own log is fresher), oldest first."""
    rows = conn.execute(
        "SELECT s.name, r.seq, r.kind, r.time, r.serial, r.imei, r.operator, r.run_id, r.data FROM records r "
        "JOIN stations s USING (station_id) "
        "WHERE (r.serial = ANY(%(terms)s) OR r.imei = ANY(%(terms)s)) AND r.station_id IS DISTINCT FROM %(me)s "
        "ORDER BY r.time, s.name, r.seq",
        {"terms": list(terms), "me": except_station},
    ).fetchall()
    return [HistoryEntry(str(name), int(str(seq)), str(kind), str(time), _text(serial), _text(imei), _text(operator), _text(run),
                         _details(data))
            for name, seq, kind, time, serial, imei, operator, run, data in rows]


def stations(conn: psycopg.Connection[tuple[object, ...]]) -> list[StationStatus]:
    rows = conn.execute(
        "SELECT s.name, s.station_id, s.joined, coalesce(r.n, 0), coalesce(r.last_seq, 0), p.last_push "
        "FROM stations s "
        "LEFT JOIN (SELECT station_id, count(*) AS n, max(seq) AS last_seq FROM records GROUP BY station_id) r USING (station_id) "
        "LEFT JOIN (SELECT station_id, max(pushed) AS last_push FROM pushes GROUP BY station_id) p USING (station_id) "
        "ORDER BY s.name"
    ).fetchall()
    return [StationStatus(str(name), str(sid), _iso(joined) or "", int(str(n)), int(str(last)), _iso(push))
            for name, sid, joined, n, last, push in rows]


def last_seq(conn: psycopg.Connection[tuple[object, ...]], station_id: str) -> int:
    """The depot's last sequence number for a station (0 for none)."""
    row = conn.execute("SELECT max(seq) FROM records WHERE station_id = %s", [station_id]).fetchone()
    return int(str(row[0])) if row and row[0] is not None else 0


def hash_at(conn: psycopg.Connection[tuple[object, ...]], station_id: str, seq: int) -> str | None:
    row = conn.execute("SELECT hash FROM records WHERE station_id = %s AND seq = %s", [station_id, seq]).fetchone()
    return str(row[0]) if row else None


def station_named(conn: psycopg.Connection[tuple[object, ...]], name: str) -> str | None:
    """The station id of the depot's station called ``name``, if there is one."""
    row = conn.execute("SELECT station_id FROM stations WHERE name = %s", [name]).fetchone()
    return None if row is None else str(row[0])


def station_keys(conn: psycopg.Connection[tuple[object, ...]], station_id: str) -> dict[str, str]:
    """The public keys registered for a station: key id -> PEM."""
    return {str(key_id): str(pem) for key_id, pem in
            conn.execute("SELECT key_id, public_pem FROM station_keys WHERE station_id = %s", [station_id]).fetchall()}


def station_records(conn: psycopg.Connection[tuple[object, ...]], station_id: str) -> Generator[StoredRecord, None, None]:
    """Every record of a station exactly as pushed, in the order they arrived; read inside a transaction
    (a server-side cursor), to the end or closed."""
    return _stream(conn, station_id, after_row=0)


def station_names(conn: psycopg.Connection[tuple[object, ...]]) -> list[tuple[str, str]]:
    """Every station of the depot: (name, station id), by name."""
    return [(str(name), str(sid)) for name, sid in conn.execute("SELECT name, station_id FROM stations ORDER BY name").fetchall()]


def verify_station(conn: psycopg.Connection[tuple[object, ...]], name: str, station_id: str,
                   before: Verified | None = None, heads: int | None = None) -> StationVerdict:
    """One station's chain and signatures, its forks, and any push whose records are gone.

    With ``before`` (how far this verifier checked on an earlier run), the server first fingerprints
    the rows up to there: unchanged, only the newer records are read and checked; changed, every record
    is, and the change is named."""
    keys = {key_id: load_public(pem) for key_id, pem in station_keys(conn, station_id).items()}
    problems: list[str] = []
    if len(keys) > 1:
        # Any station's role may register a key, so a second key could sign records in this station's
        # name; a station makes one key in its life. Compare with `station log public-key` at the station.
        problems.append(f"{len(keys)} keys are registered for it ({', '.join(keys)}): a station has one; "
                        "a key added later could sign records in its name")
    with conn.transaction():
        # One snapshot for the fingerprints and the rows read, so a push arriving meanwhile is in both or neither.
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        prints = _fingerprints(conn, station_id, before.row_id if before else 0)
        unchanged = before is not None and prints.before == before.fingerprint
        rows = _stream(conn, station_id, after_row=before.row_id if before and unchanged else 0)
        chain = check_chain(rows, keys, Checkpoint(before.seq, before.hash) if before and unchanged else None, heads)
        rows.close()  # a chain found broken early leaves the cursor open: close it inside its transaction
    if not chain.ok:
        problems.append(f"record {chain.seq} (depot row {chain.record_id}): {chain.problem}")
    pushed = conn.execute("SELECT max(up_to_seq) FROM pushes WHERE station_id = %s", [station_id]).fetchone()
    top = last_seq(conn, station_id)
    if chain.ok and pushed and pushed[0] is not None and int(str(pushed[0])) > top:
        gone = int(str(pushed[0]))
        span = f"record {gone}" if gone == top + 1 else f"records {top + 1} to {gone}"
        problems.append(f"{span} were pushed but are no longer in the depot: deleted")
    if chain.ok and before and before.seq > chain.count:
        problems.append(f"records {chain.count + 1} to {before.seq}, verified here before, are no longer in the depot: deleted")
    elif chain.ok and before and not unchanged:
        problems.append(f"records 1 to {before.seq}, verified here before, are no longer stored as they were then, "
                        "though each still checks: rewritten in the depot")
    for seq, held, offered, when in conn.execute(
        "SELECT seq, depot_hash, offered_hash, reported FROM forks WHERE station_id = %s ORDER BY seq, id", [station_id]
    ).fetchall():
        problems.append(f"record {seq}: fork: a second copy of this station offered another record "
                        f"(hash {str(offered)[:12]}, the depot holds {str(held)[:12]}) at {_iso(when)}")
    tip = (Verified(chain.tip.seq, chain.tip.hash, prints.last_row, prints.whole)
           if chain.tip and not problems and prints.last_row is not None else None)
    return StationVerdict(name, station_id, chain.count, tuple(problems), chain.signatures, tip)


@dataclass(frozen=True)
class _Fingerprints:
    before: str  # of the rows up to a row id
    whole: str  # of every row
    last_row: int | None


def _fingerprints(conn: psycopg.Connection[tuple[object, ...]], station_id: str, up_to_row: int) -> _Fingerprints:
    """SHA-256 over each row's every stored field and id, in arrival order, computed by the server in one
    pass: comparing it with a fingerprint kept from an earlier run shows whether any byte of those rows
    changed without sending a year of records over the network to be hashed again."""
    row = conn.execute(
        "SELECT encode(pg_catalog.sha256(coalesce(string_agg(h, ''::bytea ORDER BY id) FILTER (WHERE id <= %(upto)s), ''::bytea)), 'hex'), "
        "encode(pg_catalog.sha256(coalesce(string_agg(h, ''::bytea ORDER BY id), ''::bytea)), 'hex'), max(id) "
        f"FROM (SELECT r.id, pg_catalog.sha256(convert_to(r::text, 'UTF8')) AS h FROM (SELECT {_STORED} "
        "FROM records WHERE station_id = %(sid)s) r) f",
        {"upto": up_to_row, "sid": station_id},
    ).fetchone()
    assert row is not None  # an aggregate always gives a row
    return _Fingerprints(str(row[0]), str(row[1]), None if row[2] is None else int(str(row[2])))


def _stream(conn: psycopg.Connection[tuple[object, ...]], station_id: str, after_row: int) -> Generator[StoredRecord, None, None]:
    """The station's records after depot row ``after_row``, in the order they arrived, through a
    server-side cursor (a million rows never sit in memory at once)."""
    with conn.cursor(name="depot_verify") as cur:
        cur.itersize = _STREAM
        cur.execute(f"SELECT {_STORED} FROM records WHERE station_id = %s AND id > %s ORDER BY id",
                    [station_id, after_row])
        for row in cur:
            yield StoredRecord.of_row(row)


def publication_is_signed(conn: psycopg.Connection[tuple[object, ...]], station_id: str, kind: str, name: str, sha256: str) -> bool:
    """Whether ``station_id`` recorded a supervisor publishing this very document, in a record whose hash
    and signature check with the station's first key: a row written into the documents table by anyone
    else (any station's database login may INSERT there) backs nothing."""
    first_key = conn.execute("SELECT key_id, public_pem FROM station_keys WHERE station_id = %s ORDER BY added, key_id LIMIT 1",
                             [station_id]).fetchone()
    if first_key is None:
        return False
    key_id, key = str(first_key[0]), load_public(str(first_key[1]))
    rows = conn.execute(
        f"SELECT {_STORED} FROM records WHERE station_id = %s AND kind = %s "
        "AND data::jsonb ->> 'kind' = %s AND data::jsonb ->> 'name' = %s AND data::jsonb ->> 'sha256' = %s",
        [station_id, str(RecordKind.DOCUMENT_PUBLISHED), kind, name, sha256],
    ).fetchall()
    for row in rows:
        record = StoredRecord.of_row(row)
        if (record.key_id == key_id and record.hash == hash_values(record.hashed_values())
                and verify_signature(key, record.hash, record.signature or "")):
            return True
    return False


def _details(data: object) -> str:
    """What a record's data holds, on one line; its stored text is JSON as written (a record edited into
    something else is verify's to name, so here it just says nothing)."""
    try:
        decoded = json.loads(str(data)) if data is not None else {}
    except ValueError:
        return ""
    return details(decoded) if isinstance(decoded, dict) else ""


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _iso(value: object) -> str | None:
    if value is None:
        return None
    isoformat = getattr(value, "isoformat", None)
    return str(isoformat(timespec="milliseconds")) if callable(isoformat) else str(value)
