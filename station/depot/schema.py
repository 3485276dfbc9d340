"""The depot's tables on PostgreSQL, versioned: each migration runs once, in order, in one transaction.

Stations only ever add to the record: the ``depot_station`` role is granted SELECT and INSERT, never
UPDATE, DELETE or TRUNCATE, and a trigger refuses those to every other role too (the table owner
included). Only a superuser who switches triggers off can change a row, and ``station depot verify``
names what was changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import errors, sql

from station.core.errors import DepotError

STATION_ROLE = "depot_station"

_MIGRATION_1 = """
CREATE TABLE depot_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE stations (
    station_id text PRIMARY KEY,          -- the station's log's own id (its meta table)
    name text NOT NULL UNIQUE,
    joined timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE station_keys (
    station_id text NOT NULL REFERENCES stations,
    key_id text NOT NULL,
    public_pem text NOT NULL,
    added timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (station_id, key_id)
);
-- Every hashed field exactly as the station stored it (text, as in its SQLite log), so any record's hash
-- and signature can be checked here; id is the order rows arrived in, which a chain check follows.
CREATE TABLE records (
    id bigserial PRIMARY KEY,
    station_id text NOT NULL REFERENCES stations,
    seq bigint NOT NULL,
    prev_hash text NOT NULL,
    time text NOT NULL,
    run_id text,
    kind text NOT NULL,
    address text,
    serial text,
    platform text,
    identity text,
    data text,
    station_version text,
    policy_sha256 text,
    operator text,
    key_id text NOT NULL,
    hash text NOT NULL,
    signature text NOT NULL,
    imei text GENERATED ALWAYS AS (identity::jsonb ->> 'imei') STORED,
    pushed timestamptz NOT NULL DEFAULT now(),
    UNIQUE (station_id, seq)
);
CREATE INDEX records_station_order ON records (station_id, id);  -- a station's chain, as it arrived
CREATE INDEX records_serial ON records (serial);
CREATE INDEX records_imei ON records (imei);
-- One row per pushed batch: when each station last pushed, and how far (a record deleted from the end
-- of a station's records still leaves its push behind).
CREATE TABLE pushes (
    id bigserial PRIMARY KEY,
    station_id text NOT NULL REFERENCES stations,
    up_to_seq bigint NOT NULL,
    up_to_hash text NOT NULL,
    count integer NOT NULL,
    pushed timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pushes_station ON pushes (station_id, up_to_seq);
-- A second, different record offered for a station and sequence number already held: refused, kept here.
CREATE TABLE forks (
    id bigserial PRIMARY KEY,
    station_id text NOT NULL,
    seq bigint NOT NULL,
    depot_hash text NOT NULL,
    offered_hash text NOT NULL,
    reported timestamptz NOT NULL DEFAULT now()
);
CREATE FUNCTION depot_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the depot''s % table is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
"""

# Operators added at any station, PIN hashes included, and their locks: every station of the depot signs
# them in, and keeps the last copy it had when offline. The depot's policy and workflows likewise.
_MIGRATION_2 = """
CREATE TABLE operators (
    badge text PRIMARY KEY,
    name text NOT NULL,
    role text NOT NULL,
    pin_hash text NOT NULL,
    created text NOT NULL,
    station_id text NOT NULL REFERENCES stations,
    shared timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE operator_locks (
    badge text NOT NULL REFERENCES operators,
    locked_until text NOT NULL,
    station_id text NOT NULL REFERENCES stations,
    shared timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (badge, locked_until)
);
-- The depot's policy and workflows: the newest of each kind and name is the one every station uses.
CREATE TABLE documents (
    id bigserial PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('policy', 'workflow')),
    name text NOT NULL,
    sha256 text NOT NULL,
    content text NOT NULL,
    station_id text NOT NULL REFERENCES stations,
    published_by text NOT NULL,
    published timestamptz NOT NULL DEFAULT now()
);
"""


# Each station's rows are written only by the database login that holds it: the first login to push for
# a station holds it (at its join; a station that joined before this migration, at its next push), and
# row-level security lets no other login add records, keys, pushes, forks, operators, locks or documents
# in that station's name. Reading stays open to every station: histories and verification span the depot.
# Superusers and the tables' owner are not bound by these policies, as PostgreSQL makes them.
_OWN_ROWS = ("records", "station_keys", "pushes", "forks", "operators", "operator_locks", "documents")
_MIGRATION_3 = """
CREATE TABLE station_logins (
    station_id text PRIMARY KEY REFERENCES stations,
    login name NOT NULL,
    claimed timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE stations ENABLE ROW LEVEL SECURITY;
CREATE POLICY stations_read ON stations FOR SELECT USING (true);
CREATE POLICY stations_join ON stations FOR INSERT WITH CHECK (true);
ALTER TABLE station_logins ENABLE ROW LEVEL SECURITY;
CREATE POLICY station_logins_read ON station_logins FOR SELECT USING (true);
CREATE POLICY station_logins_claim ON station_logins FOR INSERT WITH CHECK (login = current_user);
""" + "".join(f"""
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
CREATE POLICY {table}_read ON {table} FOR SELECT USING (true);
CREATE POLICY {table}_own ON {table} FOR INSERT WITH CHECK (
    EXISTS (SELECT 1 FROM station_logins l WHERE l.station_id = {table}.station_id AND l.login = current_user));
""" for table in _OWN_ROWS)


# A PIN its operator set again at one station (the rule now asks 6 to 12 digits, and PINs are changed
# after a copy of the log is lost): every station takes the newest for each badge.
_MIGRATION_4 = """
CREATE TABLE operator_pins (
    badge text NOT NULL REFERENCES operators,
    pin_hash text NOT NULL,
    pin_set text NOT NULL,
    station_id text NOT NULL REFERENCES stations,
    shared timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (badge, pin_set)
);
ALTER TABLE operator_pins ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_pins_read ON operator_pins FOR SELECT USING (true);
CREATE POLICY operator_pins_own ON operator_pins FOR INSERT WITH CHECK (
    EXISTS (SELECT 1 FROM station_logins l WHERE l.station_id = operator_pins.station_id AND l.login = current_user));
"""


@dataclass(frozen=True)
class Migration:
    sql: str
    tables: tuple[str, ...]  # the tables it creates: append-only, stations may INSERT and SELECT
    sequences: tuple[str, ...] = ()


MIGRATIONS: tuple[Migration, ...] = (
    Migration(_MIGRATION_1, ("stations", "station_keys", "records", "pushes", "forks"),
              ("records_id_seq", "pushes_id_seq", "forks_id_seq")),
    Migration(_MIGRATION_2, ("operators", "operator_locks", "documents"), ("documents_id_seq",)),
    Migration(_MIGRATION_3, ("station_logins",)),
    Migration(_MIGRATION_4, ("operator_pins",)),
)
SCHEMA_VERSION = len(MIGRATIONS)


def append_only_tables() -> tuple[str, ...]:
    return tuple(table for migration in MIGRATIONS for table in migration.tables)


def _sequences() -> tuple[str, ...]:
    return tuple(sequence for migration in MIGRATIONS for sequence in migration.sequences)


@dataclass(frozen=True)
class InitOutcome:
    from_version: int
    to_version: int
    role_created: bool
    grants_needed: str | None  # the statements an administrator must run, when this role could not


def init_schema(conn: psycopg.Connection[tuple[object, ...]], grant_to: list[str]) -> InitOutcome:
    """Create or migrate the schema (safe to run again, and from two stations at once), then the role
    stations use and its grants."""
    with conn.transaction():
        # One init at a time: a second waits here, then finds the schema current.
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('depot-station schema'))")
        current = _version(conn)
        if current > SCHEMA_VERSION:
            raise DepotError(f"the depot's schema is version {current}, newer than this station knows ({SCHEMA_VERSION}); "
                             "update the station")
        for number in range(current + 1, SCHEMA_VERSION + 1):
            migration = MIGRATIONS[number - 1]
            conn.execute(migration.sql.encode())
            _append_only_triggers(conn, migration.tables)
            conn.execute("INSERT INTO depot_meta (key, value) VALUES ('schema_version', %s) "
                         "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [str(number)])
    created, needed = _station_role(conn, grant_to)
    return InitOutcome(current, SCHEMA_VERSION, created, needed)


def check_schema(conn: psycopg.Connection[tuple[object, ...]], label: str) -> None:
    """A station works only with the schema it knows."""
    current = _version(conn)
    if current == 0:
        raise DepotError(f"depot {label}: has no depot tables; run station depot init DSN first")
    if current != SCHEMA_VERSION:
        what = "update the station" if current > SCHEMA_VERSION else "run station depot init DSN to migrate it"
        raise DepotError(f"depot {label}: its schema is version {current}, this station's is {SCHEMA_VERSION}; {what}")


def grant_statements(grant_to: list[str]) -> str:
    """What init runs for the station role, for an administrator to run by hand when init may not."""
    lines = [
        f"CREATE ROLE {STATION_ROLE} NOLOGIN;",
        f"GRANT SELECT, INSERT ON {', '.join(append_only_tables())} TO {STATION_ROLE};",
        f"GRANT SELECT ON depot_meta TO {STATION_ROLE};",
        f"GRANT USAGE ON SEQUENCE {', '.join(_sequences())} TO {STATION_ROLE};",
        *(f"GRANT {STATION_ROLE} TO {role};" for role in grant_to),
    ]
    return "\n".join(lines)


def _version(conn: psycopg.Connection[tuple[object, ...]]) -> int:
    exists = conn.execute("SELECT to_regclass('depot_meta') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return 0
    row = conn.execute("SELECT value FROM depot_meta WHERE key = 'schema_version'").fetchone()
    return int(str(row[0])) if row else 0


def _append_only_triggers(conn: psycopg.Connection[tuple[object, ...]], tables: tuple[str, ...]) -> None:
    for table in tables:
        name = sql.Identifier(table)
        conn.execute(sql.SQL("CREATE TRIGGER {} BEFORE UPDATE OR DELETE ON {} FOR EACH ROW EXECUTE FUNCTION depot_append_only()")
                     .format(sql.Identifier(f"{table}_append_only"), name))
        conn.execute(sql.SQL("CREATE TRIGGER {} BEFORE TRUNCATE ON {} FOR EACH STATEMENT EXECUTE FUNCTION depot_append_only()")
                     .format(sql.Identifier(f"{table}_no_truncate"), name))


def _station_role(conn: psycopg.Connection[tuple[object, ...]], grant_to: list[str]) -> tuple[bool, str | None]:
    """Create ``depot_station`` and grant it INSERT and SELECT; with no right to, say what to run."""
    role = sql.Identifier(STATION_ROLE)
    try:
        with conn.transaction():
            created = False
            if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [STATION_ROLE]).fetchone():
                conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(role))
                created = True
            tables = sql.SQL(", ").join(sql.Identifier(table) for table in append_only_tables())
            conn.execute(sql.SQL("GRANT SELECT, INSERT ON {} TO {}").format(tables, role))
            conn.execute(sql.SQL("GRANT SELECT ON depot_meta TO {}").format(role))
            sequences = sql.SQL(", ").join(sql.Identifier(sequence) for sequence in _sequences())
            conn.execute(sql.SQL("GRANT USAGE ON SEQUENCE {} TO {}").format(sequences, role))
            for member in grant_to:
                conn.execute(sql.SQL("GRANT {} TO {}").format(role, sql.Identifier(member)))
    except errors.InsufficientPrivilege:
        return False, grant_statements(grant_to)
    return created, None
