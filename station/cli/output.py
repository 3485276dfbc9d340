"""What the `station` command prints: the JSON array, the table, and progress on stderr."""

from __future__ import annotations

import csv
import html
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from station.audit.history import HistoryEntry
from station.core import events
from station.core.account_lock import AccountLock
from station.core.checklist import battery_summary
from station.core.checklist import failing as failing_items
from station.core.models import Battery, DeviceFacts, Finding
from station.core.policy import Policy
from station.workbench.engine import PhoneReport

if TYPE_CHECKING:  # the depot's modules load psycopg: only the depot commands need them
    from station.depot.report import ReportRow
    from station.workbench.depot_link import DepotStatus


def print_reports(reports: list[PhoneReport], policy: Policy, command: str, as_json: bool) -> None:
    removal = command != "scan"
    if as_json:
        json.dump([report_json(report, removal) for report in reports], sys.stdout, indent=2)
        print()
    else:
        print_table(reports, policy, removal, sys.stdout)


def _finding_json(finding: Finding) -> dict[str, Any]:
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


def report_json(report: PhoneReport, removal: bool) -> dict[str, Any]:
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
        "identity_ambiguous": identity.ambiguous if identity else None,
        "apps": report.app_count,
        "findings": [_finding_json(finding) for finding in report.findings],
        "error": report.error,
        "error_kind": report.error_kind,
        **_facts_json(report.facts, report.account_lock),
    }
    if report.checklist is not None:
        out["workflow"] = report.workflow
        out["ready"] = report.ready
        out["signed_off"] = report.signed_off
        # The seal step, when the workflow has one: state sealed or not_sealed, time (UTC) when the station saw
        # its access end, evidence (how, or why not), handout (how an Android phone went out; null for an iPhone).
        out["seal"] = None if report.seal is None else report.seal.as_record()
        out["checklist"] = [
            {"id": r.item.id, "title": r.item.title, "mandatory": r.item.mandatory, "status": str(r.status), "evidence": r.evidence}
            for r in report.checklist
        ]
    if removal:
        out["removed"] = [{"app_id": a.app_id, "user": a.user, "method": a.method, "notes": list(a.notes)} for a in report.removed]
        out["failed"] = [{"app_id": a.app_id, "user": a.user, "method": a.method, "error": a.error} for a in report.failed]
        out["findings_after"] = None if report.findings_after is None else [_finding_json(f) for f in report.findings_after]
    return out


def _facts_json(facts: DeviceFacts | None, lock: AccountLock | None) -> dict[str, Any]:
    """What the phone said of its battery, its managers and its accounts (null where it was not read)."""
    return {
        "account_lock": None if lock is None else {"gate": str(lock.gate), "evidence": lock.evidence, "remedy": lock.remedy},
        "find_my": None if facts is None else facts.find_my,
        "accounts": None if facts is None or facts.accounts is None else [
            {"type": a.type, "name": a.name, "user": a.user} for a in facts.accounts],
        "management": None if facts is None or facts.management is None else list(facts.management),
        "battery": None if facts is None or facts.battery is None else _battery_json(facts.battery),
    }


def _battery_json(battery: Battery) -> dict[str, Any]:
    return {"level": battery.level, "health": str(battery.health), "charging": battery.charging,
            "temperature_c": battery.temperature_c, "cycle_count": battery.cycle_count,
            "capacity_percent": battery.capacity_percent, "charge_counter_uah": battery.charge_counter_uah}


def _fact_lines(report: PhoneReport) -> list[str]:
    """The account lock first (it decides whether the phone may be wiped), then battery and managers."""
    lines = []
    lock = report.account_lock
    if lock is not None and not lock.clear:
        lines.append(f"ACCOUNT LOCK ({lock.gate}): {lock.evidence}. {lock.remedy}")
    facts = report.facts
    if facts is not None:
        if facts.battery is not None:
            lines.append(f"battery {battery_summary(facts.battery)}")
        lines += [f"managed: {manager}" for manager in facts.management or ()]
    return lines


def print_table(reports: list[PhoneReport], policy: Policy, removal: bool, out: TextIO) -> None:
    print(f"Policy: {policy.name} ({policy.id} {policy.version})", file=out)
    header = ("SERIAL", "PLATFORM", "MODEL", "OS", "APPS", "RESULT")
    rows = []
    for report in reports:
        identity = report.identity
        if report.error:
            result = "ERROR: " + report.error
        elif report.ready is not None:
            failing = [r.item.id for r in failing_items(report.checklist or [])]
            result = "READY" if report.ready else "NOT READY: " + ", ".join(failing)
            if report.seal is not None and report.seal.sealed:
                result += f", sealed at {report.seal.time}"
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
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[-1], file=out)
    for report in reports:
        for line in _fact_lines(report):
            print(f"  {report.serial}: {line}", file=out)
        for finding in report.remaining:
            user = f" (user {finding.app.user})" if report.platform == "android" else ""
            print(f"  {report.serial}: {finding.app_id}{user} is {finding.rule_app}: {finding.reason}", file=out)
        for attempt in report.failed:
            print(f"  {report.serial}: removing {attempt.app_id} failed: {attempt.error}", file=out)


