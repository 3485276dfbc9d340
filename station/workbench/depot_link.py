"""The station's side of the depot, shared by the CLI and the window: init, join, push, status,
history, verification. Every call to the server has a timeout; a station that has not joined, or whose
depot is unreachable, goes on with its own log."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import multiprocessing
import os
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from station.audit.backup import rebuild_log
from station.audit.history import History, HistoryEntry, own_entries, search_terms
from station.audit.operators import OperatorError, Operators
from station.audit.records import RecordKind
from station.audit.store import Store
from station.audit.verify import HEADS_EVERY
from station.core.errors import DepotError, StationError
from station.core.refusals import Refusal, RefusalKind
from station.depot import documents, queries, schema, staff, sync
from station.depot.config import DepotConfig, DocumentKind, load_checkpoints, load_config, save_checkpoints, save_config
from station.depot.connection import BACKGROUND, Connection, DepotTimeouts, connect, refuse_password, server_errors, server_label
from station.depot.documents import Document
from station.depot.model import StationStatus, StationVerdict, Verified
from station.depot.report import ReportRow, depot_report
from station.workbench.staff import Credentials

PUSH_INTERVAL_S = 1.0  # a record reaches the depot within about this long of its commit
SHARE_INTERVAL_S = 30.0  # an operator added at another bench signs in here within about this long
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DepotStatus:
    joined: bool
    name: str | None
    server: str | None
    connected: bool
    error: str | None
    pending: int  # records in the local log not yet in the depot
    pushed_seq: int
    local_seq: int
    stations: list[StationStatus]


@dataclass(frozen=True)
class RestoredFromDepot:
    name: str
    server: str
    records: int
    aside: Path | None  # the log it replaced, moved aside
    note: str | None  # what could not be done after the restore


@contextmanager
def _session(dsn: str, timeouts: DepotTimeouts = DepotTimeouts(), *, check: bool = True) -> Iterator[Connection]:
    with server_errors(dsn):
        conn = connect(dsn, timeouts)
        try:
            if check:
                schema.check_schema(conn, server_label(dsn))
            yield conn
        finally:
            conn.close()


def joined(data_dir: Path) -> DepotConfig:
    config = load_config(data_dir)
    if config is None:
        raise StationError(f"the station in {data_dir} has not joined a depot: run station depot join DSN --name NAME")
    return config


def init_depot(dsn: str, grant_to: list[str]) -> schema.InitOutcome:
    with _session(dsn, check=False) as conn:
        return schema.init_schema(conn, grant_to)


def join_depot(data_dir: Path, store: Store, dsn: str, name: str) -> sync.PushOutcome:
    """Join under ``name``, keep the DSN (never a password) in the data folder, then push the log so far."""
    refuse_password(dsn)
    if not name.strip():
        raise StationError("a station's name in the depot cannot be empty")
    label = server_label(dsn)
    with _session(dsn) as conn:
        sync.join(store, conn, name, label)
        save_config(data_dir, DepotConfig(dsn, name))
        outcome = sync.push(store, conn, name, label)
        staff.share_operators(store, conn)
        return outcome


def sync_now(data_dir: Path, store: Store, timeouts: DepotTimeouts = DepotTimeouts()) -> sync.PushOutcome:
    """Push the log, share operators both ways (an operator added offline is offered now), and take the
    depot's newest policy and workflows."""
    config = joined(data_dir)
    with _session(config.dsn, timeouts) as conn:
        outcome = sync.push(store, conn, config.name, server_label(config.dsn))
        staff.share_operators(store, conn)
        for problem in documents.pull(conn, data_dir):
            log.warning("%s", problem)
        return outcome


def publish(data_dir: Path, store: Store, kind: DocumentKind, path: Path, supervisor: Credentials) -> Document:
    """A supervisor (by PIN) makes ``path`` the depot's policy or workflow; recorded in this log first."""
    config = joined(data_dir)
    document = documents.read_document(kind, path)
    who = Operators(store).authenticate(supervisor.who, supervisor.pin)
    if not who.supervisor:
        raise OperatorError(Refusal(RefusalKind.PUBLISH_NOT_SUPERVISOR, str(who), str(kind)))
    run = store.start_run("depot publish", None)
    store.record(run, RecordKind.DOCUMENT_PUBLISHED, address="station", platform="", identity=None, operator=who.name,
                 data={"kind": str(kind), "name": document.name, "sha256": document.sha256, "file": str(path)})
    store.finish_run(run, "published")
    with _session(config.dsn) as conn:
        # The signed record first: a station takes only a document such a record backs.
        sync.push(store, conn, config.name, server_label(config.dsn))
        with conn.transaction():
            documents.publish(conn, document, store.station_id, who.name)
        for problem in documents.pull(conn, data_dir):
            log.warning("%s", problem)
    return document


