"""The translations kept in station/i18n: complete, in step with the code, compiled, and written as French is.

These read the .ts files (what a translator edits) and run PySide6's own lupdate and lrelease, so a string
marked in the code but never extracted, a French entry left unfinished, or a .qm older than its .ts fails here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from station.core.language import TRANSLATIONS_DIR, Language

ROOT = Path(__file__).resolve().parents[2]
TOOLS = Path(sys.executable).parent
FRENCH = TRANSLATIONS_DIR / "station_fr.ts"
PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%n")
NBSP, NNBSP = "\u00a0", "\u202f"


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    translations: tuple[str, ...]  # one, or one per plural form
    finished: bool


def messages(path: Path) -> list[Message]:
    found = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            forms = tuple(form.text or "" for form in translation.iter("numerusform")) or (translation.text or "",)
            found.append(Message(name, message.findtext("source") or "", forms, translation.get("type") is None))
    return found


def lupdate_args(language: Language) -> list[str]:
    """The Makefile's `make translations` lupdate call for one language (kept the same as there)."""
    plural_only = ["-pluralonly"] if language is Language.EN else []
    return [str(TOOLS / "pyside6-lupdate"), "-extensions", "py", "-locations", "none", "-no-obsolete", *plural_only,
            "-source-language", "en_CA", "-target-language", language.locale_name,
            "station/gui", "station/report", "station/core/sayings.py"]


def test_every_french_entry_is_translated_and_keeps_its_placeholders() -> None:
    found = messages(FRENCH)
    assert len(found) > 200
    for message in found:
        where = f"{message.context}: {message.source!r}"
        assert message.finished, f"unfinished: {where}"
        assert all(form.strip() for form in message.translations), f"no French: {where}"
        for form in message.translations:
            assert sorted(set(PLACEHOLDER.findall(form)) - {"%n"}) == sorted(set(PLACEHOLDER.findall(message.source)) - {"%n"}), where


@pytest.mark.parametrize("language", list(Language))
def test_the_ts_files_are_what_lupdate_makes_of_the_code(tmp_path: Path, language: Language) -> None:
    """A string marked in the code but not in the .ts (or one the code no longer has) fails: run `make translations`."""
    committed = language.qm_file().with_suffix(".ts")
    fresh = tmp_path / committed.name
    shutil.copy(committed, fresh)
    subprocess.run([*lupdate_args(language), "-ts", str(fresh)], cwd=ROOT, check=True, capture_output=True)
    assert fresh.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), "run `make translations`"


@pytest.mark.parametrize("language", list(Language))
def test_the_committed_qm_is_compiled_from_its_ts(tmp_path: Path, language: Language) -> None:
    out = tmp_path / language.qm_file().name
    subprocess.run([str(TOOLS / "pyside6-lrelease"), str(language.qm_file().with_suffix(".ts")), "-qm", str(out)],
                   check=True, capture_output=True)
    assert out.read_bytes() == language.qm_file().read_bytes(), "run `make translations`"


def test_french_typography_non_breaking_spaces_and_quotes() -> None:
    """A space before : is U+00A0, before ; ? ! it is U+202F, and « » hold non-breaking spaces."""
    for message in messages(FRENCH):
        for text in message.translations:
            where = f"{message.context}: {text!r}"
            assert not re.search(r" [:;?!»]", text), f"a plain space before punctuation: {where}"
            assert "« " not in text and not re.search(r"«[^\u00a0]", text), f"« needs a non-breaking space after it: {where}"
            assert not re.search(f"{NNBSP}:|{NBSP}[;?!]", text), f"the wrong non-breaking space: {where}"
            assert not re.search(r"\w[;?!]", text) or "`" in text, f"no space before ; ? !: {where}"
            if re.search(r"(^|\s)'[^']+'", message.source):  # a quoted phrase, not an apostrophe
                assert "«" in text and "'" not in text.split("«")[1].split("»")[0], f"quotes in French are « »: {where}"


def test_french_uses_the_government_of_canada_terms() -> None:
    """Termium Plus terms, one per concept: NIP (not PIN), « approbation » for sign-off, « mise en service »
    for provisioning, « liste de contrôle », « applications interdites »."""
    french = {message.source: message.translations for message in messages(FRENCH)}
    text = "\n".join(form for forms in french.values() for form in forms)
    assert not re.search(r"\bPIN\b", text) and "NIP" in text
    assert not re.search(r"attestation|approvisionnement|check-list|checklist", text, re.IGNORECASE)
    assert french["Sign off…"] == ("Approuver…",) and french["Signed off"] == ("Approuvé",)
    assert french["Provision…"] == ("Mise en service…",) and french["Banned apps"] == ("Applications interdites",)
    assert french["Checklist"] == ("Liste de contrôle",)
