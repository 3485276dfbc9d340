"""Signing in at the window: the bench checks the PIN itself, a short PIN is changed before anything
else, and new PINs follow the 6-to-12-digit rule in every form that sets one."""

from __future__ import annotations

from functools import partial

import pytest
from pytestqt.qtbot import QtBot

from station.audit.operators import LEGACY_PIN_COST, hash_pin
from station.audit.store import Store
from station.gui.dialogs import FirstSupervisorDialog, NewPinDialog
from station.gui.operators_view import OperatorsDialog
from station.workbench.staff import Credentials
from tests.gui.conftest import ANA, Opened, add_operators, all_records
from tests.gui.test_window import accept_with, sign_in_as

SHORT_PIN = "4321"
NEW_PIN = "20261130"


def give_short_pin(badge: str, pin: str, store: Store) -> None:
    """A PIN set before the 6-digit rule, as an older station (or the depot) kept it: the legacy hash
    format, with no parameters in it. Sent to the window's device process, which owns the log."""
    salt = b"0123456789abcdef"
    legacy = hash_pin(pin, salt, LEGACY_PIN_COST).split("$")
    store.db.table("operators").update(badge, {"pin_hash": f"scrypt${legacy[4]}${legacy[5]}"})


def test_a_short_pin_signs_in_only_after_a_new_one_is_set(open_window: Opened, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    window, _server = open_window()
    add_operators(window, ANA)
    window.bench.read(partial(give_short_pin, ANA.badge, SHORT_PIN)).result(10)
    asked: list[NewPinDialog] = []

    def type_new_pin(dialog: NewPinDialog) -> None:
        qtbot.keyClicks(dialog.pin, NEW_PIN[:5])
        qtbot.keyClicks(dialog.again, NEW_PIN[:5])
        assert not dialog.ok.isEnabled()  # five digits: the rule is six to twelve
        dialog.pin.clear()
        dialog.again.clear()
        qtbot.keyClicks(dialog.pin, NEW_PIN)
        qtbot.keyClicks(dialog.again, NEW_PIN)
        assert dialog.ok.isEnabled()

    accept_with(monkeypatch, NewPinDialog, asked, type_new_pin)
    sign_in_as(monkeypatch, qtbot, ANA, pin=SHORT_PIN)
    window.actions_by_name["sign_in"].trigger()
    qtbot.waitUntil(lambda: window.operator == ANA, timeout=10000)
    assert len(asked) == 1
    changed = [r for r in window.bench.read(all_records).result(5) if r.kind == "pin_changed"]
    assert [(r.operator, r.data) for r in changed] == [(ANA.name, {"badge": ANA.badge, "digits_before": 4})]
    window.sign_out()
    assert window.bench.sign_in(Credentials(ANA.badge, NEW_PIN)).result(10) == ANA


def test_forms_that_set_a_pin_ask_for_six_to_twelve_digits(qtbot: QtBot) -> None:
    first = FirstSupervisorDialog()
    qtbot.addWidget(first)
    for field, text in ((first.name, ANA.name), (first.badge, ANA.badge), (first.pin, "12345"), (first.again, "12345")):
        qtbot.keyClicks(field, text)
    assert not first.ok.isEnabled() and first.pin.placeholderText() == "6 to 12 digits"
    qtbot.keyClicks(first.pin, "6")
    qtbot.keyClicks(first.again, "6")
    assert first.ok.isEnabled()

    operators = OperatorsDialog(ANA)
    qtbot.addWidget(operators)
    for field, text in ((operators.name, "Ben"), (operators.badge, "2002"), (operators.pin, "12345"), (operators.again, "12345"),
                        (operators.supervisor_pin, "4321")):
        qtbot.keyClicks(field, text)
    assert not operators.add.isEnabled()  # an existing (supervisor's) PIN may still be short; a new one may not
    qtbot.keyClicks(operators.pin, "6")
    qtbot.keyClicks(operators.again, "6")
    assert operators.add.isEnabled()
