"""The confirmations and small forms: remove, wipe, sign in, settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station.gui.phone_tile import plain
from station.gui.state import PhoneState


class RemoveDialog(QDialog):
    """Lists every banned app that will be removed, phone by phone, before anything is done."""

    def __init__(self, phones: list[PhoneState], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Remove banned apps")
        layout = QVBoxLayout(self)
        count = sum(len(p.findings) for p in phones)
        layout.addWidget(plain(f"These {count} banned app(s) will be removed from {len(phones)} phone(s):"))
        self.items = QListWidget()
        for phone in phones:
            for finding in phone.findings:  # QListWidget items are plain text: app names cannot inject markup
                self.items.addItem(f"{phone.serial}   {finding.app_id}   user {finding.app.user}   ({finding.rule_app})")
        layout.addWidget(self.items)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm = buttons.addButton(f"Remove {count} app(s)", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 360)


class WipeDialog(QDialog):
    """The operator types the last four characters of the serial: a wipe cannot be undone."""

    def __init__(self, phone: PhoneState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.serial = phone.serial or ""
        self.setWindowTitle("Wipe phone")
        layout = QVBoxLayout(self)
        layout.addWidget(plain(f"Wipe {phone.title}, serial {self.serial}?\nEverything on it is erased; this cannot be undone."))
        layout.addWidget(plain("Type the last four characters of its serial to confirm:"))
        self.code = QLineEdit()
        self.code.setMaxLength(4)
        self.code.textChanged.connect(self._check)
        layout.addWidget(self.code)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm = buttons.addButton("Wipe", QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _check(self, text: str) -> None:
        self.confirm.setEnabled(len(self.serial) >= 4 and text.strip().upper() == self.serial[-4:].upper())


class SignInDialog(QDialog):
    """Name and badge; a USB barcode scanner types the badge and presses Enter, which signs in."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Operator sign-in")
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.badge = QLineEdit()
        self.badge.setPlaceholderText("type or scan the badge")
        form.addRow("Name:", self.name)
        form.addRow("Badge:", self.badge)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Sign in")
        self.ok.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        for field in (self.name, self.badge):
            field.textChanged.connect(self._check)
        self.badge.returnPressed.connect(self._scanned)

    def _check(self) -> None:
        self.ok.setEnabled(bool(self.name.text().strip() and self.badge.text().strip()))

    def _scanned(self) -> None:
        if self.ok.isEnabled():
            self.accept()

    @property
    def operator(self) -> str:
        return f"{self.name.text().strip()} (badge {self.badge.text().strip()})"


class SettingsDialog(QDialog):
    """The policy file and the data folder; they take effect when the station next starts."""

    def __init__(self, policy: str, data_dir: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        form = QFormLayout(self)
        self.policy = self._path_row(form, "Policy file:", policy, folder=False)
        self.data_dir = self._path_row(form, "Data folder:", data_dir, folder=True)
        form.addRow(plain("Changes take effect when the station next starts."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(560, 0)

    def _path_row(self, form: QFormLayout, label: str, value: str, folder: bool) -> QLineEdit:
        field = QLineEdit(value)
        browse = QPushButton("Browse…")

        def choose() -> None:
            chosen = (QFileDialog.getExistingDirectory(self, label, value) if folder
                      else QFileDialog.getOpenFileName(self, label, str(Path(value).parent), "Policies (*.toml)")[0])
            if chosen:
                field.setText(chosen)

        browse.clicked.connect(choose)
        row = QHBoxLayout()
        row.addWidget(field, 1)
        row.addWidget(browse)
        form.addRow(label, row)
        return field
