"""The history view (the log searched by serial, IMEI or asset tag) and the policy view."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout, QWidget

from station.audit.records import Record
from station.core.policy import Policy
from station.gui.detail_panel import fill, summary, table_widget
from station.gui.phone_tile import plain


class HistoryDialog(QDialog):
    """Type a serial, IMEI or asset tag and press Enter; the newest records come first."""

    def __init__(self, search: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("History")
        self._search = search
        layout = QVBoxLayout(self)
        self.term = QLineEdit()
        self.term.setPlaceholderText("serial, IMEI or asset tag, then Enter")
        self.term.returnPressed.connect(lambda: self._search(self.term.text().strip()))
        layout.addWidget(self.term)
        self.results = table_widget(["Time (UTC)", "Serial", "Phone", "Record", "Operator", "Details"])
        layout.addWidget(self.results, 1)
        self.status = plain("")
        layout.addWidget(self.status)
        self.resize(760, 480)

    def show_results(self, term: str, records: list[Record]) -> None:
        if term != self.term.text().strip():
            return
        rows = []
        for record in records:
            identity = record.identity or {}
            phone = " ".join(str(identity.get(k) or "") for k in ("manufacturer", "model")).strip()
            rows.append((record.time[:19].replace("T", " "), record.serial or "", phone, record.kind,
                         record.operator or "", summary(record)))
        fill(self.results, rows)
        self.status.setText(f"{len(records)} record(s) for {term!r}")


class PolicyDialog(QDialog):
    def __init__(self, policy: Policy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Policy: {policy.name}")
        layout = QVBoxLayout(self)
        layout.addWidget(plain(f"{policy.name}\n{policy.authority}, version {policy.version}\n{policy.path}\nSHA-256 {policy.sha256}"))
        table = table_widget(["Rule", "App", "Effective", "Android", "iOS", "Reason", "Source"])
        rows = []
        for rule in policy.rules:
            android = ", ".join([*sorted(rule.android_packages), *(p + ".*" for p in rule.android_prefixes)])
            ios = ", ".join([*sorted(rule.ios_bundle_ids), *(p + ".*" for p in rule.ios_prefixes),
                             *(f"team {t}" for t in sorted(rule.ios_team_ids))])
            rows.append((rule.id, rule.app, rule.effective.isoformat(), android, ios, rule.reason, rule.source))
        fill(table, rows)
        layout.addWidget(table, 1)
        self.resize(980, 420)
