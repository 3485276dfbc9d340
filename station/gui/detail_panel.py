"""The selected phone: who it is, what is installed (banned apps first, with why), and its history."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QLocale, Qt
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

from station.audit.history import History
from station.core.language import QT_TRANSLATE_NOOP, Language
from station.gui.language import current_language
from station.gui.phone_tile import BUSY, plain, platform_name
from station.gui.state import PhoneState
from station.gui.words import (
    accounts_text,
    battery_text,
    evidence_text,
    local_only_text,
    lock_text,
    managers_text,
    message_text,
    phone_title,
    result_word,
    seal_text,
    status_word,
    step_text,
)

BANNED = QColor("#fbe3e1")
# The identity rows, by key; their labels are translated where they are shown (retranslate).
_IDENTITY = (
    QT_TRANSLATE_NOOP("DetailPanel", "Platform"), QT_TRANSLATE_NOOP("DetailPanel", "Serial"),
    QT_TRANSLATE_NOOP("DetailPanel", "Serial number"), QT_TRANSLATE_NOOP("DetailPanel", "IMEI"),
    QT_TRANSLATE_NOOP("DetailPanel", "Model"), QT_TRANSLATE_NOOP("DetailPanel", "Security patch"),
    QT_TRANSLATE_NOOP("DetailPanel", "Supervised"), QT_TRANSLATE_NOOP("DetailPanel", "Account lock"),
    QT_TRANSLATE_NOOP("DetailPanel", "Accounts"), QT_TRANSLATE_NOOP("DetailPanel", "Managed by"),
    QT_TRANSLATE_NOOP("DetailPanel", "Battery"), QT_TRANSLATE_NOOP("DetailPanel", "Sealed"), QT_TRANSLATE_NOOP("DetailPanel", "Step"),
    QT_TRANSLATE_NOOP("DetailPanel", "Message"),
)
_FINDING_STYLE = "background: #fdf1f0; border-left: 5px solid #b3261e; padding: 6px 8px; font-size: 10pt; color: #111;"


def note_label() -> QLabel:
    """A line in the warning colour, hidden until there is something to say."""
    label = plain()
    label.setWordWrap(True)
    label.setStyleSheet("color: #b35c00; font-weight: bold;")
    label.hide()
    return label


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
    if state.facts is None:
        return {}
    return {
        "Account lock": lock_text(state),
        "Accounts": accounts_text(state),
        "Managed by": managers_text(state.facts.management),
        "Battery": battery_text(state.facts.battery),
    }


def history_rows(history: History) -> list[tuple[Any, ...]]:
    """A phone's history as table rows, newest first: time, station, record, operator, details."""
    return [(e.time[:19].replace("T", " "), e.station, f"{e.seq} {e.kind}", e.operator or "", e.details) for e in reversed(history.entries)]


def show_note(label: QLabel, history: History) -> None:
    """Say, above a history, when the depot did not answer and only this station's records are shown."""
    label.setText(local_only_text() if history.error else "")
    label.setToolTip(history.error or "")
    label.setVisible(history.error is not None)


class DetailPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(360)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        self.heading = plain()
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.status = plain()
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.hide()
        layout.addWidget(self.heading)
        layout.addWidget(self.status)
        self.identity = QFormLayout()
        self.identity.setHorizontalSpacing(14)
        self._identity_labels: dict[str, QLabel] = {}
        for key in _IDENTITY:
            label = plain()
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._identity_labels[key] = label
            self.identity.addRow(key, label)
        self._identity_labels["Message"].setStyleSheet("color: #8c1d18; font-weight: bold;")
        layout.addLayout(self.identity)
        self.findings_box = QFrame()
        self.findings = QVBoxLayout(self.findings_box)
        self.findings.setContentsMargins(0, 6, 0, 6)
        self.findings.setSpacing(6)
        layout.addWidget(self.findings_box)
        self.tabs = QTabWidget()
        apps, checklist, history = self._headers()
        self.apps = table_widget(apps)
        self.checklist = table_widget(checklist)
        self.history = table_widget(history)
        self.history_note = note_label()
        history_tab = QWidget()
        column = QVBoxLayout(history_tab)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.history_note)
        column.addWidget(self.history, 1)
        self.tabs.addTab(self.apps, "")
        self.tabs.addTab(self.checklist, "")
        self.tabs.addTab(history_tab, "")
        layout.addWidget(self.tabs, 1)
        self.state: PhoneState | None = None
        self._history_serial: str | None = None
        self._history: History | None = None
        self._history_count: int | None = None
        self.retranslate()

    def _headers(self) -> tuple[list[str], list[str], list[str]]:
        return ([self.tr("App"), self.tr("User"), self.tr("Finding"), self.tr("Rule"), self.tr("Reason"), self.tr("Source")],
                [self.tr("Item"), self.tr("Result"), self.tr("Evidence")],
                [self.tr("Time (UTC)"), self.tr("Station"), self.tr("Record"), self.tr("Operator"), self.tr("Details")])

    def retranslate(self) -> None:
        """Every text of the panel in the current language, the selected phone's included."""
        for table, headers in zip((self.apps, self.checklist, self.history), self._headers(), strict=True):
            table.setHorizontalHeaderLabels(headers)
        for key, label in self._identity_labels.items():
            row_label = self.identity.labelForField(label)
            if isinstance(row_label, QLabel):
                row_label.setText(self.tr("{label}:").format(label=self.tr(key)))
        self.tabs.setTabText(1, self.tr("Checklist"))
        self._history_tab()
        if self._history is not None:
            show_note(self.history_note, self._history)
        self.tabs.setTabText(0, self.tr("Installed apps"))
        state, self.state = self.state, None
        self.show_state(state)  # as a newly selected phone: every text of it again

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def _history_tab(self) -> None:
        count = self._history_count
        self.tabs.setTabText(2, self.tr("History ({count})").format(count=count) if count is not None else self.tr("History"))

    def show_state(self, state: PhoneState | None) -> None:
        previous = self.state
        self.state = state
        if state is None:
            self.heading.setText(self.tr("Select a phone on the wall"))
            self.status.hide()
            for label in self._identity_labels.values():
                label.setText("")
            self._show_findings(None)
            for table in (self.apps, self.checklist, self.history):
                table.setRowCount(0)
            self._forget_history()
            return
        ident = state.identity
        self.heading.setText(phone_title(state))
        word = status_word(state.status) + ("" if state.present else self.tr("  (unplugged)"))
        self.status.setText(word.upper())
        if previous is None or previous.status is not state.status:  # a new style sheet re-polishes the label
            self.status.setStyleSheet(f"background: {state.status.colour}; color: white; font-size: 15pt; font-weight: bold; "
                                      "padding: 4px; border-radius: 4px;")
        self.status.show()
        values = {
            "Platform": platform_name(state.platform) if ident is None else (
                f"Android {ident.os_version}" if state.platform == "android"
                else self.tr("iPhone, iOS {version}").format(version=ident.os_version)),
            "Serial": state.serial or state.address,
            "Serial number": (ident.hardware_serial or "") if ident else "",
            "IMEI": (ident.imei or "") if ident else "",
            "Model": f"{ident.manufacturer} {ident.model}" if ident else "",
            "Security patch": (ident.security_patch or "") if ident else "",
            "Supervised": {True: self.tr("yes"), False: self.tr("no"), None: ""}[ident.supervised] if ident else "",
            **facts_rows(state),
            "Sealed": seal_text(state),
            "Step": step_text(state) + ("…" if state.status in BUSY and state.present else ""),
            "Message": message_text(state),
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
            self._forget_history()

    def _show_findings(self, state: PhoneState | None) -> None:
        """Each banned app as a short paragraph: which app, which rule, why, and on whose authority."""
        while self.findings.count():
            item = self.findings.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        findings = state.findings if state else ()
        french = current_language() is Language.FR
        for finding in findings:
            user = self.tr(", user {user}").format(user=finding.app.user) if state and state.platform == "android" else ""
            name = f" ({finding.app.name})" if finding.app.name and finding.app.name != finding.rule_app else ""
            reason = (finding.reason_fr or finding.reason) if french else finding.reason
            source = (finding.source_fr or finding.source) if french else finding.source
            text = (f"{finding.rule_app}: {finding.app_id}{name}{user}\n"
                    + self.tr("Rule {rule}: {reason}\nSource: {source}").format(rule=finding.rule_id, reason=reason, source=source))
            label = plain(text)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setStyleSheet(_FINDING_STYLE)
            self.findings.addWidget(label)
        self.findings_box.setVisible(bool(findings))

    def _show_apps(self, state: PhoneState) -> None:
        french = current_language() is Language.FR
        rows: list[tuple[Any, ...]] = [(f.app_id, f.app.user, self.tr("BANNED"), f.rule_app,
                                        (f.reason_fr or f.reason) if french else f.reason,
                                        (f.source_fr or f.source) if french else f.source) for f in state.findings]
        banned = {(f.app_id, f.app.user) for f in state.findings}
        for app_id, user in sorted(state.apps):
            if (app_id, user) not in banned:
                rows.append((app_id, user, "", "", "", ""))
        fill(self.apps, rows, [bool(r[2]) for r in rows])
        count = state.app_count if state.app_count is not None else len(state.apps)
        self.tabs.setTabText(0, self.tr("Installed apps ({count})").format(count=QLocale().toString(count))
                             if state.apps else self.tr("Installed apps"))

    def _show_checklist(self, state: PhoneState) -> None:
        rows, failed = [], []
        for result in state.checklist:
            rows.append((result.item.title_in(current_language()), result_word(result.status), evidence_text(result.said)))
            failed.append(result.fails_phone)
        fill(self.checklist, rows, failed)

    def show_history(self, serial: str, history: History) -> None:
        """The phone's records from every station of the depot (newest first), or this station's alone
        when the depot did not answer; ignored if another phone is selected by now."""
        if self.state is None or self.state.serial != serial:
            return
        self._history_serial = serial
        self._history = history
        fill(self.history, history_rows(history))
        self.history.setColumnHidden(1, history.station is None)  # no depot: every record is this station's
        show_note(self.history_note, history)
        self._history_count = len(history.entries)
        self._history_tab()

    def _forget_history(self) -> None:
        self._history_serial = None
        self._history = None
        self._history_count = None
        self.history_note.hide()
        self._history_tab()
