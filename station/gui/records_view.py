"""The history view (the depot's records searched by serial, IMEI or asset tag) and the policy view."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QEvent, QLocale
from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout, QWidget

from station.audit.history import History
from station.core.language import Language
from station.core.policy import Policy
from station.gui.detail_panel import fill, note_label, show_note, table_widget
from station.gui.language import current_language
from station.gui.phone_tile import plain


class HistoryDialog(QDialog):
    """Type a serial, IMEI or asset tag and press Enter; the newest records come first, from every station
    of the depot (see station.workbench.depot_link.search)."""

    def __init__(self, search: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._search = search
        layout = QVBoxLayout(self)
        self.term = QLineEdit()
        self.term.returnPressed.connect(lambda: self._search(self.term.text().strip()))
        layout.addWidget(self.term)
        self.note = note_label()
        layout.addWidget(self.note)
        self.results = table_widget([""] * 6)
        layout.addWidget(self.results, 1)
        self.status = plain("")
        layout.addWidget(self.status)
        self._shown: tuple[str, int] | None = None  # the term and how many records were found for it
        self._history: History | None = None  # what was found for it
        self.retranslate()
        self.resize(760, 480)

    def retranslate(self) -> None:
        """The dialog stays open across sign-ins, so it follows the window's language."""
        self.setWindowTitle(self.tr("History"))
        self.term.setPlaceholderText(self.tr("serial, IMEI or asset tag, then Enter"))
        self.results.setHorizontalHeaderLabels([self.tr("Time (UTC)"), self.tr("Station"), self.tr("Serial"), self.tr("Record"),
                                                self.tr("Operator"), self.tr("Details")])
        if self._shown is not None:
            term, count = self._shown
            self.status.setText(self.tr("%n record(s) for '{term}'", "", count).format(term=term))
        if self._history is not None:
            show_note(self.note, self._history)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def show_results(self, term: str, history: History) -> None:
        if term != self.term.text().strip():
            return
        rows = [(e.time[:19].replace("T", " "), e.station, e.serial or "", f"{e.seq} {e.kind}", e.operator or "", e.details)
                for e in reversed(history.entries)]
        fill(self.results, rows)
        self.results.setColumnHidden(1, history.station is None)  # no depot: every record is this station's
        self._history = history
        self._shown = (term, len(history.entries))
        self.retranslate()


class PolicyDialog(QDialog):
    def __init__(self, policy: Policy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Policy: {name}").format(name=policy.name))
        layout = QVBoxLayout(self)
        layout.addWidget(plain(self.tr("{name}\n{authority}, version {version}\n{path}\nSHA-256 {sha256}").format(
            name=policy.name, authority=policy.authority, version=policy.version, path=policy.path, sha256=policy.sha256)))
        table = table_widget([self.tr("Rule"), self.tr("App"), self.tr("Effective"), "Android", "iOS", self.tr("Reason"),
                              self.tr("Source")])
        language = current_language()
        rows = []
        for rule in policy.rules:
            android = ", ".join([*sorted(rule.android_packages), *(p + ".*" for p in rule.android_prefixes)])
            ios = ", ".join([*sorted(rule.ios_bundle_ids), *(p + ".*" for p in rule.ios_prefixes),
                             *(f"team {t}" for t in sorted(rule.ios_team_ids))])
            source = rule.source_fr if language is Language.FR and rule.source_fr else rule.source
            rows.append((rule.id, rule.app, QLocale().toString(QDate(rule.effective), QLocale.FormatType.ShortFormat), android, ios,
                         rule.reason_in(language), source))
        fill(table, rows)
        layout.addWidget(table, 1)
        self.resize(980, 420)
