"""The wall: a tile per phone, in arrival order, reflowing to the window's width, under a count by status."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from station.gui.phone_tile import TILE_WIDTH, PhoneTile, plain
from station.gui.state import PhoneState, Status

SPACING = 12
EMPTY = "No phones yet.\nPlug one in: an Android phone with USB debugging on, or an unlocked iPhone."


class SummaryBar(QWidget):
    """How many phones are in each state, in the tiles' colours: the bench at a glance."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(SPACING, 8, SPACING, 2)
        self._layout.setSpacing(8)
        self.total = plain("No phones")
        self.total.setStyleSheet("font-size: 14pt; font-weight: bold; color: #111; padding-right: 6px;")
        self._layout.addWidget(self.total)
        self.chips: dict[Status, QLabel] = {}
        for status in Status:
            chip = plain()
            chip.setStyleSheet(f"background: {status.colour}; color: white; font-size: 11pt; font-weight: bold; border-radius: 4px; padding: 3px 9px;")
            chip.hide()
            self.chips[status] = chip
            self._layout.addWidget(chip)
        self._layout.addStretch(1)

    def show_counts(self, states: Iterable[PhoneState]) -> None:
        counts = Counter(state.status for state in states)
        total = sum(counts.values())
        self.total.setText(f"{total} phone{'s' if total != 1 else ''}" if total else "No phones")
        for status, chip in self.chips.items():
            chip.setText(f"{counts[status]} {status.word}")
            chip.setVisible(bool(counts[status]))

    def text(self) -> str:
        return "  ".join([self.total.text(), *(c.text() for c in self.chips.values() if not c.isHidden())])


class DeviceWall(QScrollArea):
    # the selected addresses, in wall order
    selection_changed = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.tiles: dict[str, PhoneTile] = {}
        self.selected: list[str] = []
        self._inner = QWidget()
        self._inner.setObjectName("wall")
        self._inner.setStyleSheet("QWidget#wall { background: #f4f5f7; }")
        outer = QVBoxLayout(self._inner)
        outer.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        self._grid = QGridLayout()
        self._grid.setSpacing(SPACING)
        self._grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._empty = plain(EMPTY)
        self._empty.setStyleSheet("font-size: 14pt; color: #5b6b7a; padding: 30px;")
        outer.addWidget(self._empty)
        outer.addLayout(self._grid)
        outer.addStretch(1)
        self.setWidget(self._inner)
        self._columns = 0

    def show_state(self, state: PhoneState) -> PhoneTile:
        tile = self.tiles.get(state.address)
        if tile is None:
            tile = PhoneTile(state.address)
            tile.clicked.connect(self._clicked)
            self.tiles[state.address] = tile
            self._empty.hide()
            self._place(len(self.tiles) - 1, tile)
        tile.show_state(state)
        return tile

    def select(self, addresses: list[str]) -> None:
        chosen = [a for a in self.tiles if a in addresses]
        if chosen == self.selected:
            return
        self.selected = chosen
        for address, tile in self.tiles.items():
            tile.set_selected(address in self.selected)
        if len(chosen) == 1:
            self.ensureWidgetVisible(self.tiles[chosen[0]])
        self.selection_changed.emit(list(self.selected))

    def select_all(self) -> None:
        self.select(list(self.tiles))

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
            for index, tile in enumerate(self.tiles.values()):
                self._place(index, tile)

    def _place(self, index: int, tile: PhoneTile) -> None:
        self._columns = self.columns()
        self._grid.addWidget(tile, index // self._columns, index % self._columns)