class ProgressPrinter:
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


def print_depot_status(state: DepotStatus, as_json: bool) -> None:
    stations = [{"name": s.name, "station_id": s.station_id, "joined": s.joined, "records": s.records,
                 "last_seq": s.last_seq, "last_push": s.last_push} for s in state.stations]
    if as_json:
        json.dump({"joined": state.joined, "name": state.name, "server": state.server, "connected": state.connected,
                   "error": state.error, "pending": state.pending, "pushed_seq": state.pushed_seq,
                   "local_seq": state.local_seq, "stations": stations}, sys.stdout, indent=2)
        print()
        return
    if not state.joined:
        print(f"not joined to a depot; {state.local_seq} records in the local log")
        return
    link = "connected" if state.connected else f"NOT connected: {state.error}"
    print(f"{state.name} at {state.server}: {link}; {state.pending} record(s) wait to be pushed")
    for s in stations:
        print(f"  {s['name']}: {s['records']} records, up to {s['last_seq']}, last push {s['last_push'] or 'never'}")


def print_history(entries: list[HistoryEntry], as_json: bool) -> None:
    if as_json:
        json.dump([asdict(entry) for entry in entries], sys.stdout, indent=2)
        print()
        return
    for e in entries:
        print(f"{e.time}  {e.station}  #{e.seq}  {e.kind}  {e.serial or '-'}  {e.operator or ''}".rstrip())


REPORT_COLUMNS = ("day", "station", "operator", "provisioned", "returned", "signed_off", "not_ready", "overridden", "retired")


def write_report_csv(rows: list[ReportRow], out: TextIO) -> None:
    """One row per day, station and operator; then a column per policy rule: banned apps found by it."""
    rules = sorted({rule for row in rows for rule in row.found})
    writer = csv.writer(out)
    writer.writerow([*REPORT_COLUMNS, *(f"found:{rule}" for rule in rules)])
    for row in rows:
        writer.writerow([*(getattr(row, name) for name in REPORT_COLUMNS), *(row.found.get(rule, 0) for rule in rules)])


def write_report_pdf(rows: list[ReportRow], since: str, path: Path) -> None:
    """The same counts as the CSV, as landscape pages a supervisor prints weekly (Qt's PDF writer): what
    was done per day, station and operator, then the banned apps found, by policy rule."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a document needs no screen
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument

    def table(header: tuple[str, ...], lines: Sequence[tuple[object, ...]]) -> str:
        head = "".join(f"<th>{html.escape(name.replace('_', ' '))}</th>" for name in header)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(str(value))}</td>" for value in line) + "</tr>" for line in lines)
        return f"<table width='100%' cellspacing='0'><tr>{head}</tr>{body}</table>"

    app = QGuiApplication.instance() or QGuiApplication([])
    done = [tuple(getattr(row, name) for name in REPORT_COLUMNS) for row in rows]
    found = [(row.day, row.station, row.operator, rule, count) for row in rows for rule, count in sorted(row.found.items()) if count]
    title = f"<h2>Depot report since {html.escape(since)}</h2>"
    if not rows:
        page = title + "<p>No phone was worked at any station since then.</p>"
    else:
        page = (title + "<p>Per day (UTC), station and operator.</p>" + table(REPORT_COLUMNS, done)
                + "<h3>Banned apps found, by policy rule</h3><p>Each app counted once per phone and day.</p>"
                + (table(("day", "station", "operator", "rule", "found"), found) if found else "<p>None.</p>"))
    text = QTextDocument()
    text.setDefaultStyleSheet("body { font-family: 'DejaVu Sans'; font-size: 8pt; } th { text-align: left; background: #e8eef6; }"
                              " td, th { padding: 2px 6px; border-bottom: 1px solid #c4c9d0; white-space: nowrap; }")
    text.setHtml(page)
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setTitle(f"Depot report since {since}")
    writer.setCreator("Depot Station")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.Letter), QPageLayout.Orientation.Landscape,
                                     QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))  # print_ adds its own 2 cm
    text.print_(writer)
    del app
