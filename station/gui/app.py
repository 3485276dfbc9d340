"""`station` with no command: the desktop window, on this PC's phones or (`--demo`) on a simulated bench."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from station.core.checklist import load_workflow
from station.core.errors import StationError
from station.core.policy import default_policy_path, load_policy
from station.gui.language import Translations, system_language
from station.gui.main_window import MainWindow
from station.gui.signals import BenchSignals
from station.workbench.bench_process import BenchProcess
from station.workbench.datadir import resolve_data_dir
from station.workbench.depot_files import shared_policy, shared_workflow
from station.workbench.hub import watch_demo, watch_usb


def run(demo: bool = False, data_dir: Path | None = None, policy_path: Path | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("Depot Station")
    app.setApplicationName("station")
    settings = QSettings()
    Translations.of(app).switch(system_language())  # until an operator signs in with their own
    cannot_start = QCoreApplication.translate("App", "Depot Station cannot start")
    try:
        folder = resolve_data_dir(data_dir or settings.value("data_dir") or None)
        policy = load_policy(policy_path or settings.value("policy") or shared_policy(folder) or default_policy_path())
        workflows = {name: load_workflow(shared_workflow(folder, name) or default_policy_path().parent / "workflows" / f"{name}.toml")
                     for name in ("provision", "return")}
    except StationError as exc:
        QMessageBox.critical(None, cannot_start, str(exc))
        return 2
    signals = BenchSignals()
    # The phones are worked in a process of their own, so the window never waits on them (see bench_process).
    bench = BenchProcess(policy, folder, signals.event.emit, signals.notice.emit)
    # The window connects to the bench's signals before the bench starts, so no arrival is missed.
    window = MainWindow(bench, policy, signals, QCoreApplication.translate("App", "Starting…"), workflows, settings, str(folder))
    try:
        window.show_connected(bench.start(watch_demo if demo else watch_usb))
    except StationError as exc:
        QMessageBox.critical(None, cannot_start, str(exc))
        return 2
    window.show()
    try:
        return app.exec()
    finally:
        bench.close()