def push_quietly(data_dir: Path, always: bool = True) -> str | None:
    """A push nobody waits for (after a CLI command, or the window's): quick to give up; says why when
    it could not push. ``always`` False skips the server when no record waits."""
    if load_config(data_dir) is None:
        return None
    store = Store.open(data_dir)
    try:
        if not always and not store.count_after(min(store.pushed_seq(), store.last_seq())):
            return None  # nothing to push: no connection (the window asks every second)
        sync_now(data_dir, store, BACKGROUND)
    except DepotError as exc:
        return f"{exc}; {store.count_after(store.pushed_seq())} record(s) wait to be pushed"
    finally:
        store.close()
    return None


def status(data_dir: Path, store: Store) -> DepotStatus:
    config = load_config(data_dir)
    pushed, last = store.pushed_seq(), store.last_seq()
    pending = store.count_after(min(pushed, last))
    if config is None:
        return DepotStatus(False, None, None, False, None, pending, pushed, last, [])
    try:
        with _session(config.dsn) as conn:
            stations = queries.stations(conn)
    except DepotError as exc:
        return DepotStatus(True, config.name, server_label(config.dsn), False, str(exc), pending, pushed, last, [])
    return DepotStatus(True, config.name, server_label(config.dsn), True, None, pending, pushed, last, stations)


def history(data_dir: Path, store: Store, serial_or_imei: str) -> History:
    """This station's records from its own log (fresher than its copy in the depot), the others' from
    the depot; the local log alone when not joined or when the depot cannot be reached."""
    config = load_config(data_dir)
    return with_depot(config, store.station_id, own_entries(store.history(serial_or_imei), config.name if config else None),
                      [serial_or_imei])


def search(data_dir: Path, store: Store, term: str) -> History:
    """What the window's history search finds: this log's records whose serial or identity (IMEI, asset
    tag, model) contains ``term``, and the other stations' records of those phones, or of the phone
    whose serial or IMEI is ``term`` (the depot matches whole serials and IMEIs only)."""
    config = load_config(data_dir)
    own = own_entries(store.search(term), config.name if config else None)
    return with_depot(config, store.station_id, own, search_terms(term, own))


def with_depot(config: DepotConfig | None, station_id: str, own: list[HistoryEntry], terms: list[str],
               timeouts: DepotTimeouts = DepotTimeouts()) -> History:
    """``own`` (this station's entries) with the other stations' entries for ``terms``, oldest first.
    Asks the server: never on a loop or the GUI's thread."""
    if config is None:
        return History(sorted(own, key=_order), None)
    try:
        with _session(config.dsn, timeouts) as conn:
            others = queries.history(conn, terms, station_id)
    except DepotError as exc:
        return History(sorted(own, key=_order), config.name, str(exc))
    return History(sorted(own + others, key=_order), config.name)


def _order(entry: HistoryEntry) -> tuple[str, str, int]:
    return entry.time, entry.station, entry.seq


def reachable(config: DepotConfig) -> str | None:
    """Whether the depot answers now, quickly (the window's status bar asks every few seconds): None if
    it does, else why not."""
    try:
        with _session(config.dsn, BACKGROUND):
            return None
    except DepotError as exc:
        return str(exc)


def report(data_dir: Path, since: dt.date) -> list[ReportRow]:
    config = joined(data_dir)
    with _session(config.dsn) as conn:
        return depot_report(conn, since)


