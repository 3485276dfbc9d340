"""The status bar's line on what the station watches, worded by the window in its language."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from station.core.language import Language
from station.gui.words import watching_text
from station.workbench.hub import Watched, WatchKind
from tests.gui.conftest import Opened

DEMO = Watched(WatchKind.DEMO, android=5, phones=9, fleet="demo-fleet.toml", usbmux="127.0.0.1:41327")


def test_the_status_bar_says_what_is_watched_in_the_windows_language(open_window: Opened, qtbot: QtBot) -> None:
    window, _server = open_window()
    window.show_connected(DEMO)
    assert window.connected.text() == "Demo bench: 9 simulated phones (demo-fleet.toml); iPhones through usbmuxd 127.0.0.1:41327"
    assert watching_text(Watched(WatchKind.ADDRESSES, android=1)) == "1 Android address"
    window.set_language(Language.FR)
    qtbot.waitUntil(lambda: window.connected.text().startswith("Banc de démonstration"), timeout=3000)
    assert window.connected.text() == ("Banc de démonstration\u00a0: 9 appareils simulés (demo-fleet.toml)"
                                       "\u202f; iPhone par usbmuxd 127.0.0.1:41327")
    assert watching_text(Watched(WatchKind.USB)).startswith("Surveillance des ports USB de ce poste")
