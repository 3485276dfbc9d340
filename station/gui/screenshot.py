"""`python -m station.gui.screenshot OUT.png`: the window on the demo bench, once every phone is scanned.

Run it under a virtual screen to see what a depot sees: `xvfb-run -a -s "-screen 0 1600x1000x24"
python -m station.gui.screenshot assets/screenshot.png`. It selects the first phone with banned apps,
so the detail panel shows findings, then grabs the window and saves it. With `--provision` it first
takes every phone through the provisioning checklist (the locked motorola through the returns one, which
sends it to recovery) and signs off the phones that passed, to show every outcome. With `--lang fr` its
operator's language is French, so the window is shown as a French-speaking operator sees it. With
`--depot DSN` its station joins that depot (as bench-2) first, so the status bar shows the depot's line.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

WAIT_LIMIT_S = 60
DEMO_PIN = "100100"
RECOVERY_DEMO = "HT7A21B00123"  # the demo's locked motorola, which refuses a wipe over USB
BUSY_WORDS = ("Connecting", "Scanning", "Removing", "Wiping")


def main(out: Path, provision: bool = False, language: str = "en", depot: str | None = None) -> int:  # noqa: PLR0915 - one scripted run, in the order it happens
    from functools import partial

    from station.audit.operators import Operator, Role
    from station.core.checklist import load_workflow
    from station.core.language import Language
    from station.core.policy import default_policy_path, load_policy
    from station.gui.main_window import MainWindow
    from station.gui.signals import BenchSignals
    from station.gui.state import TileStatus
    from station.workbench.bench_process import BenchProcess
    from station.workbench.datadir import resolve_data_dir
    from station.workbench.hub import watch_demo
    from station.workbench.staff import Credentials, add_operator

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as scratch:
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, scratch)
        policy = load_policy(default_policy_path())
        folder = resolve_data_dir(Path(scratch) / "data")
        workflows = {n: load_workflow(default_policy_path().parent / "workflows" / f"{n}.toml") for n in ("provision", "return")}
        if depot is not None:
            join(folder, depot)
        signals = BenchSignals()
        bench = BenchProcess(policy, folder, signals.event.emit, signals.notice.emit)
        settings = QSettings(scratch + "/station.ini", QSettings.Format.IniFormat)
        window = MainWindow(bench, policy, signals, "", workflows, settings, str(folder))
        window.show_connected(bench.start(watch_demo))
        window.resize(1600, 960)
        operator = Operator("Ana Tremblay", "1001", Role.SUPERVISOR, Language(language))
        bench.read(partial(add_operator, operator.name, operator.badge, Role.SUPERVISOR, DEMO_PIN, None,
                           language=operator.language)).result(10)
        bench.sign_in(Credentials(operator.badge, DEMO_PIN)).result(10)
        window.set_language(operator.language)  # as her sign-in does
        window.set_operator(operator)
        window.show()
        waited = {"ticks": 0}

        def settled() -> bool:
            phones = window.state.phones.values()
            return len(phones) >= 9 and all(p.status.word not in BUSY_WORDS and p.identity for p in phones)

        provisioned = {"started": False, "signed": False}

        def poll() -> None:
            waited["ticks"] += 1
            if provision and settled() and not provisioned["started"]:
                provisioned["started"] = True
                for address, phone in window.state.phones.items():
                    bench.run_workflow(address, workflows["return" if phone.serial == RECOVERY_DEMO else "provision"])
                QTimer.singleShot(1500, poll)
                return
            if provision and settled() and not provisioned["signed"]:
                provisioned["signed"] = True
                ready = {p.checklist_seq: a for a, p in window.state.phones.items() if p.ready and p.checklist_seq is not None}
                signed = bench.sign_off(list(ready), Credentials(operator.badge, DEMO_PIN)).result(10)
                for row, record in signed.items():
                    if isinstance(record, int):
                        window.state.sign_off(ready[row], row, record, operator.name)
                        window.on_state(window.state.phones[ready[row]])
            if settled() or waited["ticks"] > WAIT_LIMIT_S * 10:
                dirty = [a for a, p in window.state.phones.items() if p.status in (TileStatus.BANNED, TileStatus.NOT_READY)]
                window.wall.select(dirty[:1])
                QTimer.singleShot(700, finish)
            else:
                QTimer.singleShot(100, poll)

        def finish() -> None:
            window.grab().save(str(out))
            print(f"{out}: {len(window.state.phones)} phones on the wall")
            app.quit()

        QTimer.singleShot(100, poll)
        try:
            app.exec()
        finally:
            bench.close()
    return 0


def join(folder: Path, dsn: str) -> None:
    """Join the screenshot's scratch station to the depot at ``dsn``, as `station depot join DSN --name bench-2` does."""
    from station.audit.store import Store
    from station.workbench.depot_link import join_depot

    store = Store.open(folder)
    try:
        join_depot(folder, store, dsn, "bench-2")
    finally:
        store.close()


if __name__ == "__main__":
    chosen = sys.argv[sys.argv.index("--lang") + 1] if "--lang" in sys.argv else "en"
    dsn = sys.argv[sys.argv.index("--depot") + 1] if "--depot" in sys.argv else None
    raise SystemExit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshot.png"), "--provision" in sys.argv, chosen, dsn))
