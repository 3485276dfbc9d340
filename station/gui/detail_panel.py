"""The selected phone: who it is, what is installed (banned apps first, with why), and its history."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station.gui.phone_tile import plain
from station.gui.state import PhoneState

BANNED = QColor("#fbe3e1")


def table_widget(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(False)
    return table


def cell(text: object, banned: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem("" if text is None else str(text))  # table items never render markup
    item.setToolTip(item.text())
    if banned:
        item.setBackground(QBrush(BANNED))
    return item


class DetailPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.heading = plain("Select a phone on the wall")
        self.heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
        layout.addWidget(self.heading)
        self.identity = QFormLayout()
        self._identity_labels: dict[str, QLabel] = {}
        for key in ("Status", "Platform", "Serial", "Model", "OS", "Security patch", "IMEI", "Supervised", "Message"):
            label = plain("")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._identity_labels[key] = label
            self.identity.addRow(key + ":", label)
        layout.addLayout(self.identity)
        self.tabs = QTabWidget()
        self.apps = table_widget(["App", "User", "Finding", "Rule", "Reason", "Source"])
        self.checklist = table_widget(["Item", "Result", "Evidence"])
        self.history = table_widget(["Time (UTC)", "Record", "Operator", "Summary"])
        self.tabs.addTab(self.apps, "Installed apps")
        self.tabs.addTab(self.checklist, "Checklist")
        self.tabs.addTab(self.history, "History")
        layout.addWidget(self.tabs, 1)
        self.state: PhoneState | None = None

    def show_state(self, state: PhoneState | None) -> None:
        self.state = state
        if state is None:
            self.heading.setText("Select a phone on the wall")
            for label in self._identity_labels.values():
                label.setText("")
            self.apps.setRowCount(0)
            self.checklist.setRowCount(0)
            self.history.setRowCount(0)
            return
        ident = state.identity
        self.heading.setText(state.title)
        values = {
            "Status": state.status.word + ("" if state.present else " (unplugged)"),
            "Platform": str(state.platform),
            "Serial": state.serial or state.address,
            "Model": f"{ident.manufacturer} {ident.model}" if ident else "",
            "OS": ident.os_version if ident else "",
            "Security patch": (ident.security_patch or "") if ident else "",
            "IMEI": (ident.imei or "") if ident else "",
            "Supervised": {True: "yes", False: "no", None: ""}[ident.supervised] if ident else "",
            "Message": state.message,
        }
        for key, value in values.items():
            self._identity_labels[key].setText(value)
        self._show_apps(state)
        self._show_checklist(state)

    def _show_apps(self, state: PhoneState) -> None:
        rows: list[tuple[Any, ...]] = []
        for finding in state.findings:
            rows.append((finding.app_id, finding.app.user, "BANNED", finding.rule_app, finding.reason, finding.source))
        banned = {(f.app_id, f.app.user) for f in state.findings}
        for app_id, user in state.apps:
            if (app_id, user) not in banned:
                rows.append((app_id, user, "", "", "", ""))
        self.apps.setRowCount(len(rows))
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                self.apps.setItem(row, column, cell(value, banned=bool(values[2])))

    def _show_checklist(self, state: PhoneState) -> None:
        items = state.checklist
        self.checklist.setRowCount(len(items))
        for row, result in enumerate(items):
            failed = str(result.status) == "fail" and result.item.mandatory
            for column, value in enumerate((result.item.title, str(result.status).upper(), result.evidence)):
                self.checklist.setItem(row, column, cell(value, banned=failed))

    def show_history(self, serial: str, records: list[dict[str, Any]]) -> None:
        if self.state is None or self.state.serial != serial:
            return
        self.history.setRowCount(len(records))
        for row, record in enumerate(reversed(records)):
            data = record.get("data") or {}
            summary = ", ".join(f"{k}={v}" for k, v in data.items() if k not in ("apps", "items") and not isinstance(v, (list, dict)))
            values = (record["time"][:19].replace("T", " "), f"{record['seq']} {record['kind']}", record.get("operator") or "", summary)
            for column, value in enumerate(values):
                self.history.setItem(row, column, cell(value))
