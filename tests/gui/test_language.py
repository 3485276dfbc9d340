"""The window in both official languages: every visible word translated, and the operator's own language
at sign-in, switched live."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import partial

from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QMenu, QTableWidget, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from station.audit.operators import Operator, Role
from station.core.language import TRANSLATIONS_DIR, Language
from station.gui.language import Translations
from station.gui.main_window import MainWindow
from station.workbench.staff import Credentials, add_operator, sign_in
from tests.gui.conftest import Opened
from tests.gui.test_window import band

# Words that are the same in both languages (names, brands, units), and what the phones and policy say.
NEUTRAL = {"android", "iphone", "ios", "imei", "utc", "sha", "depot", "station", "english", "français", "action", "source", "message",
           "version", "actions", "test", "bench", "ctrl", "maj", "alt", "f5"}


def english_sources() -> dict[str, str]:
    """Every English source text of the French catalogue, with its French."""
    sources = {}
    for message in ET.parse(TRANSLATIONS_DIR / "station_fr.ts").getroot().iter("message"):
        translation = message.find("translation")
        assert translation is not None
        forms = [form.text or "" for form in translation.iter("numerusform")] or [translation.text or ""]
        sources[message.findtext("source") or ""] = forms[0]
    return sources


def visible_texts(window: MainWindow) -> dict[str, str]:
    """Every word the window shows of its own, by where it is: labels, buttons, actions, menus, tabs,
    table headers, placeholders, window titles and tooltips (not the phones' data in table cells)."""
    texts: dict[str, str] = {"window title": window.windowTitle()}
    for widget in window.findChildren(QWidget):
        name = f"{type(widget).__name__} {widget.objectName()}"
        if isinstance(widget, (QLabel, QAbstractButton)) and widget.text():
            texts[f"{name} {widget.text()!r}"] = widget.text()
        if isinstance(widget, QLineEdit) and widget.placeholderText():
            texts[f"{name} placeholder"] = widget.placeholderText()
        if isinstance(widget, QTabWidget):
            texts.update({f"tab {i}": widget.tabText(i) for i in range(widget.count())})
        if isinstance(widget, QTableWidget):
            for column in range(widget.columnCount()):
                header = widget.horizontalHeaderItem(column)
                if header is not None:
                    texts[f"{name} header {column}"] = header.text()
        if isinstance(widget, QMenu):
            texts[f"menu {widget.title()!r}"] = widget.title()
    for action in window.actions():
        texts[f"action {action.text()!r}"] = action.text()
        texts[f"tooltip {action.toolTip()!r}"] = action.toolTip()
    return {where: text for where, text in texts.items() if text.strip()}


def data_words(window: MainWindow) -> set[str]:
    """The words that come from the phones and the policy: shown as they are in either language."""
    words: set[str] = set()
    for state in window.state.phones.values():
        ident = state.identity
        values = [state.address, *(vars(ident).values() if ident else ()), *(f.rule_app for f in state.findings),
                  *(f.app_id for f in state.findings), *(f.source for f in state.findings), *(f.rule_id for f in state.findings),
                  *(f.reason_fr for f in state.findings)]  # the policy's French, not the window's
        # whole words only: a serial such as CLEAN00001 does not make "clean" a word of the data
        words |= {w.lower() for value in values if isinstance(value, str) for w in re.findall(r"\b[^\W\d_]+\b", value)}
    if window.operator is not None:
        words |= {w.lower() for w in re.findall(r"[^\W\d_]+", window.operator.name)}
    return words


def untranslated(window: MainWindow, english: dict[str, str]) -> list[str]:
    """What the window shows in English while it is in French: an English source text whose French is
    different, or any English-looking word that neither the catalogue nor the phones account for."""
    french_words = {w.lower() for text in english.values() for w in re.findall(r"[^\W\d_]+", text)}
    allowed = NEUTRAL | data_words(window)
    left = []
    for where, text in visible_texts(window).items():
        plain = text.replace("&", "")
        if english.get(plain, plain) != plain:
            left.append(f"{where}: {text!r} is an English source text")
            continue
        stray = {w for w in re.findall(r"\b[^\W\d_]{3,}\b", re.sub(r"https?://\S+", "", plain))
                 if w.lower() not in allowed and w.lower() not in french_words}
        if stray:
            left.append(f"{where}: {text!r} has {sorted(stray)}")
    return left


def test_every_visible_string_of_the_window_is_translated_to_french(open_window: Opened, qtbot: QtBot) -> None:
    window, _server = open_window()
    qtbot.waitUntil(lambda: band(window, "R58N12ABCDE") == "BANNED APPS", timeout=10000)
    window.wall.select(list(window.state.phones)[:1])
    window.set_operator(Operator("Ana Tremblay", "1001", Role.SUPERVISOR, Language.FR))
    english = visible_texts(window)
    window.set_language(Language.FR)
    qtbot.waitUntil(lambda: window.actions_by_name["scan"].text() == "Analyser", timeout=3000)
    qtbot.wait(100)  # the English findings' labels are deleted on the next turn of the event loop
    left = untranslated(window, english_sources())
    assert left == [], "\n".join(left)
    french = visible_texts(window)
    assert band(window, "R58N12ABCDE") == "APPLICATIONS INTERDITES"
    assert french["window title"] == "Depot Station"
    assert len(set(french.values()) & set(english.values())) < len(english) / 4  # most words changed


def test_the_window_switches_to_the_operators_language_at_sign_in_live(open_window: Opened, qtbot: QtBot) -> None:
    window, _server = open_window()
    qtbot.waitUntil(lambda: band(window, "R58N12ABCDE") == "BANNED APPS", timeout=10000)
    window.wall.select([next(a for a, p in window.state.phones.items() if p.serial == "R58N12ABCDE")])
    window.bench.read(partial(add_operator, "Élise Gagnon", "7007", Role.SUPERVISOR, "777777", None, language=Language.FR)).result(10)
    by = Credentials("7007", "777777")
    window.bench.read(partial(add_operator, "Sam Clarke", "8008", Role.OPERATOR, "888888", by, language=Language.EN)).result(10)

    def sign_in_as(badge: str, pin: str) -> None:
        """What the sign-in dialog does once the PIN is typed: the log checks it, the window is told."""
        operator = window.bench.read(partial(sign_in, Credentials(badge, pin))).result(10)
        window.signals.signed_in.emit(operator)

    sign_in_as("7007", "777777")
    # Qt posts QEvent.LanguageChange to every widget: each sets its texts again on the next turn of the loop
    qtbot.waitUntil(lambda: window.actions_by_name["provision"].text() == "Mise en service…", timeout=3000)
    assert Translations.of().language is Language.FR
    assert window.operator_label.text() == "Opérateur\u00a0: Élise Gagnon (insigne 7007)"
    assert window.actions_by_name["sign_in"].text() == "Changer d'opérateur…"
    assert window.phones_menu.title() == "&Appareils"
    assert window.summary.total.text() == "3 appareils"
    assert band(window, "R58N12ABCDE") == "APPLICATIONS INTERDITES"
    assert window.detail.tabs.tabText(1) == "Liste de contrôle"
    assert "Règle wechat\u00a0: La dirigeante principale de l'information du Canada" in " ".join(
        label.text() for label in window.detail.findings_box.findChildren(QLabel))
    platform = window.detail.identity.labelForField(window.detail._identity_labels["Platform"])
    assert isinstance(platform, QLabel) and platform.text() == "Plateforme\u00a0:"

    sign_in_as("8008", "888888")
    qtbot.waitUntil(lambda: window.actions_by_name["provision"].text() == "Provision…", timeout=3000)
    assert window.operator_label.text() == "Operator: Sam Clarke (badge 8008)"
    assert window.summary.total.text() == "3 phones"
    assert band(window, "R58N12ABCDE") == "BANNED APPS"
    assert window.detail.tabs.tabText(1) == "Checklist"


def test_signing_out_returns_to_the_stations_language(open_window: Opened, qtbot: QtBot) -> None:
    window, _server = open_window()
    window.signals.signed_in.emit(Operator("Élise Gagnon", "7007", Role.OPERATOR, Language.FR))
    qtbot.waitUntil(lambda: window.actions_by_name["scan"].text() == "Analyser", timeout=3000)
    window.actions_by_name["sign_out"].trigger()
    qtbot.waitUntil(lambda: window.actions_by_name["scan"].text() == "Scan", timeout=3000)
    assert window.operator_label.text() == "Not signed in (Ctrl+L)"


def test_every_toolbar_button_stays_in_view_in_both_languages(open_window: Opened, qtbot: QtBot) -> None:
    """French labels are longer: at the 1600 px the station is made for, none may slip into the toolbar's
    overflow menu, where an operator would not see Sign in."""
    window, _server = open_window()
    window.resize(1600, 1000)
    for language in (Language.FR, Language.EN):
        window.set_language(language)
        qtbot.wait(100)  # the toolbars lay themselves out again
        hidden = [action.text() for bar in (window.toolbar, window.station_toolbar) for action in bar.actions()
                  if not action.isSeparator() and not bar.widgetForAction(action).isVisible()]
        assert not hidden, f"{language}: out of view: {hidden}"
