"""The station's two official languages, English and French, and where their translations live.

No Qt here: the window (station/gui/language.py) loads the translations, the printed checklist
(station/report/) reads them for its French column, and the log stores an operator's language by its code.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

# The .ts files (the translators' source, from pyside6-lupdate) and the .qm files compiled from them.
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "i18n"


class Language(StrEnum):
    """A language the station speaks; the value is its ISO 639-1 code, as stored in the log."""

    EN = "en"
    FR = "fr"

    @property
    def locale_name(self) -> str:
        """The locale for dates and numbers: the depots are in Canada."""
        return f"{self.value}_CA"

    @property
    def native_name(self) -> str:
        """How the language names itself, for a language menu that each reader can find."""
        return "English" if self is Language.EN else "Français"

    def qm_file(self) -> Path:
        """The compiled translations (English, the source language, has only its plural forms)."""
        return TRANSLATIONS_DIR / f"station_{self.value}.qm"


class ReportLanguage(StrEnum):
    """The language of a printed checklist: one of the two, or both side by side as Government of Canada
    forms are (the default)."""

    EN = "en"
    FR = "fr"
    BOTH = "both"

    @property
    def languages(self) -> tuple[Language, ...]:
        """The columns of the page, English first."""
        return (Language.EN, Language.FR) if self is ReportLanguage.BOTH else (Language(self.value),)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name pyside6-lupdate looks for
    """Mark ``text`` for translation in ``context`` where it is written, and translate it where it is shown.

    PySide6's own QT_TRANSLATE_NOOP does the same but is typed as returning ``object``; lupdate finds a
    call by this name whichever module it comes from.
    """
    return text
