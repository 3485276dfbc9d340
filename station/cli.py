"""The `station` command. Thin: parse arguments, build the engine, turn results into output and exit codes.

Exit codes: 0 clean; 1 banned apps remain; 2 bad usage or input; 3 a phone could not be reached.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from station import __version__
from station.core import events
from station.core.errors import InputFileError, StationError, UsbUnavailable
from station.core.policy import Policy, default_policy_path, load_policy

EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, EXIT_UNREACHABLE = 0, 1, 2, 3


def _build_parser() -> argparse.ArgumentParser:
    # Common options are accepted before or after the command; SUPPRESS keeps a later default from
    # overwriting a value given earlier.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, help="where the log and keys live (default: $STATION_DATA_DIR or the user data folder)")
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="print each step of each phone on stderr")
    parser = argparse.ArgumentParser(prog="station", parents=[common], description="Depot Station: scan and clean phones against a policy of banned apps.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--demo", action="store_true", help="open the window on a simulated bench of phones (no phone needed)")
    parser.add_argument("--policy", type=Path, default=argparse.SUPPRESS, help="with no command: the policy the window uses")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_subparser(common))

    policy = commands.add_parser("policy", help="work with policy files")
    policy_commands = policy.add_subparsers(dest="policy_command", required=True, metavar="SUBCOMMAND")
    check = policy_commands.add_parser("check", help="validate policy files (exit 0 if all are valid, 2 otherwise)")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE")

    for name, text in (
        ("scan", "list the banned apps on each phone"),
        ("remove", "remove the banned apps from each phone, then verify with a fresh scan"),
        ("provision", "take each phone through the provisioning checklist (a phone going out)"),
        ("return", "take each returned phone through the returns checklist (intake record, wipe, verify)"),
    ):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--sim", type=Path, metavar="FLEET", help="serve this simulated fleet in-process and use its phones")
        sub.add_argument("--adb", action="append", default=[], metavar="HOST:PORT", help="an Android phone over TCP (repeatable)")
        sub.add_argument("--usbmux", metavar="HOST:PORT", help="iPhones seen by this usbmuxd instead of the system's")
        sub.add_argument("--usb", action="store_true", help="also look on this PC's USB (the default when no other selector is given)")
        sub.add_argument("--policy", type=Path, help="policy file (default: policies/canada-tbs-2023.toml)")
        sub.add_argument("--json", action="store_true", help="print one JSON array on stdout instead of a table")
        sub.add_argument("--approval-timeout", type=float, default=30.0, metavar="S", help="seconds to wait for Allow or Trust on the phone (default 30)")
        if name != "scan":
            sub.add_argument("--yes", action="store_true", help="do not ask for confirmation (needed when not at a terminal)")
        if name in ("provision", "return"):
            sub.add_argument("--workflow", type=Path, help=f"workflow file (default: policies/workflows/{name}.toml)")
            sub.add_argument("--operator", required=True, metavar="NAME_OR_BADGE", help="who is doing the work (recorded with each checklist)")
            sub.add_argument("--sign-off", action="store_true", help="sign off the phones that are ready (PIN from $STATION_PIN or a prompt)")
            sub.add_argument("--override-reason", metavar="TEXT", help="with --sign-off: also sign off phones that are not ready, for this written reason")
            sub.add_argument("--supervisor", metavar="NAME_OR_BADGE", help="the supervisor approving an override (PIN from $STATION_SUPERVISOR_PIN or a prompt)")

    operator = commands.add_parser("operator", help="the depot staff who may work at this station")
    operator_commands = operator.add_subparsers(dest="operator_command", required=True, metavar="SUBCOMMAND")
    add = operator_commands.add_parser("add", help="add an operator (the first one on a new station must be a supervisor)")
    add.add_argument("name")
    add.add_argument("--badge", required=True)
    add.add_argument("--role", choices=("operator", "supervisor"), default="operator")
    add.add_argument("--supervisor", metavar="NAME_OR_BADGE", help="the supervisor adding them (PIN from $STATION_SUPERVISOR_PIN or a prompt)")
    operator_commands.add_parser("list", help="list the operators")

    retire = commands.add_parser("retire", help="take a phone out of service for good, with a written reason")
    retire.add_argument("serial", metavar="SERIAL")
    retire.add_argument("--reason", required=True)
    retire.add_argument("--operator", required=True, metavar="NAME_OR_BADGE", help="who retires it (PIN from $STATION_PIN or a prompt)")

    report = commands.add_parser("report", help="write a phone's latest checklist as a PDF compliance document")
    report.add_argument("serial", nargs="?", metavar="SERIAL", help="the phone (serial or UDID)")
    report.add_argument("--run", metavar="RUN_ID", help="instead of one phone: every checklist of one session, in one PDF")
    report.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf")
    report.add_argument("--depot", default=os.environ.get("STATION_DEPOT", "Depot"), help="the depot's name on the document (default $STATION_DEPOT)")

    log = commands.add_parser("log", help="check and export the station's log")
    log_commands = log.add_subparsers(dest="log_command", required=True, metavar="SUBCOMMAND")
    verify = log_commands.add_parser("verify", help="check every record's hash chain and signature (exit 0 intact, 1 not)")
    verify.add_argument("--record", type=int, metavar="N", help="also show record N (as printed on a checklist) and check it")
    export = log_commands.add_parser("export", help="write the log as CSV or JSON on stdout")
    export.add_argument("--format", choices=("csv", "json"), default="json")
    export.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="only records from this day on")
    log_commands.add_parser("public-key", help="print the station's public key (PEM), to check signatures elsewhere")

    simulate = commands.add_parser("simulate", help="serve simulated phones over the real protocols until interrupted")
    simulate.add_argument("fleet", type=Path, metavar="FLEET.toml")
    simulate.add_argument("--no-latency", action="store_true", help="answer at once instead of with a phone's realistic delay")
    return parser


def _subparser(common: argparse.ArgumentParser) -> type[argparse.ArgumentParser]:
    class WithCommon(argparse.ArgumentParser):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs, parents=[common])

    return WithCommon


def main(argv: Sequence[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    args.data_dir = getattr(args, "data_dir", None)
    args.verbose = getattr(args, "verbose", False)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    try:
        if args.command is None:
            from station.gui.app import run

            return run(demo=args.demo, data_dir=args.data_dir, policy_path=getattr(args, "policy", None))
        if args.command == "policy":
            return _policy_check(args.files)
        if args.command == "log":
            return _log(args)
        if args.command == "operator":
            return _operator(args)
        if args.command == "report":
            return _report(args)
        if args.command == "retire":
            return _retire(args)
        if args.command == "simulate":
            from station.sim.server import serve_forever

            return serve_forever(args.fleet, latency=not args.no_latency, out=sys.stdout)
        return _scan_or_remove(args)
    except InputFileError as exc:
        print(f"station: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except UsbUnavailable as exc:
        print(f"station: {exc}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except StationError as exc:
        print(f"station: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("station: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`station log export | head`): stop quietly, as Unix tools do.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps the interpreter's final flush quiet
        return EXIT_CLEAN


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-22") from None


def _log(args: argparse.Namespace) -> int:
    from station.audit.export import export
    from station.audit.signing import public_pem
    from station.audit.store import DB_NAME, Store
    from station.audit.verify import find_record, verify_log
    from station.workbench.datadir import resolve_data_dir

    data_dir = resolve_data_dir(args.data_dir)
    if not (data_dir / DB_NAME).exists():
        raise StationError(f"no log in {data_dir}: nothing has been recorded there (use --data-dir)")
    store = Store.open(data_dir)
    try:
        if args.log_command == "public-key":
            print(public_pem(store.key.public), end="")
            return EXIT_CLEAN
        if args.log_command == "export":
            export(store.db, args.format, sys.stdout, args.since)
            return EXIT_CLEAN
        verdict = verify_log(store.db)
        print(verdict)
        if args.record is not None:
            record = find_record(store.db, args.record)
            if record is None:
                print(f"record {args.record}: not in this log")
                return EXIT_FINDINGS
            print(f"record {record['seq']}: {record['time']} {record['kind']} {record['serial'] or ''} "
                  f"operator {record['operator'] or '-'} hash {record['hash']} signature {record['signature']}")
        return EXIT_CLEAN if verdict.ok else EXIT_FINDINGS
    finally:
        store.close()


def _pin(variable: str, who: str) -> str:
    """A PIN from the environment (for scripts) or typed at a prompt that does not echo it."""
    pin = os.environ.get(variable)
    if pin is not None:
        return pin
    if not sys.stdin.isatty():
        raise StationError(f"{who}'s PIN is needed: set {variable} or run at a terminal")
    import getpass

    return getpass.getpass(f"PIN for {who}: ")


def _open_store(args: argparse.Namespace) -> Any:
    from station.audit.store import Store
    from station.workbench.datadir import resolve_data_dir

    return Store.open(resolve_data_dir(args.data_dir))


def _retire(args: argparse.Namespace) -> int:
    from station.audit.operators import Operators
    from station.audit.signoff import retire

    store = _open_store(args)
    try:
        operator = Operators(store).authenticate(args.operator, _pin("STATION_PIN", args.operator))
        run_id = store.start_run("retire", None)
        row = retire(store, run_id, args.serial, operator, args.reason)
        store.finish_run(run_id, "retired")
        print(f"{args.serial}: retired (log record {store.db['records'].get(row)['seq']})")
        return EXIT_CLEAN
    finally:
        store.close()


def _report(args: argparse.Namespace) -> int:
    from station.report.document import latest_checklist, run_checklists

    if (args.serial is None) == (args.run is None):
        raise StationError("name one phone (SERIAL) or one session (--run RUN_ID)")
    store = _open_store(args)
    try:
        docs = [latest_checklist(store, args.serial, args.depot)] if args.serial else run_checklists(store, args.run, args.depot)
    finally:
        store.close()
    if not docs:
        raise StationError(f"session {args.run}: no checklist in it")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a document needs no screen
    from PySide6.QtGui import QGuiApplication

    from station.report.pdf import write_pdf

    app = QGuiApplication.instance() or QGuiApplication([])
    write_pdf(docs, args.output)
    del app
    unsigned = [d.identity.get("serial") for d in docs if d.sign_off is None]
    print(f"{args.output}: {len(docs)} page(s)" + (f"; not signed off: {', '.join(map(str, unsigned))}" if unsigned else ""))
    return EXIT_CLEAN


def _operator(args: argparse.Namespace) -> int:
    from station.audit.operators import Operators

    store = _open_store(args)
    try:
        operators = Operators(store)
        if args.operator_command == "list":
            for operator in operators.all():
                print(operator)
            return EXIT_CLEAN
        by = None
        if any(o.supervisor for o in operators.all()):
            supervisors = [o for o in operators.all() if o.supervisor]
            name = args.supervisor or (supervisors[0].badge if len(supervisors) == 1 else None)
            if name is None:
                raise StationError("several supervisors exist: say which one adds the operator with --supervisor")
            by = operators.authenticate(name, _pin("STATION_SUPERVISOR_PIN", name))
        added = operators.add(args.name, args.badge, args.role, _pin("STATION_PIN", args.name), by)
        print(f"added {added}")
        return EXIT_CLEAN
    finally:
        store.close()


def _policy_check(files: list[Path]) -> int:
    status = EXIT_CLEAN
    for file in files:
        try:
            policy = load_policy(file)
        except InputFileError as exc:
            print(f"{exc}", file=sys.stderr)
            status = EXIT_INPUT
        else:
            print(f"{file}: ok ({policy.id} {policy.version}, {len(policy.rules)} rules)")
    return status


def _scan_or_remove(args: argparse.Namespace) -> int:
    from station.audit.store import Store
    from station.workbench.datadir import resolve_data_dir
    from station.workbench.engine import Engine
    from station.core.phone import Timeouts
    from station.workbench.targets import Selection, open_targets

    policy = load_policy(args.policy or default_policy_path())
    data_dir = resolve_data_dir(args.data_dir)
    selection = Selection(sim=args.sim, adb=tuple(args.adb), usbmux=args.usbmux, usb=args.usb)
    timeouts = Timeouts(approval=args.approval_timeout)
    store = Store.open(data_dir)
    try:
        signer = _signers(store, args) if args.command in ("provision", "return") else None
        with open_targets(data_dir, selection, timeouts=timeouts, warn=_warn) as targets:
            if not targets:
                print("station: no phones found: plug in an Android phone with USB debugging on or an unlocked iPhone, or use --adb/--usbmux/--sim", file=sys.stderr)
                return EXIT_UNREACHABLE
            listener = _ProgressPrinter(sys.stderr, args.verbose)
            run_id = store.start_run(args.command, policy)
            engine = Engine(policy, store, run_id, listener)
            if args.command in ("provision", "return"):
                reports = _run_checklists(engine, targets, args, signer[0] if signer else args.operator)
                if reports is None:
                    store.finish_run(run_id, "not confirmed")
                    return EXIT_INPUT
                if args.sign_off and signer:
                    _sign_off_ready(store, run_id, reports, signer[1], signer[2], args.override_reason)
                code = _exit_code(reports)
                store.finish_run(run_id, {0: "all ready", 1: "not ready", 3: "unreachable"}[code])
                _print_reports(reports, policy, args)
                return code
            reports = asyncio.run(engine.scan_all(targets))
            if args.command == "remove":
                plan = _confirmed_plan(reports, targets, args.yes, args.json)
                if plan is None:
                    store.finish_run(run_id, "not confirmed")
                    return EXIT_INPUT
                removal = {report.address: report for report in asyncio.run(engine.remove_all(plan))}
                reports = [removal.get(report.address, report) for report in reports]
            code = _exit_code(reports)
            store.finish_run(run_id, {0: "clean", 1: "findings remain", 3: "unreachable"}[code])
    finally:
        store.close()
    _print_reports(reports, policy, args)
    return code


def _print_reports(reports: list[Any], policy: Policy, args: argparse.Namespace) -> None:
    removal = args.command != "scan"
    if args.json:
        json.dump([_report_json(report, removal) for report in reports], sys.stdout, indent=2)
        print()
    else:
        _print_table(reports, policy, removal, sys.stdout)


def _signers(store: Any, args: argparse.Namespace) -> tuple[str, Any, Any] | None:
    """The operator (checked against the station's operators, and by PIN for --sign-off) and, for an
    override, the approving supervisor. None when the station has no operators yet and none is signing."""
    from station.audit.operators import Operators

    operators = Operators(store)
    if not operators.all():
        if args.sign_off:
            raise StationError("signing off needs a known operator: add one first with `station operator add`")
        return None
    if not args.sign_off:
        return (str(operators.find(args.operator)), None, None)
    operator = operators.authenticate(args.operator, _pin("STATION_PIN", args.operator))
    supervisor = None
    if args.override_reason is not None:
        if not args.supervisor:
            raise StationError("an override needs --supervisor NAME_OR_BADGE (a second person, a supervisor)")
        supervisor = operators.authenticate(args.supervisor, _pin("STATION_SUPERVISOR_PIN", args.supervisor))
    return (str(operator), operator, supervisor)


def _sign_off_ready(store: Any, run_id: str, reports: list[Any], operator: Any, supervisor: Any, reason: str | None) -> None:
    """Sign off every phone whose checklist passed; with an override reason and supervisor, the others too.
    A phone that cannot be signed off is said on stderr and stays unsigned."""
    from station.audit.operators import OperatorError
    from station.audit.signoff import Override, sign_off

    for report in reports:
        if report.checklist_record is None:
            continue
        override = Override(reason, supervisor) if (not report.ready and reason is not None and supervisor) else None
        try:
            row = sign_off(store, run_id, report.checklist_record, operator, override)
        except OperatorError as exc:
            print(f"station: {exc}", file=sys.stderr)
            continue
        report.signed_off = store.db["records"].get(row)["seq"]


def _run_checklists(engine: Any, targets: list[Any], args: argparse.Namespace, operator: str) -> list[Any] | None:
    """Every phone through the workflow, after the operator confirmed what it will do to them."""
    from station.core.checklist import load_workflow

    workflow = load_workflow(args.workflow or default_policy_path().parent / "workflows" / f"{args.command}.toml")
    destructive = [item.title for item in workflow.actions]
    if destructive and not args.yes:
        if not sys.stdin.isatty():
            print("station: not confirmed: run at a terminal to confirm, or add --yes", file=sys.stderr)
            return None
        print(f"{workflow.name} on {len(targets)} phone(s), operator {args.operator}. It will:", file=sys.stderr)
        for title in destructive:
            print(f"  - {title}", file=sys.stderr)
        if input("Type yes to go on: ").strip().lower() != "yes":
            print("station: nothing done", file=sys.stderr)
            return None
    engine.operator = operator

    async def run_all() -> list[Any]:
        return list(await asyncio.gather(*(engine.run_workflow(target, workflow) for target in targets)))

    return asyncio.run(run_all())


def _warn(message: str) -> None:
    print(f"station: {message}", file=sys.stderr)


def _confirmed_plan(reports: list[Any], targets: list[Any], yes: bool, quiet: bool) -> list[Any] | None:
    """Phones with findings, each bound to the serial and the apps the operator confirmed."""
    by_address = {target.address: target for target in targets}
    todo = [report for report in reports if report.reached and report.findings]
    if not todo:
        return []
    if not yes:
        if not sys.stdin.isatty():
            print("station: removal not confirmed: run at a terminal to confirm, or add --yes", file=sys.stderr)
            return None
        print("These apps will be removed:", file=sys.stderr)
        for report in todo:
            for finding in report.findings:
                print(f"  {report.identity.serial}  {finding.app_id} (user {finding.app.user})  {finding.rule_app}", file=sys.stderr)
        answer = input(f"Remove {sum(len(r.findings) for r in todo)} app(s) from {len(todo)} phone(s)? Type yes: ")
        if answer.strip().lower() != "yes":
            print("station: nothing removed", file=sys.stderr)
            return None
    return [(by_address[r.address], r.identity.serial, {f.app_id for f in r.findings}) for r in todo]


def _exit_code(reports: list[Any]) -> int:
    if any(not report.reached for report in reports):
        return EXIT_UNREACHABLE
    if any(report.remaining or report.failed or report.ready is False for report in reports):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _finding_json(finding: Any) -> dict[str, Any]:
    return {
        "app_id": finding.app_id,
        "user": finding.app.user,
        "system": finding.app.system,
        "enabled": finding.app.enabled,
        "rule": finding.rule_id,
        "app": finding.rule_app,
        "matched_by": finding.matched_by,
        "matched_value": finding.matched_value,
        "reason": finding.reason,
        "source": finding.source,
    }


def _report_json(report: Any, removal: bool) -> dict[str, Any]:
    identity = report.identity
    out: dict[str, Any] = {
        "address": report.address,
        "serial": identity.serial if identity else None,
        "platform": report.platform,
        "manufacturer": identity.manufacturer if identity else None,
        "model": identity.model if identity else None,
        "os_version": identity.os_version if identity else None,
        "sdk": identity.sdk if identity else None,
        "security_patch": identity.security_patch if identity else None,
        "imei": identity.imei if identity else None,
        "supervised": identity.supervised if identity else None,
        "apps": report.app_count,
        "findings": [_finding_json(finding) for finding in report.findings],
        "error": report.error,
        "error_kind": report.error_kind,
    }
    if report.checklist is not None:
        out["workflow"] = report.workflow
        out["ready"] = report.ready
        out["signed_off"] = report.signed_off
        out["checklist"] = [
            {"id": r.item.id, "title": r.item.title, "mandatory": r.item.mandatory, "status": str(r.status), "evidence": r.evidence}
            for r in report.checklist
        ]
    if removal:
        out["removed"] = [{"app_id": a.app_id, "user": a.user, "method": a.method, "notes": list(a.notes)} for a in report.removed]
        out["failed"] = [{"app_id": a.app_id, "user": a.user, "method": a.method, "error": a.error} for a in report.failed]
        out["findings_after"] = None if report.findings_after is None else [_finding_json(f) for f in report.findings_after]
    return out


def _print_table(reports: list[Any], policy: Policy, removal: bool, out: TextIO) -> None:
    print(f"Policy: {policy.name} ({policy.id} {policy.version})", file=out)
    header = ("SERIAL", "PLATFORM", "MODEL", "OS", "APPS", "RESULT")
    rows = []
    for report in reports:
        identity = report.identity
        if report.error:
            result = "ERROR: " + report.error
        elif report.ready is not None:
            failing = [r.item.id for r in report.checklist or [] if str(r.status) == "fail" and r.item.mandatory]
            result = "READY" if report.ready else "NOT READY: " + ", ".join(failing)
            if report.signed_off is not None:
                result += f" (signed off, record {report.signed_off})"
        elif removal:
            result = f"removed {len(report.removed)}, failed {len(report.failed)}, remaining {len(report.remaining)}"
        else:
            result = f"{len(report.findings)} banned" if report.findings else "clean"
        rows.append((
            identity.serial if identity else report.address,
            report.platform,
            identity.model if identity else "?",
            identity.os_version if identity else "?",
            str(report.app_count) if report.app_count is not None else "?",
            result,
        ))
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1], file=out)
    for report in reports:
        for finding in report.remaining:
            user = f" (user {finding.app.user})" if report.platform == "android" else ""
            print(f"  {report.identity.serial}: {finding.app_id}{user} is {finding.rule_app}: {finding.reason}", file=out)
        for attempt in report.failed:
            print(f"  {report.identity.serial}: removing {attempt.app_id} failed: {attempt.error}", file=out)


class _ProgressPrinter:
    """Tells the operator on stderr what needs them (Allow prompts, failures); every step with -v."""

    def __init__(self, out: TextIO, verbose: bool) -> None:
        self.out = out
        self.verbose = verbose

    def __call__(self, event: events.Event) -> None:
        if isinstance(event, events.NeedsApproval):
            print(f"{event.address}: {event.message}", file=self.out, flush=True)
        elif isinstance(event, events.Failed):
            print(event.message, file=self.out, flush=True)
        elif isinstance(event, events.Wiped) and event.by_hand:
            print(f"{event.identity.serial}: {event.message}", file=self.out, flush=True)
        elif self.verbose and isinstance(event, events.StepChanged):
            print(f"{event.serial or event.address}: {event.step}", file=self.out, flush=True)
