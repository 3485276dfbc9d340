"""The backup reminder: a bar above the wall, shown to a signed-in supervisor when the log has gone too
long without a backup, and the window's own backup of the log."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QLocale, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from station.audit.backup import BackupState

REMIND_KEY = "backup/remind_after_days"  # in the window's QSettings
REMIND_DEFAULT = 7
REMIND_RANGE = (1, 365)

_STYLE = """
QFrame#backupBar { background: #fff4d6; border-bottom: 1px solid #e0b84c; }
QFrame#backupBar QLabel { color: #4d3800; }
"""


def remind_after_days(value: object) -> int:
    """The setting as QSettings gives it back (an int, or the text an .ini file holds), within its range."""
    try:
        days = int(str(value))
    except ValueError:
        return REMIND_DEFAULT
    return min(max(days, REMIND_RANGE[0]), REMIND_RANGE[1])


class BackupBar(QFrame):
    """Says when the log was last backed up and how to make one; never in the way (no dialog, no focus)."""

    # a BackupState answering the window's question, emitted from the bench's thread
    state_arrived = Signal(object)
    backup_requested = Signal()
    # (records, folder) of a backup the window made, emitted from the bench's thread
    backed_up = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backupBar")
        self.setStyleSheet(_STYLE)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.back_up = QPushButton()
        self.back_up.setObjectName("backUpNow")
        self.back_up.clicked.connect(self.backup_requested)
        self.later = QPushButton()
        self.later.clicked.connect(self.hide)
        row.addWidget(self.text, 1)
        row.addWidget(self.back_up)
        row.addWidget(self.later)
        self.shown_state: BackupState | None = None
        self.hide()
        self.retranslate()

    def remind(self, state: BackupState) -> None:
        self.shown_state = state
        self.retranslate()
        self.show()

    def clear(self) -> None:
        self.shown_state = None
        self.hide()

    def retranslate(self) -> None:
        self.back_up.setText(self.tr("Back up now…"))
        self.later.setText(self.tr("Later"))
        state = self.shown_state
        if state is None:
            return
        how = self.tr("Back up the log (Station > Back up the log…, or `station log backup FOLDER`).")
        if state.last is None:
            self.text.setText(self.tr("The log has never been backed up.") + " " + how)
            return
        days = (dt.datetime.now(dt.UTC) - state.last).days
        day = state.last.astimezone().date()
        when = QLocale().toString(QDate(day.year, day.month, day.day), QLocale.FormatType.LongFormat)
        self.text.setText(self.tr("The log was last backed up on {date} (%n day(s) ago).", "", days).format(date=when) + " " + how)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
