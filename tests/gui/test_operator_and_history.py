"""Sign-out, the status bar's notices, and the history view searched by serial or IMEI."""

from __future__ import annotations

from tests.gui.conftest import ANA, Opened
from tests.gui.test_window import band


def test_sign_out_clears_the_operator_and_notices_keep_the_connection_line(open_window: Opened, qtbot) -> None:  # noqa: ANN001
    window, _server = open_window()
    assert not window.actions_by_name["sign_out"].isEnabled()
    window.set_operator(ANA)
    assert window.actions_by_name["sign_out"].isEnabled()
    window.actions_by_name["sign_out"].trigger()
    assert window.operator is None and window.operator_label.text().startswith("Not signed in")
    window.signals.notice.emit("iPhones: no usbmuxd answers on this PC")
    qtbot.waitUntil(lambda: window.notice.text().startswith("iPhones:"), timeout=2000)
    assert window.connected.text() == "test bench"


def test_history_view_finds_a_phone_by_serial_and_by_imei(open_window: Opened, qtbot) -> None:  # noqa: ANN001
    window, _server = open_window()
    qtbot.waitUntil(lambda: band(window, "R58N12ABCDE") == "BANNED APPS", timeout=10000)
    window.actions_by_name["history"].trigger()
    dialog = window.history_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.term, "N12AB")
    dialog.term.returnPressed.emit()
    qtbot.waitUntil(lambda: dialog.results.rowCount() > 0, timeout=5000)
    serials = {dialog.results.item(r, 1).text() for r in range(dialog.results.rowCount())}
    assert serials == {"R58N12ABCDE"}
    imei = next((p.identity.imei for p in window.state.phones.values() if p.identity and p.identity.imei), None)
    if imei:
        dialog.term.setText(imei)
        dialog.term.returnPressed.emit()
        qtbot.waitUntil(lambda: dialog.status.text().startswith(f"{dialog.results.rowCount()} record") and dialog.results.rowCount() > 0
                        and imei in dialog.status.text(), timeout=5000)
