"""The selected phone: who it is, what is installed (banned apps first, with why), and its history."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station.audit.records import Record
from station.core.checklist import battery_summary
from station.core.models import Platform
from station.gui.phone_tile import BUSY, plain, platform_name
from station.gui.state import PhoneState

BANNED = QColor("#fbe3e1")
NOTHING_SELECTED = "Select a phone on the wall"
_FINDING_STYLE = "background: #fdf1f0; border-left: 5px solid #b3261e; padding: 6px 8px; font-size: 10pt; color: #111;"


def table_widget(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    # Columns are sized to their contents once per fill (see fill): in ResizeToContents mode Qt sizes them
    # again on every cell set, and refilling a table of 300 apps took seconds.
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    return table


def cell(text: object, banned: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem("" if text is None else str(text))  # table items never render markup
    item.setToolTip(item.text())
    if banned:
        item.setBackground(QBrush(BANNED))
    return item


def fill(table: QTableWidget, rows: list[tuple[Any, ...]], banned: list[bool] | None = None) -> None:
    """Replace the table's rows (plain-text cells; ``banned`` rows shaded), then size its columns once."""
    table.setUpdatesEnabled(False)
    table.setRowCount(0)
    table.setRowCount(len(rows))
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            table.setItem(row, column, cell(value, banned=bool(banned and banned[row])))
    for column in range(table.columnCount() - 1):  # the last one stretches to the table's width
        table.resizeColumnToContents(column)
    table.setUpdatesEnabled(True)


def facts_rows(state: PhoneState) -> dict[str, str]:
    """The account lock, the accounts, the phone's managers and its battery, as the last reading gave them."""
    facts, lock = state.facts, state.account_lock
    if facts is None:
        return {}
    accounts = "not listed" if facts.accounts is None else ", ".join(f"{a.name} ({a.type})" for a in facts.accounts) or "none"
    return {
        "Account lock": "" if lock is None else f"{lock.gate}: {lock.evidence}",
        "Accounts": accounts if state.platform is Platform.ANDROID else "",
        "Managed by": "not known" if facts.management is None else "; ".join(facts.management) or "nobody",
        "Battery": "not reported" if facts.battery is None else battery_summary(facts.battery),
    }


def summary(record: Record) -> str:
    """One line saying what a log record holds, without its long lists."""
    parts = []
    for key, value in record.data.items():
        if isinstance(value, list):
            parts.append(f"{key}: {len(value)}")
        elif not isinstance(value, dict) and value not in (None, ""):
            parts.append(f"{key}: {value}")
    return ", ".join(parts)


class DetailPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(360)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        self.heading = plain(NOTHING_SELECTED)
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.status = plain()
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.hide()
        layout.addWidget(self.heading)
        layout.addWidget(self.status)
        self.identity = QFormLayout()
        self.identity.setHorizontalSpacing(14)
        self._identity_labels: dict[str, QLabel] = {}
        for key in ("Platform", "Serial", "Serial number", "IMEI", "Model", "Security patch", "Supervised", "Account lock",
                    "Accounts", "Managed by", "Battery", "Step", "Message"):
            label = plain()
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._identity_labels[key] = label
            self.identity.addRow(key + ":", label)
        self._identity_labels["Message"].setStyleSheet("color: #8c1d18; font-weight: bold;")
        layout.addLayout(self.identity)
        self.findings_box = QFrame()
        self.findings = QVBoxLayout(self.findings_box)
        self.findings.setContentsMargins(0, 6, 0, 6)
        self.findings.setSpacing(6)
        layout.addWidget(self.findings_box)
        self.tabs = QTabWidget()
        self.apps = table_widget(["App", "User", "Finding", "Rule", "Reason", "Source"])
        self.checklist = table_widget(["Item", "Result", "Evidence"])
        self.history = table_widget(["Time (UTC)", "Record", "Operator", "Details"])
        self.tabs.addTab(self.apps, "Installed apps")
        self.tabs.addTab(self.checklist, "Checklist")
        self.tabs.addTab(self.history, "History")
        layout.addWidget(self.tabs, 1)
        self.state: PhoneState | None = None
        self._history_serial: str | None = None

    def show_state(self, state: PhoneState | None) -> None:
        previous = self.state
        self.state = state
        if state is None:
            self.heading.setText(NOTHING_SELECTED)
            self.status.hide()
            for label in self._identity_labels.values():
                label.setText("")
            self._show_findings(None)
            for table in (self.apps, self.checklist, self.history):
                table.setRowCount(0)
            self._history_serial = None
            return
        ident = state.identity
        self.heading.setText(state.title)
        word = state.status.word + ("" if state.present else "  (unplugged)")
        self.status.setText(word.upper())
        if previous is None or previous.status is not state.status:  # a new style sheet re-polishes the label
            self.status.setStyleSheet(f"background: {state.status.colour}; color: white; font-size: 15pt; font-weight: bold; "
                                      "padding: 4px; border-radius: 4px;")
        self.status.show()
        values = {
            "Platform": platform_name(state.platform) if ident is None else (
                f"Android {ident.os_version}" if state.platform == "android" else f"iPhone, iOS {ident.os_version}"),
            "Serial": state.serial or state.address,
            "Serial number": (ident.hardware_serial or "") if ident else "",
            "IMEI": (ident.imei or "") if ident else "",
            "Model": f"{ident.manufacturer} {ident.model}" if ident else "",
            "Security patch": (ident.security_patch or "") if ident else "",
            "Supervised": {True: "yes", False: "no", None: ""}[ident.supervised] if ident else "",
            **facts_rows(state),
            "Step": state.step + ("…" if state.status in BUSY and state.present else ""),
            "Message": state.message,
        }
        for key, value in values.items():
            label = self._identity_labels[key]
            label.setText(value)
            empty = not value
            self.identity.setRowVisible(label, not empty or key in ("Platform", "Serial", "Step"))
        if previous is None or previous.address != state.address or previous.findings != state.findings or previous.apps != state.apps:
            self._show_findings(state)
            self._show_apps(state)
        if previous is None or previous.address != state.address or previous.checklist != state.checklist:
            self._show_checklist(state)
        if state.serial != self._history_serial:
            self.history.setRowCount(0)

    def _show_findings(self, state: PhoneState | None) -> None:
        """Each banned app as a short paragraph: which app, which rule, why, and on whose authority."""
        while self.findings.count():
            item = self.findings.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        findings = state.findings if state else ()
        for finding in findings:
            user = f", user {finding.app.user}" if state and state.platform == "android" else ""
            name = f" ({finding.app.name})" if finding.app.name and finding.app.name != finding.rule_app else ""
            text = (f"{finding.rule_app}: {finding.app_id}{name}{user}\n"
                    f"Rule {finding.rule_id}: {finding.reason}\nSource: {finding.source}")
            label = plain(text)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setStyleSheet(_FINDING_STYLE)
            self.findings.addWidget(label)
        self.findings_box.setVisible(bool(findings))

    def _show_apps(self, state: PhoneState) -> None:
        rows: list[tuple[Any, ...]] = [(f.app_id, f.app.user, "BANNED", f.rule_app, f.reason, f.source) for f in state.findings]
        banned = {(f.app_id, f.app.user) for f in state.findings}
        for app_id, user in sorted(state.apps):
            if (app_id, user) not in banned:
                rows.append((app_id, user, "", "", "", ""))
        fill(self.apps, rows, [bool(r[2]) for r in rows])
        count = state.app_count if state.app_count is not None else len(state.apps)
        self.tabs.setTabText(0, f"Installed apps ({count})" if state.apps else "Installed apps")

    def _show_checklist(self, state: PhoneState) -> None:
        rows, failed = [], []
        for result in state.checklist:
            rows.append((result.item.title, str(result.status).upper(), result.evidence))
            failed.append(result.fails_phone)
        fill(self.checklist, rows, failed)

    def show_history(self, serial: str, records: list[Record]) -> None:
        """The log's records for the phone (newest first); ignored if another phone is selected by now."""
        if self.state is None or self.state.serial != serial:
            return
        self._history_serial = serial
        rows = [(r.time[:19].replace("T", " "), f"{r.seq} {r.kind}", r.operator or "", summary(r)) for r in reversed(records)]
        fill(self.history, rows)
        self.tabs.setTabText(2, f"History ({len(rows)})")
