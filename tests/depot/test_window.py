"""The window of a station that joined a depot: its status bar says whether the depot answers and how many
records wait for it, and its history (the search and the selected phone's panel) shows the records the
depot's other stations wrote about the phone, or says when only this station's could be shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from station.audit.records import RecordKind
from station.audit.store import Store
from station.depot.connection import server_label
from station.gui import main_window
from station.gui.main_window import MainWindow
from tests.depot.conftest import Depot
from tests.depot.helpers import PHONE, cli, init, station, write
from tests.gui import conftest as gui
from tests.gui.conftest import Opened, cell
from tests.gui.test_window import band

# The window's fixtures, for these tests that need the depot's server too (whose fixtures are this folder's).
open_window = gui.open_window
english_after_each_test = gui.english_after_each_test


def joined_window(open_window: Opened, depot: Depot, tmp_path: Path, qtbot: QtBot) -> tuple[MainWindow, Path]:
    """The window of a station that joined ``depot`` as bench-2, once its phones are scanned."""
    data_dir = tmp_path / "data"  # where open_window keeps the log
    assert cli(data_dir, "depot", "join", depot.dsn, "--name", "bench-2") == 0
    window, _server = open_window()
    qtbot.waitUntil(lambda: band(window, PHONE.serial) == "BANNED APPS", timeout=10000)
    return window, data_dir


def waiting(data_dir: Path) -> int:
    """The records of the station's log not yet in the depot, as the station counts them."""
    store = Store.open(data_dir)
    try:
        return store.count_after(min(store.pushed_seq(), store.last_seq()))
    finally:
        store.close()


def test_the_status_bar_says_connected_or_unreachable_with_the_records_waiting(
        open_window: Opened, depot_db: Depot, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    init(depot_db)
    monkeypatch.setattr(main_window, "DEPOT_STATUS_MS", 200)
    window, data_dir = joined_window(open_window, depot_db, tmp_path, qtbot)
    label = window.depot_label
    qtbot.waitUntil(lambda: label.isVisible() and label.text().endswith(": connected, 0 records waiting"), timeout=15000)
    assert label.text().startswith(f"Depot {server_label(depot_db.dsn)}, station bench-2")
    depot_db.server.stop()
    try:
        write(data_dir, 3)  # the bench's work goes on while the server is down
        qtbot.waitUntil(lambda: ": unreachable, " in label.text(), timeout=15000)
        qtbot.waitUntil(lambda: label.text().endswith(f"unreachable, {waiting(data_dir)} records waiting "
                                                      "(kept here, pushed when it is back)"), timeout=5000)
        assert waiting(data_dir) >= 3
        assert "depot" in label.toolTip()  # the error itself, for whoever calls the administrator
    finally:
        depot_db.server.start()
    qtbot.waitUntil(lambda: label.text().endswith(": connected, 0 records waiting"), timeout=15000)


def test_a_station_that_joined_no_depot_shows_no_depot_line(open_window: Opened, qtbot: QtBot,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(main_window, "DEPOT_STATUS_MS", 200)
    window, _server = open_window()
    answers: list[object] = []
    window.signals.depot.connect(answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=5000)
    assert answers[0] is None and not window.depot_label.isVisible()


def test_the_history_shows_another_stations_records_of_the_phone(
        open_window: Opened, depot_db: Depot, tmp_path: Path, qtbot: QtBot) -> None:
    init(depot_db)
    bench1 = station(tmp_path, depot_db, "bench-1")
    write(bench1, 2, kind=RecordKind.CHECKLIST)  # the phone was provisioned at bench 1
    assert cli(bench1, "depot", "sync") == 0
    window, _data_dir = joined_window(open_window, depot_db, tmp_path, qtbot)

    window.actions_by_name["history"].trigger()
    dialog = window.history_dialog
    assert dialog is not None
    dialog.term.setText(PHONE.serial)
    dialog.term.returnPressed.emit()

    def rows() -> set[tuple[str, str]]:
        return {(cell(dialog.results, r, 1), cell(dialog.results, r, 3)) for r in range(dialog.results.rowCount())}

    qtbot.waitUntil(lambda: {("bench-1", "1 checklist"), ("bench-1", "2 checklist")} <= rows(), timeout=10000)
    assert any(station == "bench-2" and "scan" in record for station, record in rows())  # this station's own scan
    assert not dialog.results.isColumnHidden(1) and not dialog.note.isVisible()

    (address,) = [a for a, p in window.state.phones.items() if p.serial == PHONE.serial]
    window.wall.select([address])
    panel = window.detail.history
    qtbot.waitUntil(lambda: "bench-1" in {cell(panel, r, 1) for r in range(panel.rowCount())}, timeout=10000)

    depot_db.server.stop()
    try:
        dialog.term.returnPressed.emit()
        qtbot.waitUntil(lambda: dialog.note.isVisible() and {s for s, _ in rows()} == {"bench-2"}, timeout=15000)
        assert dialog.note.text() == "Only this station's records: the depot cannot be reached."
    finally:
        depot_db.server.start()
