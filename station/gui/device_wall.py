"""The wall: a tile per phone, in arrival order, reflowing to the window's width."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QWidget

from station.gui.phone_tile import TILE_WIDTH, PhoneTile
from station.gui.state import PhoneState

SPACING = 12


class DeviceWall(QScrollArea):
    # the selected addresses, in wall order
    selection_changed = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.tiles: dict[str, PhoneTile] = {}
        self.selected: list[str] = []
        self._inner = QWidget()
        self._grid = QGridLayout(self._inner)
        self._grid.setSpacing(SPACING)
        self._grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._empty = QLabel("No phones yet. Plug one in: Android with USB debugging on, or an unlocked iPhone.")
        self._empty.setStyleSheet("font-size: 14pt; color: #5b6b7a; padding: 30px;")
        self._grid.addWidget(self._empty, 0, 0)
        self.setWidget(self._inner)
        self._columns = 0

    def show_state(self, state: PhoneState) -> PhoneTile:
        tile = self.tiles.get(state.address)
        if tile is None:
            tile = PhoneTile(state.address)
            tile.clicked.connect(self._clicked)
            self.tiles[state.address] = tile
            self._empty.hide()
            self._reflow(force=True)
        tile.show_state(state)
        return tile

    def select(self, addresses: list[str]) -> None:
        self.selected = [a for a in self.tiles if a in addresses]
        for address, tile in self.tiles.items():
            tile.set_selected(address in self.selected)
        self.selection_changed.emit(list(self.selected))

    def select_all(self) -> None:
        self.select(list(self.tiles))

    def _clicked(self, address: str, adding: bool) -> None:
        if adding:
            chosen = [a for a in self.selected if a != address] if address in self.selected else [*self.selected, address]
        else:
            chosen = [address]
        self.select(chosen)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._reflow()

    def _reflow(self, force: bool = False) -> None:
        columns = max(1, (self.viewport().width() - SPACING) // (TILE_WIDTH + SPACING))
        if columns == self._columns and not force:
            return
        self._columns = columns
        for index, tile in enumerate(self.tiles.values()):
            self._grid.addWidget(tile, index // columns, index % columns)
