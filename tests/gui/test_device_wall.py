"""The wall on a full hub: many phones announced at once all get a tile, in arrival order, built after the news."""

from __future__ import annotations

from typing import cast

from pytestqt.qtbot import QtBot

from station.core.models import Platform
from station.gui.device_wall import DeviceWall
from station.gui.state import PhoneState, TileStatus

PHONES = 64


def addresses() -> list[str]:
    return [f"127.0.0.1:{40000 + n}" for n in range(PHONES)]


def test_a_hub_of_phones_gets_every_tile_in_arrival_order(qtbot: QtBot) -> None:
    wall = DeviceWall()
    qtbot.addWidget(wall)
    for address in addresses():
        wall.show_state(PhoneState(address, Platform.ANDROID))
    assert wall.addresses() == addresses()
    assert not wall.tiles  # built on the next turns of the event loop, not while the news comes in
    qtbot.waitUntil(lambda: len(wall.tiles) == PHONES, timeout=5000)
    assert list(wall.tiles) == addresses()
    columns = wall.columns()
    for index, tile in enumerate(wall.tiles.values()):
        # (row, column, rowSpan, columnSpan): PySide6's stubs type the tuple as a bare object.
        position = cast("tuple[int, int, int, int]", wall._grid.getItemPosition(wall._grid.indexOf(tile)))
        assert position[:2] == (index // columns, index % columns)


def test_selection_and_news_before_a_tile_is_built_are_shown_on_it(qtbot: QtBot) -> None:
    wall = DeviceWall()
    qtbot.addWidget(wall)
    for address in addresses():
        wall.show_state(PhoneState(address, Platform.ANDROID))
    last = addresses()[-1]
    wall.show_state(PhoneState(last, Platform.ANDROID, status=TileStatus.CLEAN, step="scanned"))
    with qtbot.waitSignal(wall.selection_changed) as selected:
        wall.select_all()
    assert selected.args == [addresses()]
    qtbot.waitUntil(lambda: len(wall.tiles) == PHONES, timeout=5000)
    assert all(tile.selected for tile in wall.tiles.values())
    assert wall.tiles[last].band.text() == "CLEAN"
