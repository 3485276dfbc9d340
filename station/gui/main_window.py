"""The station's window: the wall of phones, the selected phone's details, and every action on them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import Future
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from station.audit.backup import BackupState, backup_state, make_backup_in
from station.audit.history import History
from station.audit.operators import Operator, OperatorError, PinChangeNeeded, Role
from station.core import events
from station.core.checklist import Workflow
from station.core.errors import StationError
from station.core.imei import ImeiError, parse_imei
from station.core.language import QT_TRANSLATE_NOOP, Language, ReportLanguage
from station.core.notices import Notice
from station.core.policy import Policy
from station.core.refusals import Refusal
from station.gui.backup import REMIND_DEFAULT, REMIND_KEY, BackupBar, remind_after_days
from station.gui.detail_panel import DetailPanel
from station.gui.device_wall import DeviceWall, SummaryBar
from station.gui.dialogs import (
    FirstSupervisorDialog,
    NewPinDialog,
    RemoveDialog,
    SettingsDialog,
    SignInDialog,
    SignOffDialog,
    WipeDialog,
    WipeLockedDialog,
)
from station.gui.language import Translations
from station.gui.operators_view import OperatorsDialog
from station.gui.phone_tile import BUSY, plain
from station.gui.records_view import HistoryDialog, PolicyDialog
from station.gui.signals import BenchSignals
from station.gui.state import BenchState, PhoneState
from station.gui.words import depot_text, notice_text, refusal_text, watching_text
from station.workbench.control import BenchControl, DepotLink
from station.workbench.hub import Watched
from station.workbench.sign_off import OverrideRequest
from station.workbench.staff import Credentials, add_operator, change_language, everyone

# the events after which the phone's log has new records worth showing in the detail panel
_LOGGED = (events.Scanned, events.Removed, events.Wiped, events.ChecklistDone, events.Failed)
# How often the status bar asks whether the depot answers (the device process asks it, on a worker thread,
# and gives up after 2 s), so a server that goes away shows within a few seconds.
DEPOT_STATUS_MS = 5000

_TOOLBAR_STYLE = """
QToolBar { background: #ffffff; border-bottom: 1px solid #c4c9d0; spacing: 4px; padding: 4px; }
QToolButton { font-size: 12pt; padding: 6px 12px; border: 1px solid transparent; border-radius: 4px; color: #111; }
QToolButton:hover { background: #e8eef6; border-color: #b8c6d8; }
QToolButton:disabled { color: #9aa1a9; }
QToolButton#remove:enabled { color: #b3261e; font-weight: bold; }
"""


def emit_result(future: Future[Any], emit: Callable[[Any], None], refused: Callable[[str], None] | None = None) -> None:
    """Hand a bench Future's result to a signal when it is done (on the bench's thread), never waiting
    here. A StationError (a wrong PIN, say) goes to ``refused`` when given; other failures show nothing
    (the bench is closing, or the log could not be read)."""

    def done(finished: Future[Any]) -> None:
        if finished.cancelled():
            return
        error = finished.exception()
        try:
            if error is None:
                emit(finished.result())
            elif refused is not None and isinstance(error, StationError):
                refused(refusal_text(error.refusal) if isinstance(error, OperatorError) else str(error))
        except RuntimeError:  # the window (and its signals) closed before the answer came
            pass

    future.add_done_callback(done)


class MainWindow(QMainWindow):
    def __init__(self, bench: BenchControl, policy: Policy, signals: BenchSignals, connected: str,
                 workflows: dict[str, Workflow], settings: QSettings, data_dir: str) -> None:
        super().__init__()
        self._watched: Watched | None = None  # what the station watches, worded on the status bar
        self._notice: Notice | None = None  # the latest notice, worded again when the language changes
        self._depot: DepotLink | None = None  # the depot as last asked, worded on the status bar
        self.bench = bench
        self.policy = policy
        self.signals = signals
        self.workflows = workflows
        self.settings = settings
        self.data_dir = data_dir
        self.state = BenchState()
        self.operator: Operator | None = None
        self._after_sign_in: Callable[[], None] | None = None  # what the operator asked for before signing in
        self.history_dialog: HistoryDialog | None = None
        self.operators_dialog: OperatorsDialog | None = None
        self._action_texts: dict[str, tuple[str, str]] = {}  # each action's English text and tip, by name
        self.translations = Translations.of()
        self.station_language = self.translations.language  # what the window speaks when nobody is signed in
        self._lay_out()
        self._make_status_bar(connected)
        self.actions_by_name = self._make_actions()
        self._connect(signals)
        self.wall.selection_changed.connect(self._selection_changed)
        self._selection_changed([])
        self.set_operator(None)
        self._restore()
        self.retranslate()

    def _lay_out(self) -> None:
        """The wall (with its summary above) on the left, the selected phone's details on the right."""
        self.wall = DeviceWall()
        self.summary = SummaryBar()
        self.detail = DetailPanel()
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.backup_bar = BackupBar()  # a supervisor's reminder when the log has gone too long without a backup
        self.backup_bar.backup_requested.connect(self.back_up_log)
        self.backup_bar.state_arrived.connect(self._show_backup_state)
        self.backup_bar.backed_up.connect(self._backed_up)
        column.addWidget(self.backup_bar)
        column.addWidget(self.summary)
        column.addWidget(self.wall, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("splitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.setCentralWidget(self.splitter)

    def _make_status_bar(self, connected: str) -> None:
        self.connected = plain(connected)
        self.connected.setToolTip(connected)
        self.notice = plain()  # what the station cannot reach (usbmuxd, USB), beside what it is connected to
        self.notice.setStyleSheet("color: #b35c00; font-weight: bold;")
        self.operator_label = plain()
        self.depot_label = plain()  # shown once the station is known to have joined a depot
        self.depot_label.hide()
        self.statusBar().addWidget(self.connected, 1)
        self.statusBar().addWidget(self.notice)
        self.statusBar().addPermanentWidget(self.depot_label)
        self.statusBar().addPermanentWidget(self.operator_label)
        self.depot_timer = QTimer(self)
        self.depot_timer.setInterval(DEPOT_STATUS_MS)
        self.depot_timer.timeout.connect(self.refresh_depot)
        self.depot_timer.start()

    def _connect(self, signals: BenchSignals) -> None:
        """What arrives from the bench (on the GUI thread, through the signals) and where it goes."""
        signals.event.connect(self.on_event)
        signals.history.connect(self.detail.show_history)
        signals.found.connect(self._found)
        signals.depot.connect(self.show_depot)
        signals.notice.connect(self.show_notice)
        signals.documents.connect(self._print)
        signals.operators.connect(self._ask_sign_in)
        signals.signed_in.connect(self._signed_in_as)
        signals.pin_change_needed.connect(self._ask_new_pin)
        signals.signed_off.connect(self._show_signed_off)
        signals.refused.connect(self._refused)

    # ---- actions -------------------------------------------------------------------------

    def _toolbar(self, name: str) -> QToolBar:
        toolbar = QToolBar()
        toolbar.setObjectName(name)
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.setStyleSheet(_TOOLBAR_STYLE)
        self.addToolBar(toolbar)
        return toolbar

    def _make_actions(self) -> dict[str, QAction]:
        # The phones' actions, then the station's: one row while both fit, two when not (_fit_toolbars).
        toolbar = self.toolbar = self._toolbar("actions")
        station_bar = self.station_toolbar = self._toolbar("station")
        phones = self.phones_menu = self.menuBar().addMenu("")  # the menus list every action with its shortcut
        station = self.station_menu = self.menuBar().addMenu("")
        made: dict[str, QAction] = {}

        def add(name: str, text: str, keys: str, slot: Callable[[], object], tip: str, menu: QMenu, on_toolbar: bool = True) -> None:
            # text and tip are English source texts (marked for lupdate); retranslate() shows them translated
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            self._action_texts[name] = (text, tip)
            action.triggered.connect(slot)
            menu.addAction(action)
            if on_toolbar:
                bar = station_bar if menu is station else toolbar
                bar.addAction(action)
                bar.widgetForAction(action).setObjectName(name)
            self.addAction(action)
            made[name] = action

        def separate(*menus: QMenu | QToolBar) -> None:
            for menu in menus:
                menu.addSeparator()

        add("scan", QT_TRANSLATE_NOOP("MainWindow", "Scan"), "F5", self.scan_selected,
            QT_TRANSLATE_NOOP("MainWindow", "Scan the selected phones again"), phones)
        add("remove", QT_TRANSLATE_NOOP("MainWindow", "Remove banned apps…"), "Ctrl+R", self.remove_selected,
            QT_TRANSLATE_NOOP("MainWindow", "Remove the banned apps from the selected phones"), phones)
        add("wipe", QT_TRANSLATE_NOOP("MainWindow", "Wipe…"), "Ctrl+Shift+W", self.wipe_selected,
            QT_TRANSLATE_NOOP("MainWindow", "Factory-reset the selected phone"), phones)
        add("stop", QT_TRANSLATE_NOOP("MainWindow", "Stop"), "Ctrl+.", self.stop_selected,
            QT_TRANSLATE_NOOP("MainWindow", "Stop what the selected phones are doing"), phones, on_toolbar=False)
        add("imei", QT_TRANSLATE_NOOP("MainWindow", "Enter IMEI…"), "Ctrl+E", self.enter_imei,
            QT_TRANSLATE_NOOP("MainWindow", "Type or scan the IMEI of the selected phone when it does not report it"), phones,
            on_toolbar=False)
        separate(toolbar, phones)
        add("provision", QT_TRANSLATE_NOOP("MainWindow", "Provision…"), "Ctrl+P", lambda: self.run_workflow("provision"),
            QT_TRANSLATE_NOOP("MainWindow", "Run the provisioning checklist on the selected phones"), phones)
        add("return", QT_TRANSLATE_NOOP("MainWindow", "Return…"), "Ctrl+Shift+R", lambda: self.run_workflow("return"),
            QT_TRANSLATE_NOOP("MainWindow", "Run the returns checklist on the selected phones (wipes them)"), phones)
        add("wipe_locked", QT_TRANSLATE_NOOP("MainWindow", "Return, wiping a locked phone…"), "Ctrl+Alt+R", self.return_wiping_locked,
            QT_TRANSLATE_NOOP("MainWindow", "Run the returns checklist on the selected phone although a reset locks it to its "
                                            "user's account (a supervisor's override)"), phones, on_toolbar=False)
        add("sign_off", QT_TRANSLATE_NOOP("MainWindow", "Sign off…"), "Ctrl+Shift+S", self.sign_off_selected,
            QT_TRANSLATE_NOOP("MainWindow", "Sign off the selected phones for hand-out (PIN again; an override needs a supervisor)"),
            phones)
        add("print", QT_TRANSLATE_NOOP("MainWindow", "Print checklist…"), "Ctrl+Shift+P", self.print_selected,
            QT_TRANSLATE_NOOP("MainWindow", "Print the selected phones' latest checklists"), phones)
        separate(toolbar, phones)
        add("select_all", QT_TRANSLATE_NOOP("MainWindow", "Select all"), "Ctrl+A", self.wall.select_all,
            QT_TRANSLATE_NOOP("MainWindow", "Select every phone on the wall"), phones)
        add("history", QT_TRANSLATE_NOOP("MainWindow", "History…"), "Ctrl+F", self.open_history,
            QT_TRANSLATE_NOOP("MainWindow", "Search the log by serial, IMEI or asset tag"), station)
        add("policy", QT_TRANSLATE_NOOP("MainWindow", "Policy"), "Ctrl+I", lambda: PolicyDialog(self.policy, self).exec(),
            QT_TRANSLATE_NOOP("MainWindow", "Show the policy's rules, reasons and sources"), station)
        add("settings", QT_TRANSLATE_NOOP("MainWindow", "Settings…"), "Ctrl+,", self.open_settings,
            QT_TRANSLATE_NOOP("MainWindow", "Policy file and data folder"), station)
        add("backup", QT_TRANSLATE_NOOP("MainWindow", "Back up the log…"), "Ctrl+Shift+B", self.back_up_log,
            QT_TRANSLATE_NOOP("MainWindow", "Write a checked copy of the log into a new folder (supervisors)"), station, on_toolbar=False)
        separate(station_bar, station)
        add("sign_in", QT_TRANSLATE_NOOP("MainWindow", "Sign in…"), "Ctrl+L", self.sign_in,
            QT_TRANSLATE_NOOP("MainWindow", "Operator sign-in: name or badge, and PIN (a badge scanner works too)"), station)
        add("sign_out", QT_TRANSLATE_NOOP("MainWindow", "Sign out"), "Ctrl+Shift+L", self.sign_out,
            QT_TRANSLATE_NOOP("MainWindow", "Sign the operator out"), station)
        add("operators", QT_TRANSLATE_NOOP("MainWindow", "Operators…"), "Ctrl+Shift+O", self.open_operators,
            QT_TRANSLATE_NOOP("MainWindow", "The station's operators; a supervisor adds them"),
            station, on_toolbar=False)
        self.language_menu = self._make_language_menu(station)
        separate(station)
        add("quit", QT_TRANSLATE_NOOP("MainWindow", "Quit"), "Ctrl+Q", self.close,
            QT_TRANSLATE_NOOP("MainWindow", "Close the station (phones at work are stopped and logged)"),
            station, on_toolbar=False)
        return made

    def _make_language_menu(self, station: QMenu) -> QMenu:
        menu = station.addMenu("")
        for language in Language:
            choice = menu.addAction(language.native_name)  # each language named in itself
            choice.setCheckable(True)
            choice.setData(str(language))
            choice.triggered.connect(lambda _checked, chosen=language: self.set_language(chosen))
        return menu

    def retranslate(self) -> None:
        """Every text the window owns, in the current language (its panels retranslate themselves)."""
        self.setWindowTitle(self.tr("Depot Station"))
        self.toolbar.setWindowTitle(self.tr("Actions"))
        self.station_toolbar.setWindowTitle(self.tr("Station"))
        self.phones_menu.setTitle(self.tr("&Phones"))
        self.station_menu.setTitle(self.tr("&Station"))
        self.language_menu.setTitle(self.tr("&Language"))
        for choice in self.language_menu.actions():
            choice.setChecked(choice.data() == str(self.translations.language))
        for name, (text, tip) in self._action_texts.items():
            action = self.actions_by_name[name]
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setText(self.tr(text))
            action.setToolTip(self.tr("{tip} ({keys})").format(tip=self.tr(tip), keys=keys))
            action.setStatusTip(self.tr(tip))
        self.set_operator(self.operator)
        if self._watched is not None:
            self.show_connected(self._watched)
        if self._notice is not None:
            self.show_notice(self._notice)
        self.show_depot(self._depot)
        self._fit_toolbars()

    def _fit_toolbars(self) -> None:
        """Every toolbar button in view: the station's actions share the phones' row while both fit the
        window, and take a row of their own when not (French labels are longer than English ones)."""
        wanted = self.toolbar.sizeHint().width() + self.station_toolbar.sizeHint().width()
        apart = self.toolBarBreak(self.station_toolbar)
        if wanted > self.width() and not apart:
            self.insertToolBarBreak(self.station_toolbar)
        elif wanted <= self.width() and apart:
            self.removeToolBarBreak(self.station_toolbar)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_toolbars()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def set_language(self, language: Language) -> None:
        """Show the station in ``language`` from now on, live: every widget gets QEvent.LanguageChange."""
        self.translations.switch(language)
        for choice in self.language_menu.actions():
            choice.setChecked(choice.data() == str(language))

    def selected_states(self) -> list[PhoneState]:
        return [self.state.phones[a] for a in self.wall.selected if a in self.state.phones]

    def _selection_changed(self, _addresses: list[str]) -> None:
        self._update_actions()
        phones = self.selected_states()
        shown = phones[0] if len(phones) == 1 else None
        self.detail.show_state(shown)
        if shown is not None and shown.serial:
            self._request_history(shown.serial)

    def _update_actions(self) -> None:
        phones = self.selected_states()
        present = [p for p in phones if p.present]
        enabled = {
            "scan": bool(present),
            "remove": any(p.findings and p.serial for p in present),
            "wipe": len(present) == 1 and present[0].serial is not None,
            "imei": len(phones) == 1 and phones[0].serial is not None,
            "wipe_locked": len(present) == 1 and present[0].account_lock is not None and not present[0].account_lock.clear,
            "stop": any(p.status in BUSY for p in present),
            "provision": bool(present),
            "return": bool(present),
            "sign_off": bool(self._to_sign(phones)),
            "print": any(p.serial for p in phones),
        }
        for name, on in enabled.items():
            self.actions_by_name[name].setEnabled(on)

    def _signed_in(self, then: Callable[[], None]) -> bool:
        """Whether an operator is signed in. If not, asks for a sign-in, and once it is accepted goes on
        with ``then`` (what the operator asked for)."""
        if self.operator is None:
            self._after_sign_in = then
            self.sign_in()
        return self.operator is not None

    def scan_selected(self) -> None:
        for phone in self.selected_states():
            if phone.present:
                self.bench.scan(phone.address)

    def stop_selected(self) -> None:
        for phone in self.selected_states():
            self.bench.cancel(phone.address)

    def remove_selected(self) -> None:
        phones = [p for p in self.selected_states() if p.present and p.findings and p.serial]
        if not phones or not self._signed_in(self.remove_selected):
            return
        dialog = RemoveDialog(phones, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        for phone in phones:
            self.bench.remove(phone.address, phone.serial or "", {f.app_id for f in phone.findings})

    def wipe_selected(self) -> None:
        phones = [p for p in self.selected_states() if p.present and p.serial]
        if len(phones) != 1 or not self._signed_in(self.wipe_selected):
            return
        dialog = WipeDialog(phones[0], self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.bench.wipe(phones[0].address, phones[0].serial or "")

    def run_workflow(self, name: str) -> None:
        phones = [p for p in self.selected_states() if p.present]
        workflow = self.workflows[name]
        if not phones or not self._signed_in(lambda: self.run_workflow(name)):
            return
        language = self.translations.language
        steps = "\n".join(f"  • {item.title_in(language)}" for item in workflow.actions)
        question = self.tr("{workflow} on %n phone(s). It will:\n{steps}\n\nGo on?", "", len(phones))
        name = workflow.name_in(language)
        answer = QMessageBox.question(self, name, question.format(workflow=name, steps=steps))
        if answer == QMessageBox.StandardButton.Yes:
            for phone in phones:
                self.bench.run_workflow(phone.address, workflow)

    def return_wiping_locked(self) -> None:
        """The returns checklist on one phone a reset would lock, its wipe under a supervisor's override."""
        phones = [p for p in self.selected_states() if p.present and p.account_lock is not None and not p.account_lock.clear]
        if len(phones) != 1 or not self._signed_in(self.return_wiping_locked):
            return
        dialog = WipeLockedDialog(phones[0], self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.start_return_wiping_locked(phones[0].address, dialog.request())

    def start_return_wiping_locked(self, address: str, request: OverrideRequest) -> None:
        future = self.bench.return_wiping_locked(address, self.workflows["return"], request)
        emit_result(future, lambda _started: None, lambda message: self.signals.refused.emit("Wipe a locked phone", message))

    def print_selected(self) -> None:
        """Read the selected phones' latest checklists from the log (on the bench's thread), then print."""
        from station.report.document import latest_checklists

        serials = [p.serial for p in self.selected_states() if p.serial]
        if not serials:
            return
        depot = str(self.settings.value("depot", "Depot"))
        emit_result(self.bench.read(partial(latest_checklists, serials, depot)), self.signals.documents.emit)

    def _print(self, documents: list[Any]) -> None:
        if not documents:
            QMessageBox.information(self, self.tr("Print checklist"),
                                    self.tr("None of the selected phones has a checklist yet: run Provision or Return first."))
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        from station.report.pdf import print_to

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            print_to(documents, printer, self.report_language())

    @staticmethod
    def _to_sign(phones: list[PhoneState]) -> list[PhoneState]:
        """The phones a sign-off would take: the selected ones whose checklist passed and is not signed
        yet; or, when only one that did not pass is selected, that one, for a supervisor's override."""
        checked = [p for p in phones if p.checklist_seq is not None and p.signed_off is None]
        ready = [p for p in checked if p.ready]
        return ready or (checked if len(checked) == 1 else [])

    def sign_off_selected(self) -> None:
        phones = self._to_sign(self.selected_states())
        if not phones or not self._signed_in(self.sign_off_selected):
            return
        assert self.operator is not None
        operator = self.operator
        dialog = SignOffDialog(phones, operator.name, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        rows = {p.checklist_seq: p.address for p in phones if p.checklist_seq is not None}

        def signed(results: dict[int, int | Refusal]) -> None:
            for row, result in results.items():
                if isinstance(result, int):
                    self.signals.signed_off.emit(rows[row], row, result, operator.name)
                else:
                    self.signals.refused.emit(self.tr("Sign off"), refusal_text(result))

        future = self.bench.sign_off(list(rows), Credentials(operator.badge, dialog.pin.text()), dialog.override_request())
        emit_result(future, signed, lambda message: self.signals.refused.emit(self.tr("Sign off"), message))

    def _show_signed_off(self, address: str, checklist_row: int, record: int, operator: str) -> None:
        state = self.state.sign_off(address, checklist_row, record, operator)
        if state is not None:
            self.on_state(state)
            if state.serial and self.wall.selected == [address]:
                self._request_history(state.serial)

    def sign_in(self) -> None:
        """Asks the log who may sign in (on the bench's thread); the answer opens the right dialog."""
        emit_result(self.bench.read(everyone), self.signals.operators.emit,
                    lambda message: self.signals.refused.emit(self.tr("Sign in"), message))

    def _ask_sign_in(self, operators: list[Operator]) -> None:
        """The PIN is checked by the bench, where the log is written: the operator it then records is one
        it checked (its session is the window's token), never a name the window passed on."""
        if not operators:
            first = FirstSupervisorDialog(self)
            if first.exec() != QDialog.DialogCode.Accepted:
                self._after_sign_in = None
                return
            badge, pin = first.badge.text().strip(), first.pin.text()
            created = self.bench.read(partial(add_operator, first.name.text(), badge, Role.SUPERVISOR, pin, None,
                                              language=Language(first.language.currentData())))
            emit_result(created, lambda _created: self._check_sign_in(Credentials(badge, pin)),
                        lambda message: self.signals.refused.emit(self.tr("Sign in"), message))
            return
        dialog = SignInDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            self._after_sign_in = None
            return
        self._check_sign_in(Credentials(dialog.who.text().strip(), dialog.pin.text()))

    def _check_sign_in(self, credentials: Credentials) -> None:
        """Sign in at the bench; a right PIN shorter than the rule asks for a new one (on the GUI thread)."""

        def done(finished: Future[Operator]) -> None:
            if finished.cancelled():
                return
            error = finished.exception()
            try:
                if error is None:
                    self.signals.signed_in.emit(finished.result())
                elif isinstance(error, PinChangeNeeded):
                    self.signals.pin_change_needed.emit(error.operator, credentials.pin)
                elif isinstance(error, StationError):
                    self.signals.refused.emit(self.tr("Sign in"), str(error))
            except RuntimeError:  # the window (and its signals) closed before the answer came
                pass

        self.bench.sign_in(credentials).add_done_callback(done)

    def _ask_new_pin(self, operator: Operator, current: str) -> None:
        """The operator's PIN was right but shorter than the rule: a new one, then they are signed in."""
        dialog = NewPinDialog(operator.name, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            self._after_sign_in = None
            return
        changed = self.bench.change_pin(Credentials(operator.badge, current), dialog.pin.text())
        emit_result(changed, self.signals.signed_in.emit, lambda message: self.signals.refused.emit(self.tr("Set a new PIN"), message))

    def _signed_in_as(self, operator: Operator) -> None:
        self.set_language(operator.language)  # the operator's own language, from the first word they read
        self.set_operator(operator)
        self.check_backup()
        then, self._after_sign_in = self._after_sign_in, None
        if then is not None:
            then()

    def sign_out(self) -> None:
        """The operator leaves: the bench records nobody and changes no real phone until the next sign-in,
        and the window goes back to the station's language (the system's)."""
        self.bench.sign_out()
        self.set_operator(None)
        self.set_language(self.station_language)

    def open_operators(self) -> None:
        if not self._signed_in(self.open_operators):
            return
        assert self.operator is not None
        supervisor = self.operator
        if self.operators_dialog is not None:  # one at a time, for whoever is signed in now
            self.signals.staff.disconnect(self.operators_dialog.show_operators)
            self.operators_dialog.close()
            self.operators_dialog.deleteLater()
        dialog = self.operators_dialog = OperatorsDialog(supervisor, self)
        self.signals.staff.connect(dialog.show_operators)

        def add(name: str, badge: str, role: str, pin: str, supervisor_pin: str, language: str) -> None:
            by = Credentials(supervisor.badge, supervisor_pin)
            added = self.bench.read(partial(add_operator, name, badge, Role(role), pin, by, language=Language(language)))
            emit_result(added, lambda _added: emit_result(self.bench.read(everyone), self.signals.staff.emit),
                        lambda message: self.signals.refused.emit(self.tr("Add operator"), message))

        def change(who: str, language: str, supervisor_pin: str) -> None:
            changed = self.bench.read(partial(change_language, who, Language(language), Credentials(supervisor.badge, supervisor_pin)))
            emit_result(changed, lambda _changed: emit_result(self.bench.read(everyone), self.signals.staff.emit),
                        lambda message: self.signals.refused.emit(self.tr("Change language"), message))

        dialog.add_requested.connect(add)
        dialog.language_requested.connect(change)
        emit_result(self.bench.read(everyone), self.signals.staff.emit)
        dialog.show()

    def enter_imei(self) -> None:
        """Ask for the selected phone's IMEI (typed, or scanned from its box by a barcode scanner)."""
        phones = self.selected_states()
        if len(phones) != 1 or phones[0].serial is None:
            return
        phone = phones[0]
        text, given = QInputDialog.getText(self, "Enter IMEI", f"IMEI of {phone.serial} (*#06# on the phone, or scan its box):")
        if given:
            refused = self.apply_imei(phone.address, text)
            if refused is not None:
                QMessageBox.warning(self, "Enter IMEI", refused)

    def apply_imei(self, address: str, text: str) -> str | None:
        """Check ``text`` as the IMEI of the phone at ``address``: if good, record it with the phone and
        read the phone again so it shows; else answer why it was refused."""
        phone = self.state.phones.get(address)
        if phone is None or phone.serial is None:
            return "the phone is no longer on the bench"
        try:
            imei = parse_imei(text)
        except ImeiError as exc:
            return str(exc)
        self.bench.set_imei(phone.serial, imei)
        if phone.present:
            self.bench.scan(address)
        return None

    def _refused(self, title: str, message: str) -> None:
        self._after_sign_in = None
        QMessageBox.warning(self, title, message)

    def set_operator(self, operator: Operator | None) -> None:
        """Who the window shows as signed in; the bench's own session (bench.sign_in) is what its records name."""
        self.operator = operator
        self.operator_label.setText(self.tr("Operator: {name} (badge {badge})").format(name=operator.name, badge=operator.badge)
                                    if operator else self.tr("Not signed in (Ctrl+L)"))
        self.operator_label.setStyleSheet("font-weight: bold; padding: 0 8px;" + ("" if operator else " color: #b35c00;"))
        self.actions_by_name["sign_in"].setText(self.tr("Switch operator…") if operator else self.tr("Sign in…"))
        self.actions_by_name["sign_out"].setEnabled(operator is not None)
        self.actions_by_name["backup"].setEnabled(operator is not None and operator.supervisor)
        if operator is None or not operator.supervisor:
            self.backup_bar.clear()

    def show_connected(self, watched: Watched) -> None:
        """What the station watches for phones (this PC's USB, the demo bench), once it is watching."""
        self._watched = watched
        text = watching_text(watched)
        self.connected.setText(text)
        self.connected.setToolTip(text)
        self.refresh_depot()  # the bench has started: say at once whether the depot answers

    def refresh_depot(self) -> None:
        """Ask the bench whether the depot answers and what waits for it; the answer comes as a signal."""
        emit_result(self.bench.depot_status(), self.signals.depot.emit)

    def show_depot(self, link: DepotLink | None) -> None:
        """The depot's line on the status bar: hidden when the station has joined none."""
        self._depot = link
        self.depot_label.setVisible(link is not None)
        if link is None:
            return
        text = depot_text(link)
        self.depot_label.setText(text)
        self.depot_label.setToolTip(link.error or text)
        self.depot_label.setStyleSheet("padding: 0 8px;" + ("" if link.connected else " color: #b35c00; font-weight: bold;"))

    def show_notice(self, notice: Notice) -> None:
        """Something about the station's connections the operator should know (usbmuxd missing, USB busy)."""
        self._notice = notice
        text = notice_text(notice)
        self.notice.setText(text)
        self.notice.setToolTip(text)

    def open_history(self) -> None:
        if self.history_dialog is None:
            self.history_dialog = HistoryDialog(self._search, self)
        self.history_dialog.show()
        self.history_dialog.raise_()
        self.history_dialog.activateWindow()
        self.history_dialog.term.setFocus()

    def open_settings(self) -> None:
        dialog = SettingsDialog(str(self.settings.value("policy", self.policy.path)),
                                str(self.settings.value("data_dir", self.data_dir)), self.report_language(), self,
                                remind_after_days=self.remind_after_days())
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.settings.setValue("policy", dialog.policy.text())
            self.settings.setValue("data_dir", dialog.data_dir.text())
            self.settings.setValue("report_language", str(dialog.report_language()))
            self.settings.setValue(REMIND_KEY, dialog.remind_after.value())
            self.check_backup()

    # ---- backups -------------------------------------------------------------------------

    def remind_after_days(self) -> int:
        """Settings: how many days without a backup before a supervisor is reminded."""
        return remind_after_days(self.settings.value(REMIND_KEY, REMIND_DEFAULT))

    def check_backup(self) -> None:
        """Ask the log (on the bench's thread) when it was last backed up; a supervisor signed in when the
        answer comes is reminded if it is due."""
        if self.operator is not None and self.operator.supervisor:
            emit_result(self.bench.read(backup_state), self.backup_bar.state_arrived.emit)

    def _show_backup_state(self, state: BackupState) -> None:
        if self.operator is None or not self.operator.supervisor:
            return
        if state.due(dt.datetime.now(dt.UTC), self.remind_after_days()):
            self.backup_bar.remind(state)
        else:
            self.backup_bar.clear()

    def back_up_log(self) -> None:
        """A supervisor chooses a folder; the backup (in a new folder inside it) is made where the log is
        kept, off the GUI thread."""
        if not self._signed_in(self.back_up_log):
            return
        if self.operator is None or not self.operator.supervisor:
            QMessageBox.warning(self, self.tr("Back up the log"), self.tr("Only a supervisor backs up the log."))
            return
        parent = QFileDialog.getExistingDirectory(self, self.tr("Back up the log into a new folder inside…"))
        if not parent:
            return

        emit_result(self.bench.read(partial(make_backup_in, Path(parent))),
                    lambda made: self.backup_bar.backed_up.emit(made[0].records, str(made[1])),
                    lambda message: self.signals.refused.emit(self.tr("Back up the log"), message))

    def _backed_up(self, records: int, folder: str) -> None:
        QMessageBox.information(self, self.tr("Back up the log"),
                                self.tr("The log is backed up: %n record(s), checked by the backup's manifest, in {folder}",
                                        "", records).format(folder=folder))
        self.check_backup()

    def report_language(self) -> ReportLanguage:
        """The printed checklist's language (Settings): both, side by side, unless a depot chose one."""
        chosen = str(self.settings.value("report_language", ReportLanguage.BOTH))
        return ReportLanguage(chosen) if chosen in set(ReportLanguage) else ReportLanguage.BOTH

    # ---- results from the bench ------------------------------------------------------------

    def on_event(self, event: events.Event) -> None:
        state = self.state.apply(event)
        if state is not None:
            self.on_state(state, event)

    def on_state(self, state: PhoneState, event: events.Event | None = None) -> None:
        """Show a phone's new state on its tile, the counts, and the detail panel when it is selected."""
        self.wall.show_state(state)
        self.summary.show_counts(self.state.phones.values())
        if isinstance(event, events.Arrived) and not self.wall.selected:
            self.wall.select([state.address])
        elif state.address in self.wall.selected:
            self._update_actions()
            if len(self.wall.selected) == 1:
                self.detail.show_state(state)
                if isinstance(event, _LOGGED) and state.serial:
                    self._request_history(state.serial)  # only when the log has news, not on every step

    def _request_history(self, serial: str) -> None:
        emit_result(self.bench.history(serial), lambda history: self.signals.history.emit(serial, history))

    def _search(self, term: str) -> None:
        if term:
            emit_result(self.bench.search(term), lambda history: self.signals.found.emit(term, history))

    def _found(self, term: str, history: History) -> None:
        if self.history_dialog is not None:
            self.history_dialog.show_results(term, history)

    # ---- window state ----------------------------------------------------------------------

    def _restore(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1500, 900)
        for key, restore in (("window/state", self.restoreState), ("window/splitter", self.splitter.restoreState)):
            value = self.settings.value(key)
            if isinstance(value, QByteArray):
                restore(value)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.sync()
        for dialog in (self.history_dialog, self.operators_dialog):
            if dialog is not None:
                dialog.close()
        super().closeEvent(event)
