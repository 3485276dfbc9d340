"""The station's operators, and adding one: a supervisor's job, confirmed with the supervisor's own PIN."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from station.audit.operators import Operator, Role
from station.gui.detail_panel import fill, table_widget
from station.gui.dialogs import pin_field
from station.gui.phone_tile import plain


class OperatorsDialog(QDialog):
    """Lists the operators; a signed-in supervisor adds one. The answer comes back through
    ``show_operators`` once the log has it, so the window never waits on the database."""

    # name, badge, role, the new operator's PIN, the supervisor's own PIN
    add_requested = Signal(str, str, str, str, str)

    def __init__(self, supervisor: Operator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Operators")
        layout = QVBoxLayout(self)
        self.table = table_widget(["Name", "Badge", "Role"])
        layout.addWidget(self.table, 1)
        form = QFormLayout()
        layout.addLayout(form)
        self.name = QLineEdit()
        self.badge = QLineEdit()
        self.role = QComboBox()
        self.role.addItems([str(role) for role in Role])
        self.pin = pin_field()
        self.again = pin_field()
        self.supervisor_pin = pin_field()
        if supervisor.supervisor:
            form.addRow(plain("Add an operator:"))
            form.addRow("Name:", self.name)
            form.addRow("Badge:", self.badge)
            form.addRow("Role:", self.role)
            form.addRow("Their PIN:", self.pin)
            form.addRow("Their PIN again:", self.again)
            form.addRow(f"{supervisor.name}, your PIN:", self.supervisor_pin)
        else:
            form.addRow(plain(f"Only a supervisor adds operators; {supervisor.name} is an operator."))
        self.add = QPushButton("Add operator")
        self.add.setEnabled(False)
        self.add.setVisible(supervisor.supervisor)
        self.add.clicked.connect(self._add)
        form.addRow(self.add)
        for field in (self.name, self.badge, self.pin, self.again, self.supervisor_pin):
            field.textChanged.connect(self._check)
        self.resize(520, 480)

    def _check(self) -> None:
        pin = self.pin.text()
        self.add.setEnabled(bool(self.name.text().strip() and self.badge.text().strip() and len(pin) >= 4
                                 and pin == self.again.text() and len(self.supervisor_pin.text()) >= 4))

    def _add(self) -> None:
        self.add_requested.emit(self.name.text().strip(), self.badge.text().strip(), self.role.currentText(),
                                self.pin.text(), self.supervisor_pin.text())

    def show_operators(self, operators: list[Operator]) -> None:
        """The station's operators, fresh from the log; after an add, the form is cleared for the next."""
        fill(self.table, [(operator.name, operator.badge, str(operator.role)) for operator in operators])
        for field in (self.name, self.badge, self.pin, self.again, self.supervisor_pin):
            field.clear()
