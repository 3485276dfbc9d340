"""The bench in its own process, as the window uses it: events through the pipe, questions answered,
and the window told plainly when the device process is gone."""

from __future__ import annotations

import os
import queue
import signal
import time
from functools import partial
from pathlib import Path

import pytest

from station.audit.operators import Role
from station.core import events
from station.core.errors import StationError
from station.core.notices import Notice, NoticeKind
from station.core.phone import Timeouts
from station.core.policy import default_policy_path, load_policy
from station.sim.server import FleetServer
from station.workbench.bench import NOT_SIGNED_IN
from station.workbench.bench_process import BenchProcess
from station.workbench.datadir import resolve_data_dir
from station.workbench.hub import Watched, WatchKind, watch_addresses
from station.workbench.staff import Credentials, add_operator, everyone
from tests.workbench.test_bench import FAST, wait_for


def open_bench(served: FleetServer, tmp_path: Path) -> tuple[BenchProcess, queue.Queue[events.Event], list[Notice]]:
    inbox: queue.Queue[events.Event] = queue.Queue()
    notices: list[Notice] = []
    bench = BenchProcess(load_policy(default_policy_path()), resolve_data_dir(tmp_path / "data"), inbox.put, notices.append)
    android = [e.address for e in served.endpoints if e.platform == "android"]
    watching = bench.start(partial(watch_addresses, android, None, FAST, 0.1))
    assert watching == Watched(WatchKind.ADDRESSES, android=len(android))
    return bench, inbox, notices


def test_events_arrive_and_the_log_answers_through_the_pipe(served: FleetServer, tmp_path: Path) -> None:
    bench, inbox, _notices = open_bench(served, tmp_path)
    try:
        address = next(e.address for e in served.endpoints if e.serial == "R58N12ABCDE")
        scanned = wait_for(inbox, events.Scanned, address, timeout=15)
        assert isinstance(scanned, events.Scanned) and "com.tencent.mm" in {f.app_id for f in scanned.findings}
        # A real phone (as far as the station knows) is changed only for an operator the bench signed in.
        bench.remove(address, "R58N12ABCDE", {"com.tencent.mm"})
        refused = wait_for(inbox, events.Failed, address, timeout=15)
        assert isinstance(refused, events.Failed) and refused.message == NOT_SIGNED_IN
        assert "com.tencent.mm" in served.phone("R58N12ABCDE").packages

        bench.read(partial(add_operator, "Ana Tremblay", "1001", Role.SUPERVISOR, "432100", None)).result(10)
        assert [o.name for o in bench.read(everyone).result(10)] == ["Ana Tremblay"]
        with pytest.raises(StationError, match="wrong PIN for Ana Tremblay"):
            bench.sign_in(Credentials("1001", "000000")).result(10)
        assert bench.sign_in(Credentials("1001", "432100")).result(10).name == "Ana Tremblay"
        bench.remove(address, "R58N12ABCDE", {"com.tencent.mm"})
        removed = wait_for(inbox, events.Removed, address, timeout=15)
        assert isinstance(removed, events.Removed) and removed.attempts and all(a.ok for a in removed.attempts)
        assert "com.tencent.mm" not in served.phone("R58N12ABCDE").packages
        started = [e for e in bench.history("R58N12ABCDE").result(10).entries if e.kind == "removal_started"]
        assert [e.operator for e in started] == ["Ana Tremblay (badge 1001, supervisor)"]
        kinds = [e.kind for e in bench.history("R58N12ABCDE").result(10).entries]
        assert kinds.index("removal_started") < kinds.index("removal_result")
    finally:
        bench.close()


def test_a_device_process_that_dies_is_said_and_questions_fail_instead_of_waiting(served: FleetServer, tmp_path: Path) -> None:
    bench, _inbox, notices = open_bench(served, tmp_path)
    try:
        os.kill(bench.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while not notices and time.monotonic() < deadline:
            time.sleep(0.05)
        assert notices == [Notice(NoticeKind.DEVICE_PROCESS_STOPPED)]
        assert str(notices[0]) == "the station's device process has stopped: close the station and start it again"
        with pytest.raises(StationError, match="has stopped"):
            bench.history("R58N12ABCDE").result(5)
    finally:
        bench.close()


def test_a_plan_that_cannot_start_is_a_clear_error(tmp_path: Path) -> None:
    bench = BenchProcess(load_policy(default_policy_path()), resolve_data_dir(tmp_path / "data"), lambda _e: None, lambda _n: None)
    with pytest.raises(StationError, match="could not start watching for phones: --adb 'nowhere'"):
        bench.start(partial(watch_addresses, ["nowhere"], None, Timeouts(), 0.1))
    bench.close()


WINDOW = """
import sys, time
from functools import partial
from pathlib import Path
from station.workbench.bench_process import BenchProcess
from station.core.policy import default_policy_path, load_policy
from station.workbench.hub import watch_addresses
from station.core.phone import Timeouts

if __name__ == "__main__":
    bench = BenchProcess(load_policy(default_policy_path()), Path(sys.argv[1]), lambda _e: None, lambda _n: None)
    bench.start(partial(watch_addresses, [], None, Timeouts(), 0.1))
    print(bench.pid, flush=True)
    time.sleep(60)
"""


def test_the_device_process_ends_when_the_windows_process_is_killed(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = tmp_path / "window.py"
    script.write_text(WINDOW, encoding="utf-8")
    window = subprocess.Popen([sys.executable, str(script), str(resolve_data_dir(tmp_path / "data"))],
                              stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2])
    assert window.stdout is not None
    device = int(window.stdout.readline())
    window.kill()
    window.wait(10)
    window.stdout.close()
    deadline = time.monotonic() + 15
    while Path(f"/proc/{device}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(f"/proc/{device}").exists() or "Z" in Path(f"/proc/{device}/stat").read_text().split()[2]
