"""Each `station` command: read what it needs from the arguments and the operator, call the workbench,
print the outcome, answer the exit code."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from station.audit.operators import Operator, OperatorError, Role
from station.audit.signoff import Override
from station.audit.store import DB_NAME, Store
from station.cli import EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, EXIT_UNREACHABLE
from station.cli.output import ProgressPrinter, print_reports
from station.core.checklist import load_workflow
from station.core.errors import InputFileError, StationError
from station.core.language import Language, ReportLanguage
from station.core.phone import PhoneTarget, Timeouts
from station.core.policy import default_policy_path, load_policy, missing_french
from station.core.refusals import MAX_PIN_DIGITS, MIN_PIN_DIGITS, Refusal, RefusalKind
from station.depot.config import DocumentKind, shared_document
from station.workbench import staff
from station.workbench.batch import Batch
from station.workbench.datadir import resolve_data_dir
from station.workbench.engine import PhoneReport
from station.workbench.sign_off import OverrideRequest, Signers, check_wipe_override, retire_phone, signers_for
from station.workbench.staff import Credentials
from station.workbench.targets import Selection, open_targets

NO_PHONES = ("no phones found: plug in an Android phone with USB debugging on or an unlocked iPhone, "
             "or use --adb/--usbmux/--sim")


def run(args: argparse.Namespace) -> int:
    from station.cli.depot import push_after

    code = _run(args)
    push_after(args)
    return code


def _run(args: argparse.Namespace) -> int:
    from station.cli.depot import depot, history

    by_command: dict[str, Callable[[argparse.Namespace], int]] = {
        "depot": depot, "history": history, "policy": lambda args: _policy_check(args.files), "log": _log,
        "operator": _operator, "report": _report, "retire": _retire,
    }
    return by_command.get(args.command, _phones)(args)


def _retire(args: argparse.Namespace) -> int:
    with _store(args) as store:
        _operators_exist(store)
        seq = retire_phone(args.serial, args.reason, Credentials(args.operator, pin_of("STATION_PIN", args.operator)), store)
    print(f"{args.serial}: retired (log record {seq})")
    return EXIT_CLEAN


@contextmanager
def _store(args: argparse.Namespace) -> Iterator[Store]:
    store = Store.open(resolve_data_dir(args.data_dir))
    try:
        yield store
    finally:
        store.close()


def pin_of(variable: str, who: str) -> str:
    """A PIN from the environment (for scripts) or typed at a prompt that does not echo it."""
    return _pin(variable, who, "PIN", lambda prompt: prompt(f"PIN for {who}: "))


def new_pin_of(variable: str, who: str) -> str:
    """A PIN being set: from the environment, or typed twice at a prompt (a typo would lock its owner out)."""

    def twice(prompt: Callable[[str], str]) -> str:
        pin = prompt(f"New PIN for {who} ({MIN_PIN_DIGITS} to {MAX_PIN_DIGITS} digits): ")
        if prompt("The same PIN again: ") != pin:
            raise StationError("the two PINs differ: nothing changed")
        return pin

    return _pin(variable, who, "new PIN", twice)


def _pin(variable: str, who: str, what: str, ask: Callable[[Callable[[str], str]], str]) -> str:
    pin = os.environ.get(variable)
    if pin is not None:
        return pin
    if not sys.stdin.isatty():
        raise StationError(f"{who}'s {what} is needed: set {variable} or run at a terminal")
    import getpass

    return ask(getpass.getpass)


def _operators_exist(store: Store) -> None:
    """A command that changes phones or the record refuses on a station nobody can sign in to yet."""
    if not staff.everyone(store):
        raise OperatorError(Refusal(RefusalKind.NO_OPERATOR_YET))


def authenticated(store: Store, who: str, variable: str = "STATION_PIN") -> Operator:
    """The operator ``who``, once their PIN (from ``variable`` or a prompt) is checked: whom a command that
    changes phones or the record acts for. A wrong PIN is counted and recorded; a short one must be changed."""
    _operators_exist(store)
    return staff.sign_in(Credentials(who, pin_of(variable, who)), store)


def _log(args: argparse.Namespace) -> int:
    from station.audit.export import export
    from station.audit.verify import verify_log

    data_dir = resolve_data_dir(args.data_dir)
    if args.log_command == "restore":
        return _restore(args.folder, data_dir, args.from_depot)
    if not (data_dir / DB_NAME).exists():
        raise StationError(f"no log in {data_dir}: nothing has been recorded there (use --data-dir)")
    with _store(args) as store:
        if args.log_command == "public-key":
            print(store.public_key_pem(), end="")
            # on stderr: stdout stays the PEM alone, for scripts that pass it on
            print(f"station: its private half is kept in {store.key.location}", file=sys.stderr)
            return EXIT_CLEAN
        if args.log_command == "export":
            export(store, args.format, sys.stdout, args.since)
            return EXIT_CLEAN
        if args.log_command == "backup":
            from station.audit.backup import make_backup

            made = make_backup(store, args.folder)
            print(f"{args.folder}: backup of {made.records} records (last record {made.last_seq}), checked by its manifest")
            return EXIT_CLEAN
        verdict = verify_log(store, quick=args.quick)
        print(verdict)
        intact = verdict.ok and _compared_with_depot(data_dir, store)
        if args.record is not None:
            record = store.record_at(args.record)
            if record is None:
                print(f"record {args.record}: not in this log")
                return EXIT_FINDINGS
            print(f"record {record.seq}: {record.time} {record.kind} {record.serial or ''} "
                  f"operator {record.operator or '-'} hash {record.hash} signature {record.signature}")
        return EXIT_CLEAN if intact else EXIT_FINDINGS


def _compared_with_depot(data_dir: Path, store: Store) -> bool:
    """A joined station's log against its copy in the depot: records removed from its end show there."""
    from station.depot.config import load_config

    if load_config(data_dir) is None:
        return True
    from station.workbench.depot_link import compare_with_depot

    problems, note = compare_with_depot(data_dir, store)
    if note:
        print(note)
    for problem in problems:
        print(f"log NOT intact: {problem}")
    return not problems


