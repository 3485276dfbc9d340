"""The confirmations and small forms: remove, wipe, sign in, sign off, settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from station.audit.signoff import MIN_REASON
from station.core.language import Language, ReportLanguage
from station.core.refusals import MIN_PIN_DIGITS
from station.gui.backup import REMIND_DEFAULT, REMIND_RANGE
from station.gui.language import system_language
from station.gui.phone_tile import plain
from station.gui.state import PhoneState
from station.gui.words import failing_titles, phone_title
from station.workbench.sign_off import OverrideRequest
from station.workbench.staff import Credentials


class RemoveDialog(QDialog):
    """Lists every banned app that will be removed, phone by phone, before anything is done."""

    def __init__(self, phones: list[PhoneState], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Remove banned apps"))
        layout = QVBoxLayout(self)
        count = sum(len(p.findings) for p in phones)
        layout.addWidget(plain(self.tr("These %n banned app(s) will be removed from {phones} phone(s):", "", count).format(
            phones=len(phones))))
        self.items = QListWidget()
        for phone in phones:
            for finding in phone.findings:  # QListWidget items are plain text: app names cannot inject markup
                self.items.addItem(self.tr("{serial}   {app}   user {user}   ({rule_app})").format(
                    serial=phone.serial, app=finding.app_id, user=finding.app.user, rule_app=finding.rule_app))
        layout.addWidget(self.items)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm = buttons.addButton(self.tr("Remove %n app(s)", "", count), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 360)


class WipeDialog(QDialog):
    """The operator types the last four characters of the serial: a wipe cannot be undone."""

    def __init__(self, phone: PhoneState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.serial = phone.serial or ""
        self.setWindowTitle(self.tr("Wipe phone"))
        layout = QVBoxLayout(self)
        layout.addWidget(plain(self.tr("Wipe {phone}, serial {serial}?\nEverything on it is erased; this cannot be undone.").format(
            phone=phone_title(phone), serial=self.serial)))
        layout.addWidget(plain(self.tr("Type the last four characters of its serial to confirm:")))
        self.code = QLineEdit()
        self.code.setMaxLength(4)
        self.code.textChanged.connect(self._check)
        layout.addWidget(self.code)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm = buttons.addButton(self.tr("Wipe"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _check(self, text: str) -> None:
        self.confirm.setEnabled(len(self.serial) >= 4 and text.strip().upper() == self.serial[-4:].upper())


def pin_field(new: bool = False) -> QLineEdit:
    """A PIN being typed. An existing one may still be 4 or 5 digits (set before the 6-digit rule); a
    ``new`` one, being set, must be 6 to 12, which its placeholder says."""
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(12)
    field.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,12}")))
    field.setPlaceholderText(QCoreApplication.translate("Dialogs", "6 to 12 digits") if new
                             else QCoreApplication.translate("Dialogs", "4 to 12 digits"))
    return field


def new_pin_ok(pin: QLineEdit, again: QLineEdit) -> bool:
    """A new PIN follows the rule (6 to 12 digits: the field takes no more and nothing but digits) and was typed twice alike."""
    return len(pin.text()) >= MIN_PIN_DIGITS and pin.text() == again.text()


def language_box(chosen: Language) -> QComboBox:
    """An operator's language, each named in itself so that either reader finds theirs."""
    box = QComboBox()
    for language in Language:
        box.addItem(language.native_name, str(language))
    box.setCurrentIndex(box.findData(str(chosen)))
    return box


