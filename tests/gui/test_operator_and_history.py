"""Sign-out, the status bar's notices, and the history view searched by serial or IMEI."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from station.core.notices import Notice, NoticeKind
from tests.gui.conftest import ANA, PINS, Opened, add_operators, all_records, cell
from tests.gui.test_window import band


def test_sign_out_clears_the_operator_and_notices_keep_the_connection_line(open_window: Opened, qtbot: QtBot) -> None:
    window, _server = open_window()
    assert not window.actions_by_name["sign_out"].isEnabled()
    window.set_operator(ANA)
    assert window.actions_by_name["sign_out"].isEnabled()
    window.actions_by_name["sign_out"].trigger()
    assert window.operator is None and window.operator_label.text().startswith("Not signed in")
    window.signals.notice.emit(Notice(NoticeKind.NO_USBMUXD))
    qtbot.waitUntil(lambda: window.notice.text().startswith("iPhones: no usbmuxd answers on this PC"), timeout=2000)
    assert window.connected.text() == "test bench"


def test_history_view_finds_a_phone_by_serial_and_by_imei(open_window: Opened, qtbot: QtBot) -> None:
    window, _server = open_window()
    qtbot.waitUntil(lambda: band(window, "R58N12ABCDE") == "BANNED APPS", timeout=10000)
    window.actions_by_name["history"].trigger()
    dialog = window.history_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.term, "N12AB")
    dialog.term.returnPressed.emit()
    qtbot.waitUntil(lambda: dialog.results.rowCount() > 0, timeout=5000)
    serials = {cell(dialog.results, r, 2) for r in range(dialog.results.rowCount())}
    assert serials == {"R58N12ABCDE"}
    imei = next((p.identity.imei for p in window.state.phones.values() if p.identity and p.identity.imei), None)
    if imei:
        dialog.term.setText(imei)
        dialog.term.returnPressed.emit()
        qtbot.waitUntil(lambda: dialog.status.text().startswith(f"{dialog.results.rowCount()} record") and dialog.results.rowCount() > 0
                        and imei in dialog.status.text(), timeout=5000)


def test_a_supervisor_adds_an_operator_from_the_window_with_their_own_pin(
        open_window: Opened, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    window, _server = open_window()
    add_operators(window, ANA)
    window.set_operator(ANA)
    window.actions_by_name["operators"].trigger()
    dialog = window.operators_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=5000)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))

    def fill(supervisor_pin: str) -> None:
        for field, text in ((dialog.name, "Chloé Roy"), (dialog.badge, "3003"), (dialog.pin, "555555"), (dialog.again, "555555"),
                            (dialog.supervisor_pin, supervisor_pin)):
            field.setText(text)
        assert dialog.add.isEnabled()
        dialog.add.click()

    fill("000000")
    qtbot.waitUntil(lambda: bool(warnings), timeout=5000)
    assert warnings[0].startswith("wrong PIN for Ana Tremblay") and dialog.table.rowCount() == 1
    fill(PINS[ANA.badge])
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=5000)
    assert {cell(dialog.table, r, 0) for r in range(2)} == {"Ana Tremblay", "Chloé Roy"}
    (added,) = [r for r in window.bench.read(all_records).result(5)
                if r.kind == "operator_added" and r.data["badge"] == "3003"]
    assert added.operator == ANA.name and added.data["role"] == "operator"


def test_an_operator_who_is_not_a_supervisor_only_sees_the_list(open_window: Opened, qtbot: QtBot) -> None:
    from station.audit.operators import Operator, Role

    window, _server = open_window()
    add_operators(window, ANA)
    window.set_operator(Operator("Dev Patel", "4004", Role.OPERATOR))
    window.actions_by_name["operators"].trigger()
    dialog = window.operators_dialog
    assert dialog is not None and dialog.add.isHidden()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=5000)