def _restore(folder: Path | None, data_dir: Path, from_depot: bool) -> int:
    from station.audit.backup import restore_backup

    if (folder is not None) == from_depot:
        raise StationError("name a backup FOLDER, or give --from-depot (not both)")
    if folder is None:
        from station.workbench.depot_link import restore_from_depot

        done = restore_from_depot(data_dir)
        print(f"{data_dir / DB_NAME}: rebuilt from depot {done.server}, station {done.name} ({done.records} records, "
              "every hash and signature checked)" + (f"; the log it replaces is kept as {done.aside}" if done.aside else ""))
        if done.note:
            print(f"station: {done.note}", file=sys.stderr)
        return EXIT_CLEAN
    manifest, aside = restore_backup(folder, data_dir)
    print(f"{data_dir / DB_NAME}: restored from {folder} ({manifest.records} records, made {manifest.made})"
          + (f"; the log it replaces is kept as {aside}" if aside else ""))
    return EXIT_CLEAN


def _report(args: argparse.Namespace) -> int:
    from station.report.document import latest_checklist, run_checklists

    if (args.serial is None) == (args.run is None):
        raise StationError("name one phone (SERIAL) or one session (--run RUN_ID)")
    with _store(args) as store:
        docs = [latest_checklist(store, args.serial, args.depot)] if args.serial else run_checklists(store, args.run, args.depot)
        if args.serial:  # one phone's page tells its story across the depot (a session's pages do not)
            from station.workbench.depot_link import history

            story = history(resolve_data_dir(args.data_dir), store, args.serial)
            if story.note:
                print(f"station: {story.note}", file=sys.stderr)
            docs = [replace(docs[0], history=story)]
    if not docs:
        raise StationError(f"session {args.run}: no checklist in it")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a document needs no screen
    from PySide6.QtGui import QGuiApplication

    from station.report.pdf import write_pdf

    app = QGuiApplication.instance() or QGuiApplication([])
    write_pdf(docs, args.output, ReportLanguage(args.lang))
    del app
    unsigned = [d.identity.get("serial") for d in docs if d.sign_off is None]
    print(f"{args.output}: {len(docs)} page(s)" + (f"; not signed off: {', '.join(map(str, unsigned))}" if unsigned else ""))
    return EXIT_CLEAN