class SignInDialog(QDialog):
    """Name or badge, then PIN, checked against the station's operators. A USB barcode scanner types the
    badge and presses Enter, which moves on to the PIN."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Operator sign-in"))
        form = QFormLayout(self)
        self.who = QLineEdit()
        self.who.setPlaceholderText(self.tr("name or badge (type or scan)"))
        self.pin = pin_field()
        form.addRow(self.tr("Operator:"), self.who)
        form.addRow(self.tr("PIN:"), self.pin)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Sign in"))
        self.ok.setEnabled(False)
        self.ok.setAutoDefault(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        for field in (self.who, self.pin):
            field.textChanged.connect(self._check)
        self.who.returnPressed.connect(self.pin.setFocus)
        self.pin.returnPressed.connect(self._submit)

    def _check(self) -> None:
        self.ok.setEnabled(bool(self.who.text().strip() and len(self.pin.text()) >= 4))

    def _submit(self) -> None:
        if self.ok.isEnabled():
            self.accept()


class FirstSupervisorDialog(QDialog):
    """A new station has no operators: whoever sets it up becomes its first supervisor, who then adds
    the others (`station operator add`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("First supervisor"))
        form = QFormLayout(self)
        form.addRow(plain(self.tr("This station has no operators yet. The first one is a supervisor, who then adds the\n"
                                  "others with `station operator add`.")))
        self.name = QLineEdit()
        self.badge = QLineEdit()
        self.pin = pin_field(new=True)
        self.again = pin_field(new=True)
        self.language = language_box(system_language())
        form.addRow(self.tr("Name:"), self.name)
        form.addRow(self.tr("Badge:"), self.badge)
        form.addRow(self.tr("Language:"), self.language)
        form.addRow(self.tr("PIN:"), self.pin)
        form.addRow(self.tr("PIN again:"), self.again)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Create and sign in"))
        self.ok.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        for field in (self.name, self.badge, self.pin, self.again):
            field.textChanged.connect(self._check)

    def _check(self) -> None:
        self.ok.setEnabled(bool(self.name.text().strip() and self.badge.text().strip() and new_pin_ok(self.pin, self.again)))


