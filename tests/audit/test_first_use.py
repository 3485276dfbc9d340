"""Several station processes starting at once on a new data folder (a script starting one command per
phone does exactly this): every one of them opens the log and records, and the log verifies."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from station.audit.store import Store
from station.audit.verify import verify_log

PROCESSES = 8
ROUNDS = 20

# Each process imports first, then waits for the same moment as the others to open the new log.
_STATION = """
import sys, time
from pathlib import Path
from station.audit.records import RecordKind
import pytest

from station.audit.store import Store
folder, go = Path(sys.argv[1]), Path(sys.argv[2])
while not go.exists():
    time.sleep(0.001)
store = Store.open(folder)
run = store.start_run("scan", None)
store.record(run, RecordKind.SCAN, address=sys.argv[3], platform="android", identity=None, data={})
store.close()
"""


@pytest.mark.slow
def test_processes_starting_at_once_on_a_new_data_folder_all_open_the_log(tmp_path: Path) -> None:
    for round_number in range(ROUNDS):
        folder = tmp_path / f"station-{round_number}"
        folder.mkdir(mode=0o700)
        go = tmp_path / f"go-{round_number}"
        started = [subprocess.Popen([sys.executable, "-c", _STATION, str(folder), str(go), f"process-{n}"],
                                    stderr=subprocess.PIPE, text=True) for n in range(PROCESSES)]
        time.sleep(0.3)  # long enough for the imports, so the opens really overlap
        go.touch()
        failures = []
        for process in started:
            _, err = process.communicate(timeout=60)
            if process.returncode != 0:
                failures.append(err.strip().splitlines()[-1] if err.strip() else f"exit {process.returncode}")
        assert not failures, f"round {round_number}: {failures}"
        store = Store.open(folder)
        try:
            verdict = verify_log(store)
            assert verdict.ok and verdict.count == PROCESSES, verdict
            assert store.db.table("keys").count == 1  # one station key, whichever process made it first
        finally:
            store.close()