def verify_depot(dsn: str, data_dir: Path, full: bool = False, quick: bool = False) -> list[StationVerdict]:
    """Every station of the depot, checked; stations in parallel, one process per core (checking a
    signature is CPU work, a million of them minutes of it on one core). Unless ``full``, the records
    this data folder's verifier checked on an earlier run are not read again when the server's
    fingerprint of them is unchanged; each intact station's last record becomes where the next run goes
    on from. ``quick`` reads every record, checks every hash and link and only the signed heads'
    signatures (audit.verify.check_chain), and neither uses nor keeps checkpoints."""
    with _session(dsn) as conn:
        stations = queries.station_names(conn)
    known = {} if full or quick else load_checkpoints(data_dir)
    heads = HEADS_EVERY if quick else None
    jobs = [(dsn, name, station_id, known.get(station_id), heads) for name, station_id in stations]
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers <= 1:
        verdicts = [_verify_station(*job) for job in jobs]
    else:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            verdicts = list(pool.map(_verify_station, *zip(*jobs, strict=True)))
    if quick:
        return verdicts
    # A station found not intact keeps its earlier checkpoint, which still names what went missing.
    save_checkpoints(data_dir, {**load_checkpoints(data_dir), **{v.station_id: v.tip for v in verdicts if v.tip}})
    return verdicts


def _verify_station(dsn: str, name: str, station_id: str, before: Verified | None, heads: int | None) -> StationVerdict:
    with _session(dsn, DepotTimeouts(statement_s=600.0)) as conn:  # one statement streams a station's records
        return queries.verify_station(conn, name, station_id, before, heads)


def compare_with_depot(data_dir: Path, store: Store) -> tuple[list[str], str | None]:
    """What the local log lacks that the depot (or its own push mark) shows it once had: records removed
    from its end, or a record that differs from the depot's copy. Returns (problems, note)."""
    config = load_config(data_dir)
    if config is None:
        return [], None
    last, problems = store.last_seq(), []
    if store.pushed_seq() > last:
        problems.append(f"this log was pushed up to record {store.pushed_seq()} but ends at record {last}: "
                        f"records {last + 1} to {store.pushed_seq()} were deleted from its end")
    try:
        with _session(config.dsn) as conn:
            depot_last = queries.last_seq(conn, store.station_id)
            held = queries.hash_at(conn, store.station_id, last) if last else None
    except DepotError as exc:
        return problems, f"not compared with the depot ({exc})"
    if depot_last > last:
        problems.append(f"the depot holds records {last + 1} to {depot_last} of this station, missing from the end of "
                        f"this log: deleted")
    mine = store.records_after(last - 1, 1) if last else []
    if held is not None and mine and mine[0].hash != held:
        problems.append(f"record {last} differs from the depot's copy: edited, or written again after the log was cut short")
    return problems, f"compared with the depot {server_label(config.dsn)}: holds records up to {depot_last}"


def restore_from_depot(data_dir: Path) -> RestoredFromDepot:
    """Rebuild this joined station's log from the depot's copy of its records, checked whole (chain and
    every signature, with the keys the depot holds for it) before it replaces anything; the log it
    replaces is moved aside. Then a sync brings back the operators and the depot's documents."""
    config = joined(data_dir)
    label = server_label(config.dsn)
    with _session(config.dsn, DepotTimeouts(statement_s=600.0)) as conn:  # one statement streams the records
        station_id = queries.station_named(conn, config.name)
        if station_id is None:
            raise StationError(f"depot {label}: has no station named {config.name!r}, so no copy of this station's log")
        keys = queries.station_keys(conn, station_id)
        with conn.transaction():
            rows = queries.station_records(conn, station_id)
            try:
                rebuilt = rebuild_log(data_dir, station_id, keys, rows, f"depot {label}")
            finally:
                rows.close()  # a chain found broken early leaves the cursor open: close it inside its transaction
    note = None
    store = Store.open(data_dir)
    try:
        sync_now(data_dir, store)
    except DepotError as exc:
        note = f"operators and documents not yet taken from the depot ({exc}); the next sync takes them"
    finally:
        store.close()
    return RestoredFromDepot(config.name, label, rebuilt.records, rebuilt.aside, note)


async def push_periodically(data_dir: Path) -> None:
    """The window's device process: push every few seconds on a worker thread, so a slow or absent
    server never holds up a phone's job on the loop. Runs until cancelled."""
    last_shared = 0.0
    while True:
        # Records as soon as they wait; operators from the other stations every SHARE_INTERVAL_S.
        share = time.monotonic() - last_shared >= SHARE_INTERVAL_S
        note = await asyncio.to_thread(push_quietly, data_dir, share)
        if share and not note:
            last_shared = time.monotonic()
        if note:
            log.info("%s", note)
        await asyncio.sleep(PUSH_INTERVAL_S)

