"""The window's backup reminder (a bar above the wall, for supervisors) and its "Back up the log…" action."""

from __future__ import annotations

import datetime as dt
import json
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from station.audit.backup import MANIFEST, BackupState
from station.audit.operators import Operator, Role
from station.core.language import Language
from station.gui.backup import REMIND_KEY
from station.workbench.staff import Credentials, add_operator
from tests.gui.conftest import ANA, PINS, Opened, add_operators, all_records

CARL = Operator("Carl Roy", "3003", Role.OPERATOR)


def test_a_supervisor_is_reminded_of_a_log_never_backed_up_and_backs_it_up_from_the_window(
    open_window: Opened, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, _ = open_window()
    add_operators(window, ANA)  # the log now holds a record, and was never backed up
    assert not window.backup_bar.isVisible()
    window.signals.signed_in.emit(ANA)
    qtbot.waitUntil(window.backup_bar.isVisible, timeout=10_000)
    assert "never been backed up" in window.backup_bar.text.text()
    assert "station log backup FOLDER" in window.backup_bar.text.text()

    backups = tmp_path / "backups"
    backups.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_args: str(backups))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: told.append(text))
    assert window.actions_by_name["backup"].isEnabled()
    window.backup_bar.back_up.click()
    qtbot.waitUntil(lambda: bool(told), timeout=15_000)
    [made] = list(backups.iterdir())
    assert str(made) in told[0]
    assert json.loads((made / MANIFEST).read_text(encoding="utf-8"))["records"] >= 1
    qtbot.waitUntil(lambda: not window.backup_bar.isVisible(), timeout=10_000)  # a fresh backup: nothing to remind
    made_records = [r for r in window.bench.read(all_records).result(10) if r.kind == "backup_made"]
    assert [r.data["folder"] for r in made_records] == [str(made)]  # the log says when and where it was backed up


def test_the_reminder_follows_the_setting_and_says_when_the_last_backup_was(open_window: Opened, qtbot: QtBot) -> None:
    window, _ = open_window()
    window.operator = ANA
    ten_days_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=10)
    window.settings.setValue(REMIND_KEY, 14)
    window._show_backup_state(BackupState(ten_days_ago, "/mnt/backups/x", 40))
    assert not window.backup_bar.isVisible()
    window.settings.setValue(REMIND_KEY, 7)
    window._show_backup_state(BackupState(ten_days_ago, "/mnt/backups/x", 40))
    assert window.backup_bar.isVisible()
    assert "10 days ago" in window.backup_bar.text.text()
    window.set_language(Language.FR)
    qtbot.waitUntil(lambda: "il y a 10 jours" in window.backup_bar.text.text(), timeout=5_000)
    window.set_language(Language.EN)
    window.backup_bar.later.click()
    assert not window.backup_bar.isVisible()  # dismissed until the next sign-in


def test_an_operator_who_is_not_a_supervisor_is_neither_reminded_nor_offered_the_backup(open_window: Opened, qtbot: QtBot) -> None:
    window, _ = open_window()
    add_operators(window, ANA)
    by = Credentials(ANA.badge, PINS[ANA.badge])
    window.bench.read(partial(add_operator, CARL.name, CARL.badge, CARL.role, "975310", by)).result(10)
    window.signals.signed_in.emit(CARL)
    qtbot.wait(500)
    assert not window.backup_bar.isVisible()
    assert not window.actions_by_name["backup"].isEnabled()
    window._show_backup_state(BackupState(None, None, 3))  # an answer arriving after a supervisor signed out
    assert not window.backup_bar.isVisible()
