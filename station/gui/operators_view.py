"""The station's operators, adding one and changing one's language: a supervisor's job, confirmed with the
supervisor's own PIN."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from station.audit.operators import Operator, Role
from station.gui.detail_panel import fill, table_widget
from station.gui.dialogs import language_box, new_pin_ok, pin_field
from station.gui.language import current_language
from station.gui.phone_tile import plain


class OperatorsDialog(QDialog):
    """Lists the operators; a signed-in supervisor adds one, or sets an operator's language. The answer
    comes back through ``show_operators`` once the log has it, so the window never waits on the database."""

    # name, badge, role, the new operator's PIN, the supervisor's own PIN, the new operator's language
    add_requested = Signal(str, str, str, str, str, str)
    # badge, language, the supervisor's own PIN
    language_requested = Signal(str, str, str)

    def __init__(self, supervisor: Operator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Operators"))
        layout = QVBoxLayout(self)
        self.table = table_widget([self.tr("Name"), self.tr("Badge"), self.tr("Role"), self.tr("Language")])
        self.table.itemSelectionChanged.connect(self._check)
        layout.addWidget(self.table, 1)
        form = QFormLayout()
        layout.addLayout(form)
        self.name = QLineEdit()
        self.badge = QLineEdit()
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(role_word(role), str(role))
        self.language = language_box(current_language())
        self.pin = pin_field(new=True)
        self.again = pin_field(new=True)
        self.supervisor_pin = pin_field()
        self.relanguage = language_box(current_language())
        self.change = QPushButton(self.tr("Set the selected operator's language"))
        self.change.setEnabled(False)
        self.change.clicked.connect(self._change_language)
        if supervisor.supervisor:
            form.addRow(plain(self.tr("Add an operator:")))
            form.addRow(self.tr("Name:"), self.name)
            form.addRow(self.tr("Badge:"), self.badge)
            form.addRow(self.tr("Role:"), self.role)
            form.addRow(self.tr("Language:"), self.language)
            form.addRow(self.tr("Their PIN:"), self.pin)
            form.addRow(self.tr("Their PIN again:"), self.again)
            form.addRow(self.tr("{name}, your PIN:").format(name=supervisor.name), self.supervisor_pin)
        else:
            form.addRow(plain(self.tr("Only a supervisor adds operators; {name} is an operator.").format(name=supervisor.name)))
        self.add = QPushButton(self.tr("Add operator"))
        self.add.setEnabled(False)
        self.add.setVisible(supervisor.supervisor)
        self.add.clicked.connect(self._add)
        form.addRow(self.add)
        if supervisor.supervisor:
            row = QHBoxLayout()
            row.addWidget(self.relanguage)
            row.addWidget(self.change, 1)
            form.addRow(self.tr("Language:"), row)
        for field in (self.name, self.badge, self.pin, self.again, self.supervisor_pin):
            field.textChanged.connect(self._check)
        self._operators: list[Operator] = []
        self.resize(560, 520)

    def _check(self) -> None:
        self.add.setEnabled(bool(self.name.text().strip() and self.badge.text().strip() and new_pin_ok(self.pin, self.again)
                                 and len(self.supervisor_pin.text()) >= 4))
        self.change.setEnabled(self._selected() is not None and len(self.supervisor_pin.text()) >= 4)

    def _selected(self) -> Operator | None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self._operators[row] if row < len(self._operators) else None

    def _add(self) -> None:
        self.add_requested.emit(self.name.text().strip(), self.badge.text().strip(), self.role.currentData(),
                                self.pin.text(), self.supervisor_pin.text(), self.language.currentData())

    def _change_language(self) -> None:
        operator = self._selected()
        if operator is not None:
            self.language_requested.emit(operator.badge, self.relanguage.currentData(), self.supervisor_pin.text())

    def show_operators(self, operators: list[Operator]) -> None:
        """The station's operators, fresh from the log; after a change, the form is cleared for the next."""
        self._operators = list(operators)
        fill(self.table, [(operator.name, operator.badge, role_word(operator.role), operator.language.native_name)
                          for operator in operators])
        for field in (self.name, self.badge, self.pin, self.again, self.supervisor_pin):
            field.clear()


def role_word(role: Role) -> str:
    words = {
        Role.OPERATOR: QCoreApplication.translate("OperatorsDialog", "operator"),
        Role.SUPERVISOR: QCoreApplication.translate("OperatorsDialog", "supervisor"),
    }
    return words[role]

