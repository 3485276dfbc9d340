"""What the station asks of the depot: a phone's history, the stations' status, and each station's
records read back for verification (through audit's one chain checker)."""

from __future__ import annotations

import json
from collections.abc import Generator, Sequence

import psycopg
from psycopg.rows import dict_row

from station.audit.history import HistoryEntry, details
from station.audit.records import StoredRecord
from station.audit.signing import load_public
from station.audit.verify import Checkpoint, check_chain
from station.depot.model import StationStatus, StationVerdict

_STORED = ("seq", "prev_hash", "time", "run_id", "kind", "address", "serial", "platform", "identity", "data",
           "station_id", "station_version", "policy_sha256", "operator", "key_id", "hash", "signature")
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


def station_names(conn: psycopg.Connection[tuple[object, ...]]) -> list[tuple[str, str]]:
    """Every station of the depot: (name, station id), by name."""
    return [(str(name), str(sid)) for name, sid in conn.execute("SELECT name, station_id FROM stations ORDER BY name").fetchall()]


def verify_station(conn: psycopg.Connection[tuple[object, ...]], name: str, station_id: str,
                   checked: tuple[int, str] | None = None) -> StationVerdict:
    """One station's chain and signatures (those after ``checked`` only, a (seq, hash) this verifier
    checked before), its forks, and any push whose records are gone."""
    registered = conn.execute("SELECT key_id, public_pem FROM station_keys WHERE station_id = %s ORDER BY added, key_id",
                              [station_id]).fetchall()
    keys = {str(key_id): load_public(str(pem)) for key_id, pem in registered}
    problems: list[str] = []
    if len(keys) > 1:
        # Any station's role may register a key, so a second key could sign records in this station's
        # name; a station makes one key in its life. Compare with `station log public-key` at the station.
        problems.append(f"{len(keys)} keys are registered for it ({', '.join(keys)}): a station has one; "
                        "a key added later could sign records in its name")
    with conn.transaction():
        rows = _stream(conn, station_id)
        chain = check_chain(rows, keys, Checkpoint(*checked) if checked else None)
        rows.close()  # a chain found broken early leaves the cursor open: close it inside its transaction
    if not chain.ok:
        problems.append(f"record {chain.seq} (depot row {chain.record_id}): {chain.problem}")
    pushed = conn.execute("SELECT max(up_to_seq) FROM pushes WHERE station_id = %s", [station_id]).fetchone()
    top = last_seq(conn, station_id)
    if chain.ok and pushed and pushed[0] is not None and int(str(pushed[0])) > top:
        gone = int(str(pushed[0]))
        span = f"record {gone}" if gone == top + 1 else f"records {top + 1} to {gone}"
        problems.append(f"{span} were pushed but are no longer in the depot: deleted")
    if chain.ok and checked and checked[0] > chain.count:
        problems.append(f"records {chain.count + 1} to {checked[0]}, verified here before, are no longer in the depot: deleted")
    for seq, held, offered, when in conn.execute(
        "SELECT seq, depot_hash, offered_hash, reported FROM forks WHERE station_id = %s ORDER BY seq, id", [station_id]
    ).fetchall():
        problems.append(f"record {seq}: fork: a second copy of this station offered another record "
                        f"(hash {str(offered)[:12]}, the depot holds {str(held)[:12]}) at {_iso(when)}")
    tip = (chain.tip.seq, chain.tip.hash) if chain.tip and not problems else None
    return StationVerdict(name, station_id, chain.count, tuple(problems), chain.signatures, tip)


def _stream(conn: psycopg.Connection[tuple[object, ...]], station_id: str) -> Generator[StoredRecord, None, None]:
    """The station's records in the order they arrived, through a server-side cursor (a million rows
    never sit in memory at once)."""
    with conn.cursor(name="depot_verify", row_factory=dict_row) as cur:
        cur.itersize = _STREAM
        cur.execute(f"SELECT id, {', '.join(_STORED)} FROM records WHERE station_id = %s ORDER BY id", [station_id])
        for row in cur:
            yield StoredRecord.of(row, int(row["id"]))


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
