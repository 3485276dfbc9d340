"""One phone on the wall: a colour band with its status word, readable from a metre away."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from station.core.models import Platform
from station.gui.state import PhoneState, TileStatus
from station.gui.words import message_text, phone_title, status_word, step_text

TILE_WIDTH = 264
TILE_HEIGHT = 158
BAND_POINTS = 20  # the status word's size, readable from a metre away
MIN_BAND_POINTS = 11
BUSY = frozenset({TileStatus.CONNECTING, TileStatus.SCANNING, TileStatus.REMOVING, TileStatus.WIPING, TileStatus.SEALING})

# Set once on the wall that holds the tiles: a style sheet on each tile was parsed and matched per tile.
TILE_STYLE = """
QFrame#tile { background: white; border: 1px solid #c4c9d0; border-radius: 6px; }
QFrame#tile[selected="true"] { border: 3px solid #1f5fa8; }
QFrame#tile[unplugged="true"] { background: #e9ebee; }
QLabel#band { color: white; font-size: 20pt; font-weight: bold; border-top-left-radius: 5px; border-top-right-radius: 5px; }
QLabel#title { font-size: 14pt; font-weight: bold; color: #111; }
QLabel#serial { font-size: 13pt; font-family: "DejaVu Sans Mono", "Consolas", monospace; color: #111; }
QLabel#platform { font-size: 10pt; font-weight: bold; color: #5b6b7a; }
QLabel#step { font-size: 10pt; color: #333; }
QLabel#message { font-size: 10pt; color: #8c1d18; }
QFrame#tile[unplugged="true"] QLabel#title, QFrame#tile[unplugged="true"] QLabel#serial { color: #555; }
QProgressBar { border: none; background: #e3e6ea; max-height: 5px; }
QProgressBar::chunk { background: #1f5fa8; }
"""


def plain(text: str = "") -> QLabel:
    """A label that shows device-provided text as the characters it is, never as markup."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def platform_name(platform: Platform) -> str:
    return "Android" if platform is Platform.ANDROID else "iPhone"


def shown_serial(state: PhoneState) -> str:
    """What the operator reads on the phone's box or settings: an iPhone's serial number, else the serial."""
    ident = state.identity
    if ident is None:
        return state.address
    if ident.ambiguous:  # a twin: its serial says nothing alone, its address tells it apart
        return f"{ident.serial} (twin) at {state.address}"
    return ident.hardware_serial or ident.serial


def step_line(state: PhoneState) -> str:
    """The tile's small line: what the phone is doing or what came of it."""
    if state.status is TileStatus.BANNED:
        count = len({f.app_id for f in state.findings})
        apps = ", ".join(sorted({f.rule_app for f in state.findings}))
        return QCoreApplication.translate("PhoneTile", "%n banned app(s): ", "", count) + apps
    if state.status is TileStatus.CLEAN and state.app_count is not None:
        removed = sum(1 for a in state.attempts if a.ok)
        return (QCoreApplication.translate("PhoneTile", "%n removed, verified clean", "", removed) if removed
                else QCoreApplication.translate("PhoneTile", "%n apps checked", "", state.app_count))
    if state.status is TileStatus.CONNECTING:
        return QCoreApplication.translate("PhoneTile", "connecting…")
    return step_text(state)


class PhoneTile(QFrame):
    # (address, whether ctrl/shift was held: add to the selection instead of replacing it)
    clicked = Signal(str, bool)

    def __init__(self, address: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.address = address
        self.selected = False
        self.state: PhoneState | None = None
        self._last_status: TileStatus | None = None  # what it was doing before it was unplugged
        self._last_message = ""
        self.setObjectName("tile")
        self.setFixedSize(TILE_WIDTH, TILE_HEIGHT)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 6)
        layout.setSpacing(1)
        self.band = plain()
        self.band.setObjectName("band")
        self.band.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.band.setFixedHeight(44)
        self.title = plain()
        self.title.setObjectName("title")
        self.platform = plain()
        self.platform.setObjectName("platform")
        self.serial = plain()
        self.serial.setObjectName("serial")
        self.serial.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.step = plain()
        self.step.setObjectName("step")
        self.message = plain()
        self.message.setObjectName("message")
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(5)
        layout.addWidget(self.band)
        heading = QHBoxLayout()
        heading.setContentsMargins(10, 2, 10, 0)
        heading.addWidget(self.title, 1)
        heading.addWidget(self.platform)
        layout.addLayout(heading)
        for widget in (self.serial, self.step, self.message):
            widget.setContentsMargins(10, 0, 10, 0)
            layout.addWidget(widget)
        layout.addStretch(1)
        bar = QHBoxLayout()
        bar.setContentsMargins(10, 0, 10, 0)
        bar.addWidget(self.progress)
        layout.addLayout(bar)

    def show_state(self, state: PhoneState) -> None:
        previous = self.state
        self.state = state
        if previous is None or previous.status is not state.status:
            word = status_word(state.status).upper()
            self.band.setStyleSheet(f"background: {state.status.colour}; font-size: {self._band_points(word)}pt;")
            self.band.setText(word)
        ident = state.identity
        self.platform.setText(f"{platform_name(state.platform)} {ident.os_version}" if ident else platform_name(state.platform))
        self.platform.ensurePolished()
        room = TILE_WIDTH - 30 - self.platform.fontMetrics().horizontalAdvance(self.platform.text())
        self._elide(self.title, ident.model if ident else phone_title(state), room)
        self.serial.setText(shown_serial(state))
        if state.present:
            self._last_status = state.status
            self._last_message = message_text(state)
            self._elide(self.step, step_line(state))
            self._elide(self.message, message_text(state))
        else:
            # Unplugged: the tile keeps what the phone last showed, so nothing the operator needs is lost.
            was = status_word(self._last_status) if self._last_status not in (None, TileStatus.UNPLUGGED) else ""
            self._elide(self.step, QCoreApplication.translate("PhoneTile", "was: {status}").format(status=was) if was else step_text(state))
            self._elide(self.message, message_text(state) or self._last_message)
        busy = state.status in BUSY and state.present
        self.progress.setRange(0, 0 if busy else 1)
        self.progress.setValue(0 if busy else 1)
        self.progress.setVisible(busy)
        if previous is None or previous.present != state.present:
            self._set_flag("unplugged", not state.present)

    def _band_points(self, word: str) -> int:
        """The band's type size: 20 pt, smaller for a word that would not fit (APPLICATIONS INTERDITES)."""
        self.band.ensurePolished()
        font = QFont(self.band.font())
        for points in range(BAND_POINTS, MIN_BAND_POINTS, -1):
            font.setPointSize(points)
            if QFontMetrics(font).horizontalAdvance(word) <= TILE_WIDTH - 16:
                return points
        return MIN_BAND_POINTS

    @staticmethod
    def _elide(label: QLabel, text: str, width: int = TILE_WIDTH - 24) -> None:
        """One line that fits the tile (or ``width``); the whole text stays in the tooltip."""
        label.ensurePolished()  # the style sheet's font, not the default one
        label.setText(label.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width))
        label.setToolTip(text if label.text() != text else "")
        label.setAccessibleName(text)

    def set_selected(self, selected: bool) -> None:
        if selected != self.selected:
            self.selected = selected
            self._set_flag("selected", selected)

    def _set_flag(self, name: str, value: bool) -> None:
        """Set a property the style sheet's selectors read, and restyle what depends on it: only the
        unplugged flag changes the labels' colours, so selecting a wall of tiles restyles just the tiles."""
        self.setProperty(name, "true" if value else "false")
        self.style().unpolish(self)
        self.style().polish(self)
        if name == "unplugged":
            for child in self.findChildren(QLabel):
                child.style().unpolish(child)
                child.style().polish(child)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        """A new language: show the same state again in its words."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange and self.state is not None:
            state, self.state = self.state, None
            self.show_state(state)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        modifiers = event.modifiers()
        adding = bool(modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier))
        self.clicked.emit(self.address, adding)
        super().mousePressEvent(event)
