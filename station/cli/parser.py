"""The `station` command's arguments: every command, option and its help, in one place."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path
from typing import Any, TypeAlias

from station import __version__
from station.audit.operators import Role
from station.core.imei import ImeiError, parse_imei
from station.core.language import Language, ReportLanguage


def build_parser() -> argparse.ArgumentParser:
    # Common options are accepted before or after the command; SUPPRESS keeps a later default from
    # overwriting a value given earlier.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                        help="where the log and keys live (default: $STATION_DATA_DIR or the user data folder)")
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="print each step of each phone on stderr")
    parser = argparse.ArgumentParser(prog="station", parents=[common],
                                     description="Depot Station: scan and clean phones against a policy of banned apps.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--demo", action="store_true", help="open the window on a simulated bench of phones (no phone needed)")
    parser.add_argument("--policy", type=Path, default=argparse.SUPPRESS, help="with no command: the policy the window uses")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_subparser(common))

    policy = commands.add_parser("policy", help="work with policy files")
    policy_commands = policy.add_subparsers(dest="policy_command", required=True, metavar="SUBCOMMAND")
    check = policy_commands.add_parser("check", help="validate policy files (exit 0 if all are valid, 2 otherwise)")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE")
    _phone_commands(commands)
    _staff_commands(commands)
    _record_commands(commands)
    _depot_commands(commands)
    simulate = commands.add_parser("simulate", help="serve simulated phones over the real protocols until interrupted")
    simulate.add_argument("fleet", type=Path, metavar="FLEET.toml")
    simulate.add_argument("--no-latency", action="store_true", help="answer at once instead of with a phone's realistic delay")
    return parser


Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"  # what add_subparsers gives


def _phone_commands(commands: Commands) -> None:
    """scan, remove, provision and return: the commands that work on phones."""
    for name, text in (
        ("scan", "list the banned apps on each phone"),
        ("remove", "remove the banned apps from each phone, then verify with a fresh scan"),
        ("provision", "take each phone through the provisioning checklist (a phone going out)"),
        ("return", "take each returned phone through the returns checklist (intake record, wipe, verify)"),
    ):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--sim", type=Path, metavar="FLEET",
                         help="serve this simulated fleet in-process and use its phones (alone: no PIN needed, records marked simulated)")
        sub.add_argument("--adb", action="append", default=[], metavar="HOST:PORT", help="an Android phone over TCP (repeatable)")
        sub.add_argument("--usbmux", metavar="HOST:PORT", help="iPhones seen by this usbmuxd instead of the system's")
        sub.add_argument("--usb", action="store_true", help="also look on this PC's USB (the default when no other selector is given)")
        sub.add_argument("--policy", type=Path, help="policy file (default: policies/canada-tbs-2023.toml)")
        sub.add_argument("--json", action="store_true", help="print one JSON array on stdout instead of a table")
        sub.add_argument("--approval-timeout", type=float, default=30.0, metavar="S",
                         help="seconds to wait for Allow or Trust on the phone (default 30)")
        sub.add_argument("--imei", type=_imei_pair, action="append", default=[], metavar="SERIAL=IMEI",
                         help="the IMEI of a phone that does not report it (Android), typed or scanned from its box or "
                              "*#06#; its check digit is checked (repeatable)")
        if name != "scan":
            sub.add_argument("--yes", action="store_true", help="do not ask for confirmation (needed when not at a terminal)")
            sub.add_argument("--operator", metavar="NAME_OR_BADGE",
                             help="who is doing the work, PIN from $STATION_PIN or a prompt (recorded with every step; "
                                  "needed unless the phones are --sim alone)")
        if name in ("provision", "return"):
            sub.add_argument("--workflow", type=Path, help=f"workflow file (default: policies/workflows/{name}.toml)")
            sub.add_argument("--sign-off", action="store_true",
                             help="sign off the phones that are ready (PIN from $STATION_PIN or a prompt)")
            sub.add_argument("--override-reason", metavar="TEXT",
                             help="with --sign-off: also sign off phones that are not ready, for this written reason")
            sub.add_argument("--supervisor", metavar="NAME_OR_BADGE",
                             help="the supervisor approving an override (PIN from $STATION_SUPERVISOR_PIN or a prompt)")
        if name == "return":
            sub.add_argument("--wipe-locked", action="store_true",
                             help="wipe phones still tied to their user's account (Find My, a Google or Samsung account, "
                                  "or not known) although the reset locks them: needs --override-reason and --supervisor")


def _staff_commands(commands: Commands) -> None:
    """operator and retire: the depot's staff, and phones leaving service."""
    operator = commands.add_parser("operator", help="the depot staff who may work at this station")
    operator_commands = operator.add_subparsers(dest="operator_command", required=True, metavar="SUBCOMMAND")
    add = operator_commands.add_parser("add", help="add an operator (the first one on a new station must be a supervisor)")
    add.add_argument("name", help="their PIN (6 to 12 digits) from $STATION_PIN or a prompt")
    add.add_argument("--badge", required=True)
    add.add_argument("--role", choices=[str(role) for role in Role], default=str(Role.OPERATOR))
    add.add_argument("--language", choices=[str(language) for language in Language], default=str(Language.EN),
                     help="the language the window switches to when they sign in (default en)")
    add.add_argument("--supervisor", metavar="NAME_OR_BADGE",
                     help="the supervisor adding them (PIN from $STATION_SUPERVISOR_PIN or a prompt)")
    operator_commands.add_parser("list", help="list the operators")
    pin = operator_commands.add_parser("pin", help="set a new PIN (6 to 12 digits): the current one from $STATION_PIN, "
                                                   "the new one from $STATION_NEW_PIN, or prompts")
    pin.add_argument("who", metavar="NAME_OR_BADGE")

    retire = commands.add_parser("retire", help="take a phone out of service for good, with a written reason")
    retire.add_argument("serial", metavar="SERIAL")
    retire.add_argument("--reason", required=True)
    retire.add_argument("--operator", required=True, metavar="NAME_OR_BADGE", help="who retires it (PIN from $STATION_PIN or a prompt)")