class NewPinDialog(QDialog):
    """A right PIN shorter than the rule (set before PINs were 6 to 12 digits, here or at another station
    of the depot) signs nobody in: its operator sets a new one first, right away."""

    def __init__(self, operator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Set a new PIN"))
        form = QFormLayout(self)
        form.addRow(plain(self.tr("{operator}, your PIN is too short: PINs are now 6 to 12 digits.\n"
                                  "Set a new one to sign in.").format(operator=operator)))
        self.pin = pin_field(new=True)
        self.again = pin_field(new=True)
        form.addRow(self.tr("New PIN:"), self.pin)
        form.addRow(self.tr("New PIN again:"), self.again)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Set and sign in"))
        self.ok.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        for field in (self.pin, self.again):
            field.textChanged.connect(self._check)

    def _check(self) -> None:
        self.ok.setEnabled(new_pin_ok(self.pin, self.again))


class SignOffDialog(QDialog):
    """The operator's PIN again before phones are signed off for hand-out. One phone that did not pass
    can be signed off only with a written reason and a second person, a supervisor, with their PIN."""

    def __init__(self, phones: list[PhoneState], operator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.override = len(phones) == 1 and not phones[0].ready
        self.setWindowTitle(self.tr("Override and sign off") if self.override else self.tr("Sign off for hand-out"))
        layout = QVBoxLayout(self)
        if self.override:
            phone = phones[0]
            layout.addWidget(plain(self.tr("{phone}, serial {serial}, did NOT pass its checklist:").format(
                phone=phone_title(phone), serial=phone.serial)))
            for title in failing_titles(phone):
                layout.addWidget(plain(f"  • {title}"))
            layout.addWidget(plain(self.tr("Signing it off anyway needs a written reason and a supervisor's approval.\n"
                                           "The override stays in the log and on the printed checklist.")))
        else:
            layout.addWidget(plain(self.tr("Sign off %n phone(s) whose checklist passed, as {operator}:", "", len(phones)).format(
                operator=operator)))
            self.listed = QListWidget()
            for phone in phones:
                self.listed.addItem(f"{phone.serial}   {phone_title(phone)}")
            layout.addWidget(self.listed)
        form = QFormLayout()
        layout.addLayout(form)
        self.pin = pin_field()
        form.addRow(self.tr("{operator}, your PIN:").format(operator=operator), self.pin)
        self.reason = QPlainTextEdit()
        self.supervisor = QLineEdit()
        self.supervisor_pin = pin_field()
        if self.override:
            self.reason.setPlaceholderText(
                self.tr("why this phone may go out anyway (at least {count} characters)").format(count=MIN_REASON))
            self.reason.setMaximumHeight(80)
            self.supervisor.setPlaceholderText(self.tr("name or badge of a supervisor (not you)"))
            form.addRow(self.tr("Reason:"), self.reason)
            form.addRow(self.tr("Supervisor:"), self.supervisor)
            form.addRow(self.tr("Supervisor's PIN:"), self.supervisor_pin)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        confirm = self.tr("Override and sign off") if self.override else self.tr("Sign off %n phone(s)", "", len(phones))
        self.confirm = buttons.addButton(confirm, QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for field in (self.pin, self.supervisor, self.supervisor_pin):
            field.textChanged.connect(self._check)
        self.reason.textChanged.connect(self._check)

    def _check(self) -> None:
        ok = len(self.pin.text()) >= 4
        if self.override:
            ok = ok and len(self.reason.toPlainText().strip()) >= MIN_REASON and bool(self.supervisor.text().strip()) \
                and len(self.supervisor_pin.text()) >= 4
        self.confirm.setEnabled(ok)

    def override_request(self) -> OverrideRequest | None:
        """The supervisor's approval, with the reason, for a phone that did not pass; None for phones that passed."""
        if not self.override:
            return None
        return OverrideRequest(self.reason.toPlainText().strip(), Credentials(self.supervisor.text().strip(), self.supervisor_pin.text()))


class WipeLockedDialog(QDialog):
    """A supervisor's override to wipe a returned phone still tied to its user's account: the phone will
    ask for that account after the reset, so it needs a written reason and a second person's PIN."""

    def __init__(self, phone: PhoneState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Wipe a locked phone")
        layout = QVBoxLayout(self)
        lock = phone.account_lock
        said = f"{lock.evidence}.\n{lock.remedy}." if lock is not None else "it may be tied to its user's account."
        layout.addWidget(plain(f"{phone.title}, serial {phone.serial}: {said}\n\nWiped now, it will ask for that account "
                               "when it is set up again. Wiping it anyway needs a written reason and a supervisor's approval;\n"
                               "the override stays in the log."))
        form = QFormLayout()
        layout.addLayout(form)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(f"why it must be wiped anyway (at least {MIN_REASON} characters)")
        self.reason.setMaximumHeight(80)
        self.supervisor = QLineEdit()
        self.supervisor.setPlaceholderText("name or badge of a supervisor (not you)")
        self.supervisor_pin = pin_field()
        form.addRow("Reason:", self.reason)
        form.addRow("Supervisor:", self.supervisor)
        form.addRow("Supervisor's PIN:", self.supervisor_pin)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm = buttons.addButton("Wipe anyway", QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for field in (self.supervisor, self.supervisor_pin):
            field.textChanged.connect(self._check)
        self.reason.textChanged.connect(self._check)

    def _check(self) -> None:
        self.confirm.setEnabled(len(self.reason.toPlainText().strip()) >= MIN_REASON and bool(self.supervisor.text().strip())
                                and len(self.supervisor_pin.text()) >= 4)

    def request(self) -> OverrideRequest:
        return OverrideRequest(self.reason.toPlainText().strip(), Credentials(self.supervisor.text().strip(), self.supervisor_pin.text()))


class SettingsDialog(QDialog):
    """The policy file and the data folder, which take effect when the station next starts, and the
    printed checklist's language, which takes effect at once."""

    def __init__(self, policy: str, data_dir: str, report_language: ReportLanguage, parent: QWidget | None = None,
                 remind_after_days: int = REMIND_DEFAULT) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        form = QFormLayout(self)
        self.policy = self._path_row(form, self.tr("Policy file:"), policy, folder=False)
        self.data_dir = self._path_row(form, self.tr("Data folder:"), data_dir, folder=True)
        form.addRow(plain(self.tr("Changes take effect when the station next starts.")))
        self.report = QComboBox()
        for choice, text in ((ReportLanguage.BOTH, self.tr("English and French, side by side")),
                             (ReportLanguage.EN, "English"), (ReportLanguage.FR, "Français")):
            self.report.addItem(text, str(choice))
        self.report.setCurrentIndex(self.report.findData(str(report_language)))
        form.addRow(self.tr("Printed checklist:"), self.report)
        self.remind_after = QSpinBox()
        self.remind_after.setRange(*REMIND_RANGE)
        self.remind_after.setValue(remind_after_days)
        self.remind_after.setSuffix(self.tr(" day(s)"))
        form.addRow(self.tr("Remind supervisors to back up the log after:"), self.remind_after)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(560, 0)

    def _path_row(self, form: QFormLayout, label: str, value: str, folder: bool) -> QLineEdit:
        field = QLineEdit(value)
        browse = QPushButton(self.tr("Browse…"))

        def choose() -> None:
            chosen = (QFileDialog.getExistingDirectory(self, label, value) if folder
                      else QFileDialog.getOpenFileName(self, label, str(Path(value).parent), self.tr("Policies (*.toml)"))[0])
            if chosen:
                field.setText(chosen)

        browse.clicked.connect(choose)
        row = QHBoxLayout()
        row.addWidget(field, 1)
        row.addWidget(browse)
        form.addRow(label, row)
        return field

    def report_language(self) -> ReportLanguage:
        return ReportLanguage(self.report.currentData())