def _operator(args: argparse.Namespace) -> int:
    with _store(args) as store:
        if args.operator_command == "list":
            for operator in staff.everyone(store):
                print(operator)
            return EXIT_CLEAN
        if args.operator_command == "pin":
            _operators_exist(store)
            current = Credentials(args.who, pin_of("STATION_PIN", args.who))
            changed = staff.change_pin(current, new_pin_of("STATION_NEW_PIN", args.who), store)
            print(f"new PIN set for {changed}")
            return EXIT_CLEAN
        by = None
        if any(operator.supervisor for operator in staff.everyone(store)):
            sole = staff.sole_supervisor(store)
            name = args.supervisor or (sole.badge if sole else None)
            if name is None:
                raise StationError("several supervisors exist: say which one adds the operator with --supervisor")
            by = Credentials(name, pin_of("STATION_SUPERVISOR_PIN", name))
        added = staff.add_operator(args.name, args.badge, Role(args.role), new_pin_of("STATION_PIN", args.name), by, store,
                                   language=Language(args.language))
        print(f"added {added}")
        return EXIT_CLEAN


def _policy_check(files: list[Path]) -> int:
    status = EXIT_CLEAN
    for file in files:
        try:
            policy = load_policy(file)
        except InputFileError as exc:
            print(f"{exc}", file=sys.stderr)
            status = EXIT_INPUT
        else:
            for warning in missing_french(policy):  # a warning, not an error: the exit status stays 0
                print(f"warning: {warning}", file=sys.stderr)
            print(f"{file}: ok ({policy.id} {policy.version}, {len(policy.rules)} rules)")
    return status


def _phones(args: argparse.Namespace) -> int:
    """scan, remove, provision, return: the selected phones, as one session of the log."""
    data_dir = resolve_data_dir(args.data_dir)
    policy = load_policy(args.policy or shared_document(data_dir, DocumentKind.POLICY, "policy") or default_policy_path())
    selection = Selection(sim=args.sim, adb=tuple(args.adb), usbmux=args.usbmux, usb=args.usb)
    simulated = _simulated_only(selection)
    checklist = args.command in ("provision", "return")
    if args.command == "return" and args.wipe_locked and (args.override_reason is None or not args.supervisor):
        raise StationError("--wipe-locked needs --override-reason TEXT and --supervisor NAME_OR_BADGE (a second person, a supervisor)")
    with _store(args) as store:
        operator = _session_operator(store, args, simulated) if args.command != "scan" else None
        signers = _signers(store, args, operator) if checklist and args.sign_off else None
        wipe_override = _wipe_override(store, args, operator) if args.command == "return" and args.wipe_locked else None
        if args.command != "scan":
            _warn(f"operator {operator.name} (badge {operator.badge}), PIN checked" if operator else "no authenticated operator")
        if simulated:
            _warn("SIMULATED PHONES, not real devices: every record of this session is marked simulated")
        with open_targets(data_dir, selection, timeouts=Timeouts(approval=args.approval_timeout), warn=_warn) as targets:
            if not targets:
                _warn(NO_PHONES)
                return EXIT_UNREACHABLE
            batch = Batch(store, args.command, policy, ProgressPrinter(sys.stderr, args.verbose), operator, simulated=simulated)
            batch.engine.typed_imeis = dict(args.imei)
            reports = _checklists(batch, targets, args, signers, wipe_override) if checklist else _scan_or_remove(batch, targets, args)
            if reports is None:
                batch.finish("not confirmed")
                return EXIT_INPUT
            code = _exit_code(reports)
            words = ("all ready", "not ready") if checklist else ("clean", "findings remain")
            batch.finish({EXIT_CLEAN: words[0], EXIT_FINDINGS: words[1], EXIT_UNREACHABLE: "unreachable"}[code])
    print_reports(reports, policy, args.command, args.json)
    return code


def _simulated_only(selection: Selection) -> bool:
    """Every phone of the session is simulated inside the station (--sim and no other selector). Phones
    reached at an address (--adb, --usbmux), even those `station simulate` serves, are not: from here they
    are indistinguishable from real ones, so they are treated as real."""
    if selection.sim is None:
        return False
    if selection.adb or selection.usbmux is not None or selection.usb:
        raise StationError("--sim cannot be mixed with --adb, --usbmux or --usb: simulated phones need no PIN and their "
                           "records are marked simulated, real ones need the operator's PIN; run them separately")
    return True


def _session_operator(store: Store, args: argparse.Namespace, simulated: bool) -> Operator | None:
    """Whom a command that changes phones acts for, their PIN checked before any phone is touched. On
    simulated phones nobody needs to be (an operator named with $STATION_PIN set is still checked and
    recorded); a sign-off or an override always needs the operator's PIN."""
    vouching = getattr(args, "sign_off", False) or getattr(args, "wipe_locked", False)
    if simulated and not vouching and (args.operator is None or "STATION_PIN" not in os.environ):
        return None
    _operators_exist(store)
    if args.operator is None:
        raise StationError(f"`station {args.command}` changes phones: say who you are with --operator NAME_OR_BADGE "
                           "(PIN from $STATION_PIN or a prompt)")
    return authenticated(store, args.operator)


