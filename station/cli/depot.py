"""The `station depot ...` and `station history` commands, and the push after each command that writes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from station.audit.store import Store
from station.audit.verify import HEADS_EVERY
from station.cli import EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNREACHABLE
from station.cli.output import print_depot_status, print_history, write_report_csv, write_report_pdf
from station.core.errors import StationError
from station.depot.config import DocumentKind
from station.workbench import depot_link
from station.workbench.datadir import resolve_data_dir
from station.workbench.staff import Credentials

# The commands after which the station pushes what they recorded (they write to the log).
WRITERS = frozenset({"scan", "remove", "provision", "return", "operator", "retire"})


def depot(args: argparse.Namespace) -> int:  # noqa: PLR0911 - one return per subcommand
    if args.depot_command == "init":
        return _init(args.dsn, args.grant)
    data_dir = resolve_data_dir(args.data_dir)
    if args.depot_command == "verify":
        return _verify(args.dsn or depot_link.joined(data_dir).dsn, data_dir, args.full, args.quick)
    if args.depot_command == "report":
        return _report(args, data_dir)
    store = Store.open(data_dir)
    try:
        if args.depot_command == "join":
            outcome = depot_link.join_depot(data_dir, store, args.dsn, args.name)
            print(f"joined the depot as {args.name}; pushed {outcome.pushed} record(s), "
                  f"the depot has this log up to record {outcome.up_to}")
            return EXIT_CLEAN
        if args.depot_command == "publish":
            return _publish(args, data_dir, store)
        if args.depot_command == "sync":
            outcome = depot_link.sync_now(data_dir, store)
            print(f"pushed {outcome.pushed} record(s); the depot has this log up to record {outcome.up_to}")
            return EXIT_CLEAN
        state = depot_link.status(data_dir, store)
    finally:
        store.close()
    print_depot_status(state, args.json)
    return EXIT_UNREACHABLE if state.joined and not state.connected else EXIT_CLEAN


def history(args: argparse.Namespace) -> int:
    data_dir = resolve_data_dir(args.data_dir)
    store = Store.open(data_dir)
    try:
        found = depot_link.history(data_dir, store, args.phone)
    finally:
        store.close()
    if found.note:
        print(f"station: {found.note}", file=sys.stderr)
    print_history(found.entries, args.json)
    return EXIT_CLEAN


def push_after(args: argparse.Namespace) -> None:
    """After a command that wrote to the log: push it now, giving up quickly (the records wait safely)."""
    if args.command not in WRITERS:
        return
    note = depot_link.push_quietly(resolve_data_dir(args.data_dir))
    if note:
        print(f"station: {note}", file=sys.stderr)


def _init(dsn: str, grant_to: list[str]) -> int:
    outcome = depot_link.init_depot(dsn, grant_to)
    if outcome.from_version == outcome.to_version:
        print(f"depot schema already at version {outcome.to_version}")
    else:
        print(f"depot schema migrated from version {outcome.from_version} to {outcome.to_version}")
    if outcome.grants_needed:
        print("this role may not create roles or grant; ask the server's administrator to run:\n" + outcome.grants_needed)
    elif grant_to:
        print(f"stations may connect as: {', '.join(grant_to)} (INSERT and SELECT only)")
    return EXIT_CLEAN


def _publish(args: argparse.Namespace, data_dir: Path, store: Store) -> int:
    from station.cli.commands import pin_of

    supervisor = Credentials(args.supervisor, pin_of("STATION_SUPERVISOR_PIN", args.supervisor))
    document = depot_link.publish(data_dir, store, DocumentKind(args.kind), args.file, supervisor)
    print(f"{args.file}: now the depot's {document.kind} {document.name} (sha256 {document.sha256[:12]}); "
          "each station takes it at its next sync")
    return EXIT_CLEAN


def _report(args: argparse.Namespace, data_dir: Path) -> int:
    kind = args.output.suffix.lower()
    if kind not in (".csv", ".pdf"):
        raise StationError(f"{args.output}: name the report .pdf (to print) or .csv (for a spreadsheet)")
    rows = depot_link.report(data_dir, args.since)
    if kind == ".pdf":
        write_report_pdf(rows, args.since.isoformat(), args.output)
    else:
        with args.output.open("w", newline="", encoding="utf-8") as out:
            write_report_csv(rows, out)
    print(f"{args.output}: {len(rows)} row(s), one per day, station and operator, since {args.since}")
    return EXIT_CLEAN


def _verify(dsn: str, data_dir: Path, full: bool, quick: bool) -> int:
    verdicts = depot_link.verify_depot(dsn, data_dir, full, quick)
    for verdict in verdicts:
        if verdict.ok and quick:
            print(f"station {verdict.name}: intact, {verdict.records} records, every hash checks and the signatures of its "
                  f"{verdict.signatures} head(s) (every {HEADS_EVERY}th record and the last), which vouch for every record")
        elif verdict.ok:
            earlier = verdict.records - verdict.signatures
            how = f" ({verdict.signatures} signatures checked now, {earlier} on earlier runs)" if earlier else ""
            print(f"station {verdict.name}: intact, {verdict.records} records, every hash and signature checks{how}")
        for problem in verdict.problems:
            print(f"station {verdict.name}: NOT intact: {problem}")
    bad = [v for v in verdicts if not v.ok]
    total = sum(v.records for v in verdicts)
    if bad:
        print(f"depot NOT intact: {len(bad)} of {len(verdicts)} station(s) have problems")
        return EXIT_FINDINGS
    print(f"depot intact: {len(verdicts)} station(s), {total} records")
    return EXIT_CLEAN
