"""One phone on the wall: a colour band with its status word, readable from a metre away."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QLabel, QProgressBar, QVBoxLayout, QWidget

from station.core.models import Platform
from station.gui.state import PhoneState, Status

TILE_WIDTH = 300
TILE_HEIGHT = 196
_BUSY = {Status.CONNECTING, Status.SCANNING, Status.REMOVING, Status.WIPING}


def plain(text: str) -> QLabel:
    """A label that shows device-provided text as the characters it is, never as markup."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class PhoneTile(QFrame):
    # (address, whether ctrl/shift was held: add to the selection instead of replacing it)
    clicked = Signal(str, bool)

    def __init__(self, address: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.address = address
        self.selected = False
        self.setFixedSize(TILE_WIDTH, TILE_HEIGHT)
        self.setObjectName("tile")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        layout.setSpacing(2)
        self.band = plain("")
        self.band.setObjectName("band")
        self.band.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.band.setFixedHeight(46)
        self.title = plain("")
        self.title.setObjectName("title")
        self.kind = plain("")
        self.kind.setObjectName("kind")
        self.serial = plain("")
        self.serial.setObjectName("serial")
        self.step = plain("")
        self.step.setObjectName("step")
        self.message = plain("")
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(6)
        layout.addWidget(self.band)
        for widget in (self.title, self.kind, self.serial, self.step, self.progress, self.message):
            widget.setContentsMargins(10, 0, 10, 0)
            layout.addWidget(widget)
        layout.addStretch(1)

    def show_state(self, state: PhoneState) -> None:
        colour = state.status.colour
        self.band.setText(state.status.word.upper())
        self.band.setStyleSheet(f"background: {colour}; color: white; font-size: 21pt; font-weight: bold;")
        platform = "Android" if state.platform is Platform.ANDROID else "iOS"
        ident = state.identity
        self.title.setText(ident.model if ident else state.title)
        self.kind.setText(f"{ident.manufacturer} · {platform} {ident.os_version}" if ident else platform)
        self.serial.setText(state.serial or state.address)
        count = len({f.app_id for f in state.findings})
        step = state.step
        if state.status is Status.BANNED:
            step = f"{count} banned app{'s' if count != 1 else ''} found"
        elif state.status is Status.CLEAN and state.app_count is not None:
            step = f"clean: {state.app_count} apps checked"
        self.step.setText(step)
        self.message.setText(state.message)
        self.message.setToolTip(state.message)
        busy = state.status in _BUSY and state.present
        self.progress.setRange(0, 0 if busy else 1)
        self.progress.setValue(0 if busy else 1)
        self.progress.setVisible(busy)
        self.setProperty("unplugged", not state.present)
        self._restyle()

    def set_selected(self, selected: bool) -> None:
        self.selected = selected
        self._restyle()

    def _restyle(self) -> None:
        border = "#1f5fa8" if self.selected else "#c4c9d0"
        width = 4 if self.selected else 1
        background = "#eceef1" if self.property("unplugged") else "white"
        self.setStyleSheet(
            f"QFrame#tile {{ background: {background}; border: {width}px solid {border}; border-radius: 6px; }}"
            "QLabel#title { font-size: 15pt; font-weight: bold; color: #111; }"
            "QLabel#kind { font-size: 11pt; color: #333; }"
            "QLabel#serial { font-size: 12pt; font-family: monospace; color: #222; }"
            "QLabel#step { font-size: 11pt; color: #333; }"
            "QLabel#message { font-size: 10pt; color: #8c1d18; }"
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        modifiers = event.modifiers()
        adding = bool(modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier))
        self.clicked.emit(self.address, adding)
        super().mousePressEvent(event)
