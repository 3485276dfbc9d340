"""The window as an operator uses it, offscreen, on simulated phones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from station.audit.operators import Operator
from station.gui.dialogs import FirstSupervisorDialog, RemoveDialog, SignInDialog, SignOffDialog, WipeDialog
from station.gui.main_window import MainWindow
from station.gui.state import PhoneState, TileStatus
from tests.gui.conftest import ANA, BEN, PINS, Opened, add_operators, all_records, cell, signed_in

IPHONE = "00008110-001A2B3C4D5E801E"


Dialog = TypeVar("Dialog", bound=QDialog)


def band(window: MainWindow, serial: str) -> str:
    for address, state in window.state.phones.items():
        tile = window.wall.tiles.get(address)  # tiles are built in frame-sized batches: it may not be there yet
        if state.serial == serial and tile is not None:
            return tile.band.text()
    return ""


def address_of(window: MainWindow, serial: str) -> str:
    return next(a for a, s in window.state.phones.items() if s.serial == serial)


def test_tiles_appear_with_their_status_and_unplugging_marks_them(open_window: Opened, qtbot: QtBot) -> None:
    window, server = open_window()
    assert server is not None  # served in this process
    qtbot.waitUntil(lambda: len(window.wall.tiles) == 3 and band(window, "CLEAN00001") == "CLEAN", timeout=10000)
    qtbot.waitUntil(lambda: band(window, "R58N12ABCDE") == "BANNED APPS" and band(window, IPHONE) == "BANNED APPS", timeout=10000)
    tile = window.wall.tiles[address_of(window, "R58N12ABCDE")]
    assert tile.title.text() == "SM-S911W" and tile.serial.text() == "R58N12ABCDE"
    assert tile.step.text() == "1 banned app: WeChat"
    server.unplug("CLEAN00001")
    qtbot.waitUntil(lambda: band(window, "CLEAN00001") == "UNPLUGGED", timeout=5000)
    server.replug("CLEAN00001")
    qtbot.waitUntil(lambda: band(window, "CLEAN00001") == "CLEAN", timeout=5000)


def test_detail_panel_lists_banned_apps_first_with_rule_reason_source_and_history(open_window: Opened, qtbot: QtBot) -> None:
    window, _server = open_window()
    qtbot.waitUntil(lambda: band(window, "R58N12ABCDE") == "BANNED APPS", timeout=10000)
    qtbot.mouseClick(window.wall.tiles[address_of(window, "R58N12ABCDE")], Qt.MouseButton.LeftButton)
    apps = window.detail.apps
    first = [cell(apps, 0, c) for c in range(apps.columnCount())]
    assert first[0] == "com.tencent.mm" and first[2] == "BANNED" and first[3] == "WeChat"
    assert first[4] and first[5].startswith("https://")
    assert {cell(apps, r, 0) for r in range(1, apps.rowCount())} == {"com.android.chrome", "com.android.settings"}
    qtbot.waitUntil(lambda: window.detail.history.rowCount() > 0, timeout=5000)
    assert "scan" in cell(window.detail.history, 0, 2)


def test_device_strings_are_shown_as_text_not_markup(open_window: Opened, qtbot: QtBot) -> None:
    window, _server = open_window()
    qtbot.waitUntil(lambda: band(window, IPHONE) == "BANNED APPS", timeout=10000)
    tile = window.wall.tiles[address_of(window, IPHONE)]
    for label in (tile.title, tile.platform, tile.serial, tile.step, tile.message):
        assert label.textFormat() == Qt.TextFormat.PlainText


def accept_with(monkeypatch: pytest.MonkeyPatch, dialog: type[Dialog], seen: list[Dialog],
                prepare: Callable[[Dialog], object] | None = None) -> None:
    def exec_(self: Dialog) -> int:
        seen.append(self)
        if prepare is not None:
            prepare(self)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialog, "exec", exec_)


def sign_in_as(monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, operator: Operator, pin: str | None = None) -> list[SignInDialog]:
    """The sign-in dialog, answered as a badge scanner and the operator would: badge, Enter, PIN."""
    seen: list[SignInDialog] = []

    def badge_scan(dialog: SignInDialog) -> None:
        qtbot.keyClicks(dialog.who, operator.badge)
        qtbot.keyClicks(dialog.pin, pin or PINS[operator.badge])

    accept_with(monkeypatch, SignInDialog, seen, badge_scan)
    return seen


def test_removal_needs_sign_in_and_a_confirmation_listing_the_apps(
        open_window: Opened, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    window, server = open_window()
    assert server is not None  # served in this process
    add_operators(window, ANA)
    qtbot.waitUntil(lambda: band(window, "R58N12ABCDE") == "BANNED APPS" and band(window, IPHONE) == "BANNED APPS", timeout=10000)
    signed = sign_in_as(monkeypatch, qtbot, ANA)
    confirmed: list[RemoveDialog] = []
    accept_with(monkeypatch, RemoveDialog, confirmed)
    window.wall.select_all()
    window.actions_by_name["remove"].trigger()
    # Signing in is checked against the station's operators; the removal asked for goes on after it.
    qtbot.waitUntil(lambda: len(confirmed) == 1, timeout=5000)
    assert len(signed) == 1 and window.operator_label.text() == "Operator: Ana Tremblay (badge 1001)"
    (dialog,) = confirmed
    listed = [dialog.items.item(i).text() for i in range(dialog.items.count())]
    assert any("com.tencent.mm" in line and "R58N12ABCDE" in line for line in listed)
    assert any("com.tencent.xin" in line for line in listed) and len(listed) == 2
    qtbot.waitUntil(lambda: band(window, "R58N12ABCDE") == "CLEAN" and band(window, IPHONE) == "CLEAN", timeout=10000)
    assert "com.tencent.mm" not in server.phone("R58N12ABCDE").packages
    history = window.bench.search("R58N12ABCDE").result(5)
    assert {e.operator for e in history.entries if e.kind == "removal_started"} == {str(ANA)}


def test_wipe_confirmation_takes_only_the_last_four_characters(qtbot: QtBot) -> None:
    from station.core.models import DeviceIdentity, Platform

    phone = PhoneState("127.0.0.1:1", Platform.ANDROID, TileStatus.CLEAN,
                       identity=DeviceIdentity(Platform.ANDROID, "R58N12ABCDE", "samsung", "SM-S911W", "14"))
    dialog = WipeDialog(phone)
    qtbot.addWidget(dialog)
    assert not dialog.confirm.isEnabled()
    qtbot.keyClicks(dialog.code, "ABCD")
    assert not dialog.confirm.isEnabled()
    dialog.code.clear()
    qtbot.keyClicks(dialog.code, "bcde")
    assert dialog.confirm.isEnabled()


def test_sign_in_dialog_goes_from_a_scanned_badge_to_the_pin(qtbot: QtBot) -> None:
    dialog = SignInDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.who.setFocus()
    qtbot.keyClicks(dialog.who, "1001")
    qtbot.keyClick(dialog.who, Qt.Key.Key_Return)  # a barcode scanner ends with Enter
    assert dialog.isVisible() and dialog.focusWidget() is dialog.pin
    qtbot.keyClicks(dialog.pin, "12ab34")  # the PIN field takes digits only
    assert dialog.pin.text() == "1234"
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)


def test_a_wrong_pin_is_refused_and_a_new_station_starts_with_its_supervisor(
        open_window: Opened, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    window, _server = open_window()
    created: list[FirstSupervisorDialog] = []

    def fill(dialog: FirstSupervisorDialog) -> None:
        for field, text in ((dialog.name, ANA.name), (dialog.badge, ANA.badge), (dialog.pin, "432100"), (dialog.again, "432100")):
            qtbot.keyClicks(field, text)
        assert dialog.ok.isEnabled()

    accept_with(monkeypatch, FirstSupervisorDialog, created, fill)
    window.actions_by_name["sign_in"].trigger()
    qtbot.waitUntil(lambda: window.operator == ANA, timeout=5000)
    window.set_operator(None)

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    sign_in_as(monkeypatch, qtbot, ANA, pin="000000")
    window.actions_by_name["sign_in"].trigger()
    qtbot.waitUntil(lambda: bool(warnings), timeout=5000)
    assert warnings == ["wrong PIN for Ana Tremblay (4 tries left)"] and window.operator is None
    kinds = [r.kind for r in window.bench.read(all_records).result(5)]
    assert kinds.count("operator_added") == 1 and kinds.count("pin_rejected") == 1


def test_window_state_is_kept_between_runs(open_window: Opened, qtbot: QtBot) -> None:
    window, _server = open_window()
    window.resize(1111, 777)
    window.close()
    assert window.settings.value("window/geometry") is not None
    QTimer.singleShot(0, lambda: None)


def test_provisioning_from_the_window_then_signing_off_and_printing(
        open_window: Opened, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    window, _server = open_window()
    add_operators(window, ANA)
    qtbot.waitUntil(lambda: band(window, "R58N12ABCDE") == "BANNED APPS", timeout=10000)
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Yes)
    signed_in(window, ANA)
    window.wall.select([address_of(window, "R58N12ABCDE")])
    assert not window.actions_by_name["sign_off"].isEnabled()  # no checklist yet
    window.actions_by_name["provision"].trigger()
    qtbot.waitUntil(lambda: band(window, "R58N12ABCDE") == "SEALED", timeout=15000)  # passed, and its USB debugging is off
    apps = window.detail.apps
    assert "com.tencent.mm" not in {cell(apps, r, 0) for r in range(apps.rowCount())}
    assert window.detail.checklist.rowCount() == len(window.workflows["provision"].items)

    # Signing off asks for the PIN again.
    asked: list[SignOffDialog] = []
    accept_with(monkeypatch, SignOffDialog, asked, lambda dialog: qtbot.keyClicks(dialog.pin, PINS[ANA.badge]))
    window.actions_by_name["sign_off"].trigger()
    qtbot.waitUntil(lambda: band(window, "R58N12ABCDE") == "SIGNED OFF", timeout=5000)
    (dialog,) = asked
    assert not dialog.override and dialog.listed.count() == 1
    assert not window.actions_by_name["sign_off"].isEnabled()

    # Printing goes through Qt's print dialog; here the "printer" is a PDF file.
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printed = tmp_path / "printed.pdf"

    def choose_pdf(dialog: QPrintDialog) -> int:
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(printed))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", choose_pdf)
    window.actions_by_name["print"].trigger()
    qtbot.waitUntil(lambda: printed.exists() and printed.stat().st_size > 1000, timeout=10000)
    import subprocess

    text = subprocess.run(["pdftotext", str(printed), "-"], capture_output=True, text=True, check=True, timeout=30).stdout
    assert "R58N12ABCDE" in text and "NOT SIGNED OFF" not in text and "Ana Tremblay" in text


def test_a_phone_that_failed_is_signed_off_only_by_a_second_person_a_supervisor(
        open_window: Opened, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    window, _server = open_window()
    add_operators(window, ANA, BEN)
    qtbot.waitUntil(lambda: band(window, IPHONE) == "BANNED APPS", timeout=10000)
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Yes)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    signed_in(window, ANA)
    window.wall.select([address_of(window, IPHONE)])
    window.actions_by_name["provision"].trigger()
    qtbot.waitUntil(lambda: band(window, IPHONE) == "NOT READY", timeout=15000)  # not supervised

    def override(supervisor: Operator) -> Callable[[SignOffDialog], None]:
        def fill(dialog: SignOffDialog) -> None:
            assert dialog.override and not dialog.confirm.isEnabled()
            qtbot.keyClicks(dialog.pin, PINS[ANA.badge])
            qtbot.keyClicks(dialog.reason, "Loaner for the minister's trip; supervision booked for Monday")
            qtbot.keyClicks(dialog.supervisor, supervisor.badge)
            qtbot.keyClicks(dialog.supervisor_pin, PINS[supervisor.badge])
            assert dialog.confirm.isEnabled()
        return fill

    accept_with(monkeypatch, SignOffDialog, [], override(ANA))
    window.actions_by_name["sign_off"].trigger()
    qtbot.waitUntil(lambda: bool(warnings), timeout=5000)
    assert "second person" in warnings[0] and band(window, IPHONE) == "NOT READY"

    accept_with(monkeypatch, SignOffDialog, [], override(BEN))
    window.actions_by_name["sign_off"].trigger()
    qtbot.waitUntil(lambda: band(window, IPHONE) == "SIGNED OFF", timeout=5000)
    (record,) = [r for r in window.bench.read(all_records).result(5) if r.serial == IPHONE and r.kind == "sign_off"]
    assert record.data["override"]["supervisor_badge"] == BEN.badge and record.operator == ANA.name


def test_sign_off_takes_the_selected_phones_that_passed_or_one_that_did_not_for_an_override() -> None:
    from station.core.models import DeviceIdentity, Platform
    from station.gui.main_window import MainWindow

    def phone(n: int, ready: bool, record: int | None = 1, signed: int | None = None) -> PhoneState:
        identity = DeviceIdentity(Platform.ANDROID, f"SERIAL{n}", "Google", "Pixel 8", "15")
        return PhoneState(f"a{n}", Platform.ANDROID, identity=identity, ready=ready, checklist_seq=record, signed_off=signed)

    passed, failed, unchecked, signed = phone(1, True), phone(2, False), phone(3, True, record=None), phone(4, True, signed=9)
    assert MainWindow._to_sign([passed, failed, unchecked, signed]) == [passed]
    assert MainWindow._to_sign([failed]) == [failed]
    assert MainWindow._to_sign([failed, phone(5, False)]) == []
    assert MainWindow._to_sign([unchecked, signed]) == []


def test_an_imei_typed_for_an_android_phone_is_checked_then_shown(open_window: Opened, qtbot: QtBot) -> None:
    window, _server = open_window()
    qtbot.waitUntil(lambda: band(window, "CLEAN00001") == "CLEAN", timeout=10000)
    address = address_of(window, "CLEAN00001")
    qtbot.mouseClick(window.wall.tiles[address], Qt.MouseButton.LeftButton)
    assert window.actions_by_name["imei"].isEnabled()
    refused = window.apply_imei(address, "490154203237517")
    assert refused is not None and "the last digit should be 8" in refused
    assert window.apply_imei(address, "49 015420 323751 8") is None
    qtbot.waitUntil(lambda: window.detail._identity_labels["IMEI"].text() == "490154203237518", timeout=10000)
