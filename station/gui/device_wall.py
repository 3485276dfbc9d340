"""The wall: a tile per phone, in arrival order, reflowing to the window's width, under a count by status.

A hub can announce dozens of phones at once. Their tiles are built a few at a time, a frame's worth of work
per turn of the event loop, so the window keeps painting and answering between them.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from station.gui.phone_tile import TILE_STYLE, TILE_WIDTH, PhoneTile, plain
from station.gui.state import PhoneState, TileStatus
from station.gui.words import status_word

SPACING = 12
BUILD_BUDGET_S = 0.006  # tile building per turn of the event loop: well under a 60 Hz frame


class SummaryBar(QWidget):
    """How many phones are in each state, in the tiles' colours: the bench at a glance."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(SPACING, 8, SPACING, 2)
        self._layout.setSpacing(8)
        self.total = plain()
        self.total.setStyleSheet("font-size: 14pt; font-weight: bold; color: #111; padding-right: 6px;")
        self._layout.addWidget(self.total)
        self.chips: dict[TileStatus, QLabel] = {}
        for status in TileStatus:
            chip = plain()
            chip.setStyleSheet(
                f"background: {status.colour}; color: white; font-size: 11pt; font-weight: bold; border-radius: 4px; padding: 3px 9px;"
            )
            chip.hide()
            self.chips[status] = chip
            self._layout.addWidget(chip)
        self._layout.addStretch(1)
        self._counts: Counter[TileStatus] = Counter()
        self._show(self._counts)

    def show_counts(self, states: Iterable[PhoneState]) -> None:
        self._show(Counter(state.status for state in states))

    def _show(self, counts: Counter[TileStatus]) -> None:
        self._counts = counts
        total = sum(counts.values())
        self.total.setText(self.tr("%n phone(s)", "", total) if total else self.tr("No phones"))
        for status, chip in self.chips.items():
            chip.setText(f"{QLocale().toString(counts[status])} {status_word(status)}")
            chip.setVisible(bool(counts[status]))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._show(self._counts)

    def text(self) -> str:
        return "  ".join([self.total.text(), *(c.text() for c in self.chips.values() if not c.isHidden())])


class DeviceWall(QScrollArea):
    # the selected addresses, in wall order
    selection_changed = Signal(list)
    # the addresses of phones whose tiles have just appeared on the wall
    tiles_shown = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.tiles: dict[str, PhoneTile] = {}
        self._waiting: dict[str, PhoneState] = {}  # phones whose tile is not built yet, in arrival order
        self._unplaced: list[PhoneTile] = []  # tiles built but not yet on the wall (the last of self.tiles)
        self._builder = QTimer(self)
        self._builder.setSingleShot(True)
        self._builder.setInterval(0)
        self._builder.timeout.connect(self._build_waiting)
        self.selected: list[str] = []
        self._inner = QWidget()
        self._inner.setObjectName("wall")
        self._inner.setStyleSheet("QWidget#wall { background: #f4f5f7; }" + TILE_STYLE)
        outer = QVBoxLayout(self._inner)
        outer.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        self._grid = QGridLayout()
        self._grid.setSpacing(SPACING)
        self._grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._empty = plain()
        self._empty.setStyleSheet("font-size: 14pt; color: #5b6b7a; padding: 30px;")
        outer.addWidget(self._empty)
        outer.addLayout(self._grid)
        outer.addStretch(1)
        self.setWidget(self._inner)
        self._columns = 0
        self.retranslate()
        # The first tile ever built pays for loading fonts and parsing the style (tens of ms): pay it now,
        # while the window opens, not when a hub announces its phones.
        PhoneTile("").deleteLater()

    def retranslate(self) -> None:
        self._empty.setText(self.tr("No phones yet.\nPlug one in: an Android phone with USB debugging on, or an unlocked iPhone."))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def show_state(self, state: PhoneState) -> None:
        """Show ``state`` on its phone's tile; a new phone's tile is built soon after (see _build_waiting)."""
        tile = self.tiles.get(state.address)
        if tile is not None:
            tile.show_state(state)
            return
        self._waiting[state.address] = state
        self._empty.hide()
        if not self._builder.isActive():
            self._builder.start()

    def addresses(self) -> list[str]:
        """Every phone on the wall, in arrival order, including those whose tile is not built yet."""
        return [*self.tiles, *self._waiting]

    def _build_waiting(self) -> None:
        """Build waiting tiles in arrival order for at most BUILD_BUDGET_S per turn of the event loop, then
        put the new ones on the wall together once none is waiting. A tile takes about a millisecond to
        build (many more while the bench's thread holds the GIL), so 64 phones announced at once would
        hold the GUI thread for a tenth of a second or more; and laying out and painting the grid once per
        batch, not once per turn, keeps each turn short."""
        deadline = time.perf_counter() + BUILD_BUDGET_S
        while self._waiting and time.perf_counter() < deadline:
            address = next(iter(self._waiting))
            state = self._waiting.pop(address)
            tile = PhoneTile(address, self._inner)  # styled by the wall's style sheet now, within this turn,
            tile.hide()  # not when all of them are put on the wall together
            tile.clicked.connect(self._clicked)
            tile.set_selected(address in self.selected)
            tile.show_state(state)
            tile.ensurePolished()
            self.tiles[address] = tile
            self._unplaced.append(tile)
        if self._waiting:
            self._builder.start()
            return
        placed = len(self.tiles) - len(self._unplaced)
        for index, tile in enumerate(self._unplaced, start=placed):
            self._place(index, tile)
            tile.show()
        self.tiles_shown.emit([tile.address for tile in self._unplaced])
        self._unplaced = []

    def select(self, addresses: list[str]) -> None:
        chosen = [a for a in self.addresses() if a in addresses]
        if chosen == self.selected:
            return
        self.selected = chosen
        for address, tile in self.tiles.items():
            tile.set_selected(address in self.selected)
        if len(chosen) == 1 and chosen[0] in self.tiles and self.tiles[chosen[0]] not in self._unplaced:
            self.ensureWidgetVisible(self.tiles[chosen[0]])
        self.selection_changed.emit(list(self.selected))

    def select_all(self) -> None:
        self.select(self.addresses())

    def _clicked(self, address: str, adding: bool) -> None:
        if adding:
            chosen = [a for a in self.selected if a != address] if address in self.selected else [*self.selected, address]
        else:
            chosen = [address]
        self.select(chosen)

    def columns(self) -> int:
        return max(1, (self.viewport().width() - SPACING) // (TILE_WIDTH + SPACING))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.columns() != self._columns:
            for index, tile in enumerate(list(self.tiles.values())[:len(self.tiles) - len(self._unplaced)]):
                self._place(index, tile)

    def _place(self, index: int, tile: PhoneTile) -> None:
        self._columns = self.columns()
        self._grid.addWidget(tile, index // self._columns, index % self._columns)