def _signers(store: Store, args: argparse.Namespace, operator: Operator | None) -> Signers:
    """--sign-off: the operator (PIN checked) signs; with --override-reason, a supervisor approves."""
    if operator is None:
        raise StationError("signing off needs the operator's PIN: --operator NAME_OR_BADGE")
    override = None
    if args.override_reason is not None:
        if not args.supervisor:
            raise StationError("an override needs --supervisor NAME_OR_BADGE (a second person, a supervisor)")
        override = OverrideRequest(args.override_reason, Credentials(args.supervisor, pin_of("STATION_SUPERVISOR_PIN", args.supervisor)))
    return signers_for(operator, override, store)


def _wipe_override(store: Store, args: argparse.Namespace, operator: Operator | None) -> Override:
    """--wipe-locked: the supervisor's approval, PIN checked, of wiping phones a reset will lock."""
    request = OverrideRequest(args.override_reason, Credentials(args.supervisor, pin_of("STATION_SUPERVISOR_PIN", args.supervisor)))
    return check_wipe_override(request, operator, store)


def _checklists(batch: Batch, targets: list[PhoneTarget], args: argparse.Namespace, signers: Signers | None,
                wipe_override: Override | None) -> list[PhoneReport] | None:
    """Every phone through the workflow, after the operator confirmed what it will do to them."""
    workflow = load_workflow(args.workflow or shared_document(resolve_data_dir(args.data_dir), DocumentKind.WORKFLOW, args.command)
                             or default_policy_path().parent / "workflows" / f"{args.command}.toml")
    destructive = [item.title for item in workflow.actions]
    if destructive and not args.yes:
        if not _confirm_at_terminal():
            return None
        print(f"{workflow.name} on {len(targets)} phone(s), operator {batch.engine.operator or 'none authenticated'}. It will:",
              file=sys.stderr)
        for title in destructive:
            print(f"  - {title}", file=sys.stderr)
        if input("Type yes to go on: ").strip().lower() != "yes":
            print("station: nothing done", file=sys.stderr)
            return None
    if wipe_override is not None:
        _warn(f"phones tied to their user's account will be wiped under {wipe_override.supervisor}'s override: they may stay locked")
    reports = batch.run_checklists(targets, workflow, wipe_override)
    if signers is not None:
        for refusal in batch.sign_off(reports, signers):
            _warn(refusal)
    return reports


def _scan_or_remove(batch: Batch, targets: list[PhoneTarget], args: argparse.Namespace) -> list[PhoneReport] | None:
    reports = batch.scan(targets)
    if args.command != "remove":
        return reports
    todo = [report for report in reports if report.reached and report.findings]
    if todo and not args.yes:
        if not _confirm_at_terminal("removal not confirmed"):
            return None
        print("These apps will be removed:", file=sys.stderr)
        for report in todo:
            for finding in report.findings:
                print(f"  {report.serial}  {finding.app_id} (user {finding.app.user})  {finding.rule_app}", file=sys.stderr)
        answer = input(f"Remove {sum(len(r.findings) for r in todo)} app(s) from {len(todo)} phone(s)? Type yes: ")
        if answer.strip().lower() != "yes":
            print("station: nothing removed", file=sys.stderr)
            return None
    by_address = {target.address: target for target in targets}
    # each removal is bound to the serial and the apps the operator saw and confirmed
    plan = [(by_address[r.address], r.serial, {f.app_id for f in r.findings}) for r in todo]
    removal = {report.address: report for report in batch.remove(plan)}
    return [removal.get(report.address, report) for report in reports]


def _confirm_at_terminal(what: str = "not confirmed") -> bool:
    if sys.stdin.isatty():
        return True
    _warn(f"{what}: run at a terminal to confirm, or add --yes")
    return False


def _exit_code(reports: list[PhoneReport]) -> int:
    if any(not report.reached for report in reports):
        return EXIT_UNREACHABLE
    if any(report.remaining or report.failed or report.ready is False for report in reports):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _warn(message: str) -> None:
    print(f"station: {message}", file=sys.stderr)