def _record_commands(commands: Commands) -> None:
    """report and log: what the station has recorded, printed, checked and exported."""
    report = commands.add_parser("report", help="write a phone's latest checklist as a PDF compliance document")
    report.add_argument("serial", nargs="?", metavar="SERIAL", help="the phone (serial or UDID)")
    report.add_argument("--run", metavar="RUN_ID", help="instead of one phone: every checklist of one session, in one PDF")
    report.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf")
    report.add_argument("--depot", default=os.environ.get("STATION_DEPOT", "Depot"),
                        help="the depot's name on the document (default $STATION_DEPOT)")
    report.add_argument("--lang", choices=[str(choice) for choice in ReportLanguage], default=str(ReportLanguage.BOTH),
                        help="the document's language: en, fr, or both side by side (default both)")

    log = commands.add_parser("log", help="check and export the station's log")
    log_commands = log.add_subparsers(dest="log_command", required=True, metavar="SUBCOMMAND")
    verify = log_commands.add_parser("verify", help="check every record's hash chain and signature (exit 0 intact, 1 not)")
    verify.add_argument("--record", type=int, metavar="N", help="also show record N (as printed on a checklist) and check it")
    verify.add_argument("--quick", action="store_true",
                        help="check every hash and link but only the signatures of every 1000th record and the last, "
                             "which vouch for every record before them")
    export = log_commands.add_parser("export", help="write the log as CSV or JSON on stdout")
    export.add_argument("--format", choices=("csv", "json"), default="json")
    export.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="only records from this day on")
    log_commands.add_parser("public-key", help="print the station's public key (PEM), to check signatures elsewhere")
    backup = log_commands.add_parser("backup", help="write a checked copy of the log, its public key and a manifest into a new folder")
    backup.add_argument("folder", type=Path, metavar="FOLDER")
    restore = log_commands.add_parser("restore", help="check a backup (or the depot's copy) whole, then put its log in place "
                                                      "(the current one is moved aside)")
    restore.add_argument("folder", type=Path, nargs="?", metavar="FOLDER")
    restore.add_argument("--from-depot", action="store_true",
                         help="rebuild the log from the copy of this station's records in the depot it joined")


