"""Loading and switching the window's language with Qt's own translation system.

The station's strings are marked with ``tr()``/``QCoreApplication.translate()`` and extracted by
pyside6-lupdate into station/i18n/station_fr.ts (see README, "Languages"); the compiled .qm is loaded
here by a QTranslator, with Qt's own French (qtbase_fr.qm: the print dialog, message boxes, stock buttons).
Installing or removing a translator makes Qt send QEvent.LanguageChange to every widget, and each of the
station's widgets then sets its texts again (their ``retranslate``), so the window switches live.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator

from station.core.errors import StationError
from station.core.language import Language


def system_language() -> Language:
    """The station's language before anyone signs in: the system's, when it is French; else English."""
    return Language.FR if QLocale.system().language() == QLocale.Language.French else Language.EN


class Translations(QObject):
    """The translators installed on the application, one language at a time; a child of the application,
    so every window of the process shares it (see ``of``)."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self.setObjectName("station-translations")
        self.app = app
        self._installed: list[QTranslator] = []
        self.language = Language.EN
        self._install(Language.EN)

    @classmethod
    def of(cls, app: QCoreApplication | None = None) -> Translations:
        """The application's translations, made on first use (in English, the source language)."""
        app = app or QCoreApplication.instance()
        if app is None:
            raise StationError("the window's language needs a QApplication")
        found = app.findChild(cls, "station-translations")
        return found if isinstance(found, cls) else cls(app)

    def switch(self, language: Language) -> None:
        """Show every window in ``language`` from now on (no restart: widgets get QEvent.LanguageChange)."""
        if language is self.language:
            return
        for translator in self._installed:
            self.app.removeTranslator(translator)
        self._installed = []
        self._install(language)

    def _install(self, language: Language) -> None:
        # English is the source language: its file holds only the plural forms ("1 phone", "2 phones").
        files = [language.qm_file()]
        if language is not Language.EN:
            files.append(Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)) / f"qtbase_{language.value}.qm")
        for file in files:
            translator = QTranslator(self)
            if not translator.load(str(file)):
                raise StationError(f"{file}: the {language.native_name} translations cannot be loaded")
            self.app.installTranslator(translator)
            self._installed.append(translator)
        QLocale.setDefault(QLocale(language.locale_name))  # dates and numbers follow the language
        self.language = language


def current_language() -> Language:
    """The language the window is showing now."""
    return Translations.of().language
