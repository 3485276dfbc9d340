"""Operators shared through the depot: each station offers the operators it knows (PIN hashes and
locks included) and adopts those added elsewhere, so an operator added at one bench signs in at every
bench. The depot's copy is append-only: the first station to share a badge defines it; a lock is a new
row, and the latest lock of a badge holds everywhere. Offline, a station keeps the copy it had."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import psycopg

from station.audit.operators import Operators, Role, SharedOperator
from station.audit.store import Store


@dataclass(frozen=True)
class StaffSync:
    offered: int  # operators this station shared that the depot did not know
    adopted: int  # operators from other stations this station now knows
    locks: int  # locks from other stations applied here
    pins: int  # PINs set again at other stations, newer than this station's, taken here


def share_operators(store: Store, conn: psycopg.Connection[tuple[object, ...]]) -> StaffSync:
    operators = Operators(store)
    mine = operators.shared()
    now = dt.datetime.now(dt.UTC)
    with conn.transaction(), conn.cursor() as cur:
        held = {str(badge) for (badge,) in cur.execute("SELECT badge FROM operators").fetchall()}
        new = [o for o in mine if o.badge not in held]
        cur.executemany(
            "INSERT INTO operators (badge, name, role, pin_hash, created, station_id) VALUES (%s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (badge) DO NOTHING",  # another station may share the same badge at the same moment
            [(o.badge, o.name, str(o.role), o.pin_hash, o.created, store.station_id) for o in new],
        )
        active = [o for o in mine if o.locked_until and dt.datetime.fromisoformat(o.locked_until) > now]
        cur.executemany("INSERT INTO operator_locks (badge, locked_until, station_id) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                        [(o.badge, o.locked_until, store.station_id) for o in active])
        changed = [o for o in mine if o.pin_set and o.pin_set != o.created]
        cur.executemany("INSERT INTO operator_pins (badge, pin_hash, pin_set, station_id) VALUES (%s, %s, %s, %s) "
                        "ON CONFLICT DO NOTHING", [(o.badge, o.pin_hash, o.pin_set, store.station_id) for o in changed])
    known = {o.badge for o in mine}
    adopted = 0
    for badge, name, role, pin_hash, created in conn.execute(
        "SELECT badge, name, role, pin_hash, created FROM operators ORDER BY shared, badge"
    ).fetchall():
        if str(badge) not in known:
            adopted += operators.adopt(SharedOperator(str(name), str(badge), Role(str(role)), str(pin_hash), str(created), None))
    locks = 0
    for badge, until in conn.execute(
        "SELECT badge, max(locked_until) FROM operator_locks WHERE station_id <> %s GROUP BY badge", [store.station_id]
    ).fetchall():
        if dt.datetime.fromisoformat(str(until)) > now:
            operators.lock_until(str(badge), str(until))
            locks += 1
    pins = 0
    for badge, pin_hash, pin_set in conn.execute(
        "SELECT DISTINCT ON (badge) badge, pin_hash, pin_set FROM operator_pins ORDER BY badge, pin_set DESC"
    ).fetchall():
        pins += operators.adopt_pin(str(badge), str(pin_hash), str(pin_set))
    return StaffSync(len(new), adopted, locks, pins)