def _depot_commands(commands: Commands) -> None:
    """depot and history: the record shared by the depot's stations on PostgreSQL."""
    depot = commands.add_parser("depot", help="share this station's record with the depot's other stations on PostgreSQL")
    depot_commands = depot.add_subparsers(dest="depot_command", required=True, metavar="SUBCOMMAND")
    init = depot_commands.add_parser("init", help="create or migrate the depot's tables and the depot_station role (safe to repeat)")
    init.add_argument("dsn", metavar="DSN", help="libpq connection string or URI (password from PGPASSWORD or ~/.pgpass)")
    init.add_argument("--grant", action="append", default=[], metavar="ROLE", help="let this login role act as a station (repeatable)")
    join = depot_commands.add_parser("join", help="join this station to the depot and push its log")
    join.add_argument("dsn", metavar="DSN", help="libpq connection string or URI, without a password (PGPASSWORD or ~/.pgpass)")
    join.add_argument("--name", required=True, help="this station's name in the depot, e.g. bench-2")
    status = depot_commands.add_parser("status", help="connected or not, records waiting, and the depot's stations")
    status.add_argument("--json", action="store_true", help="print one JSON object")
    depot_commands.add_parser("sync", help="push the records the depot does not have yet, now")
    depot_verify = depot_commands.add_parser("verify",
                                             help="check every station's chain and signatures in the depot (exit 0 intact, 1 not)")
    depot_verify.add_argument("dsn", nargs="?", metavar="DSN", help="the depot (default: the one this station joined)")
    depot_verify.add_argument("--full", action="store_true", help="check every signature again, not only those after the last run's")
    depot_verify.add_argument("--quick", action="store_true",
                              help="read every record and check every hash and link, but only the signatures of every 1000th "
                                   "record and each station's last (they vouch for every record before them); keeps no checkpoint")
    publish = depot_commands.add_parser("publish", help="make a policy or workflow file the one every station of the depot uses")
    publish.add_argument("kind", choices=("policy", "workflow"))
    publish.add_argument("file", type=Path, metavar="FILE")
    publish.add_argument("--supervisor", required=True, metavar="NAME_OR_BADGE",
                         help="who publishes it (PIN from $STATION_SUPERVISOR_PIN or a prompt)")
    depot_report = depot_commands.add_parser("report", help="per day, station and operator: what the depot's benches did (PDF or CSV)")
    depot_report.add_argument("--since", type=_date, required=True, metavar="YYYY-MM-DD", help="from this day on (UTC)")
    depot_report.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf|FILE.csv")

    history = commands.add_parser("history", help="a phone's records from every station of the depot, oldest first")
    history.add_argument("phone", metavar="SERIAL_OR_IMEI")
    history.add_argument("--json", action="store_true", help="print one JSON array")


def _subparser(common: argparse.ArgumentParser) -> type[argparse.ArgumentParser]:
    class WithCommon(argparse.ArgumentParser):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs, parents=[common])

    return WithCommon


def _imei_pair(text: str) -> tuple[str, str]:
    serial, sep, imei = text.partition("=")
    if not sep or not serial.strip():
        raise argparse.ArgumentTypeError(f"{text!r}: write SERIAL=IMEI, e.g. R58N12ABCDE=490154203237518")
    try:
        return serial.strip(), parse_imei(imei)
    except ImeiError as exc:
        raise argparse.ArgumentTypeError(f"{serial.strip()}: {exc}") from None


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-22") from None
