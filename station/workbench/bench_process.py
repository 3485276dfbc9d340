"""The bench in a process of its own, for the window.

A window and a busy bench in one process share Python's global lock: every Qt call the window makes
waits its turn behind the bench parsing 64 phones' replies, and tiles took tens of milliseconds to lay
out under a full hub. Here the bench (its thread, its loop, the log, and the phones' connections) runs
in a child process; the window keeps the same calls (BenchProcess answers as Bench does) and receives
the engine's events through a pipe. The child is started fresh (spawn), never forked from a process
that runs Qt, and ends its phones' work and closes the log when the window's process goes away, even
when it is killed.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from station.audit.history import History
from station.audit.operators import Operator, PinChangeNeeded
from station.audit.store import Store
from station.core import events
from station.core.checklist import Workflow
from station.core.errors import StationError
from station.core.notices import Notice, NoticeKind
from station.core.policy import Policy
from station.core.refusals import Refusal
from station.workbench.bench import Bench
from station.workbench.control import DepotLink
from station.workbench.hub import Notify, Plan, Watched, WatchKind
from station.workbench.sign_off import OverrideRequest
from station.workbench.staff import Credentials

T = TypeVar("T")
START_LIMIT_S = 60.0  # the child imports the device libraries and may start a demo bench
CLOSE_LIMIT_S = 20.0



class BenchProcess:
    """A BenchControl whose calls are carried out by a Bench in a child process. ``plan`` (see station.workbench.hub)
    says what to watch; it is called in the child. Events go to ``listener`` and notices to ``notice``,
    both called on a reader thread of this process."""

    def __init__(self, policy: Policy, data_dir: Path, listener: events.Listener, notice: Notify) -> None:
        self.policy = policy
        self.data_dir = data_dir
        self.listener = listener
        self.notice = notice
        context = multiprocessing.get_context("spawn")
        self._conn, self._child_end = context.Pipe()
        self._context = context
        self._process: multiprocessing.process.BaseProcess | None = None
        self._reader: threading.Thread | None = None
        self._send_lock = threading.Lock()
        self._answers: dict[int, Future[Any]] = {}
        self._next = 0
        self._started: Future[Watched] = Future()
        self._closing = False

    @property
    def pid(self) -> int:
        """The device process's id, once started (for measuring it)."""
        if self._process is None or self._process.pid is None:
            raise StationError("the station's device process has not started")
        return self._process.pid

    def start(self, plan: Plan) -> Watched:
        """Start the child and its watching; returns what is watched, for the status bar."""
        self._process = self._context.Process(target=_serve, args=(self._child_end, self.policy, self.data_dir, plan),
                                              name="station-bench", daemon=True)
        self._process.start()
        self._child_end.close()
        self._reader = threading.Thread(target=self._read, name="station-bench-events", daemon=True)
        self._reader.start()
        try:
            return self._started.result(START_LIMIT_S)
        except TimeoutError:
            self.close()
            raise StationError(f"the station's device process did not start within {START_LIMIT_S:g} s") from None

    def close(self) -> None:
        """Stop every phone's work (each records that it was interrupted), close the log, end the child."""
        if self._process is None or self._closing:
            return
        self._closing = True
        with contextlib.suppress(OSError, ValueError):
            self._send(("close",))
        self._process.join(CLOSE_LIMIT_S)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(5)
        self._conn.close()
        if self._reader is not None:
            self._reader.join(5)

    # ---- calls that return at once -------------------------------------------------------

    def scan(self, address: str) -> None:
        self._call("scan", address)

    def remove(self, address: str, expected_serial: str, app_ids: Iterable[str]) -> None:
        self._call("remove", address, expected_serial, frozenset(app_ids))

    def wipe(self, address: str, expected_serial: str) -> None:
        self._call("wipe", address, expected_serial)

    def run_workflow(self, address: str, workflow: Workflow) -> None:
        self._call("run_workflow", address, workflow)

    def cancel(self, address: str) -> None:
        self._call("cancel", address)

    def sign_in(self, credentials: Credentials) -> Future[Operator]:
        return self._ask("sign_in", credentials)

    def change_pin(self, credentials: Credentials, new_pin: str) -> Future[Operator]:
        return self._ask("change_pin", credentials, new_pin)

    def sign_out(self) -> None:
        self._call("sign_out")

    def return_wiping_locked(self, address: str, workflow: Workflow, request: OverrideRequest) -> Future[None]:
        return self._ask("return_wiping_locked", address, workflow, request)

    def set_imei(self, serial: str, imei: str) -> None:
        self._call("set_imei", serial, imei)

    # ---- questions answered later ----------------------------------------------------------

    def history(self, serial: str) -> Future[History]:
        return self._ask("history", serial)

    def search(self, term: str) -> Future[History]:
        return self._ask("search", term)

    def depot_status(self) -> Future[DepotLink | None]:
        return self._ask("depot_status")

    def read(self, reader: Callable[[Store], T]) -> Future[T]:
        """``reader`` runs on the log in the child, so it must be picklable: a module-level function,
        or functools.partial of one with plain arguments."""
        return self._ask("read", reader)

    def sign_off(self, checklists: list[int], signer: Credentials,
                 override: OverrideRequest | None = None) -> Future[dict[int, int | Refusal]]:
        return self._ask("sign_off", checklists, signer, override)

    # ---- the pipe ----------------------------------------------------------------------------

    def _send(self, message: tuple[Any, ...]) -> None:
        with self._send_lock:
            self._conn.send(message)

    def _call(self, name: str, *args: Any) -> None:
        if self._closing:
            return
        try:
            self._send(("call", name, args))
        except (OSError, ValueError):
            self.notice(Notice(NoticeKind.DEVICE_PROCESS_STOPPED))

    def _ask(self, name: str, *args: Any) -> Future[Any]:
        answer: Future[Any] = Future()
        if self._closing:
            answer.set_exception(StationError("the station is closing"))
            return answer
        with self._send_lock:
            self._next += 1
            ident = self._next
            self._answers[ident] = answer
            try:
                self._conn.send(("ask", ident, name, args))
            except (OSError, ValueError) as exc:
                del self._answers[ident]
                answer.set_exception(StationError(f"the station's device process has stopped ({exc})"))
            except BaseException:  # a question that cannot be sent at all (not picklable): the caller's bug
                del self._answers[ident]
                raise
        return answer

    def _read(self) -> None:
        """Everything the child says, in order, until its end of the pipe closes."""
        try:
            while True:
                message = self._conn.recv()
                kind = message[0]
                if kind == "event":
                    self.listener(message[1])
                elif kind == "notice":
                    self.notice(message[1])
                elif kind == "answer":
                    self._answered(*message[1:])
                elif kind == "started":
                    self._started.set_result(message[1])
                elif kind == "failed":
                    self._started.set_exception(StationError(message[1]))
        except (EOFError, OSError):
            pass
        finally:
            if not self._started.done():
                self._started.set_exception(StationError("the station's device process ended before it started"))
            with self._send_lock:
                pending, self._answers = self._answers, {}
            for answer in pending.values():
                answer.set_exception(StationError("the station's device process has stopped"))
            if not self._closing:
                self.notice(Notice(NoticeKind.DEVICE_PROCESS_STOPPED))

    def _answered(self, ident: int, ok: bool, value: Any) -> None:
        with self._send_lock:
            answer = self._answers.pop(ident, None)
        if answer is None:
            return
        if ok:
            answer.set_result(value)
        elif isinstance(value, PinChangeNeeded):
            answer.set_exception(value)
        else:
            station_error, text = value
            answer.set_exception(StationError(text) if station_error else RuntimeError(text))


def _serve(conn: Connection, policy: Policy, data_dir: Path, plan: Plan) -> None:
    """The child: a Bench doing what the pipe asks, until the pipe says close or the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C at the terminal is the window's to handle
    lock = threading.Lock()

    def send(message: tuple[Any, ...]) -> None:
        with lock, contextlib.suppress(OSError, ValueError):
            conn.send(message)

    def answer(ident: int, done: Future[Any]) -> None:
        error = done.exception()
        if error is None:
            send(("answer", ident, True, done.result()))
        elif isinstance(error, PinChangeNeeded):  # the window asks for a new PIN: it needs the kind, not only the words
            send(("answer", ident, False, error))
        else:
            send(("answer", ident, False, (isinstance(error, StationError), str(error))))

    bench = Bench(policy, data_dir, lambda event: send(("event", event)))
    with contextlib.ExitStack() as stack:
        try:
            watchers, watching = plan(data_dir, lambda notice: send(("notice", notice)), stack)
            bench.simulated = watching.kind is WatchKind.DEMO  # only the demo's phones are served inside the station
            bench.start(watchers)
        except Exception as exc:  # noqa: BLE001 - whatever stops the start is the operator's message
            send(("failed", f"the station could not start watching for phones: {exc}"))
            return
        send(("started", watching))
        try:
            while True:
                message = conn.recv()
                if message[0] == "close":
                    break
                if message[0] == "call":
                    _, name, args = message
                    getattr(bench, name)(*args)
                else:
                    _, ident, name, args = message
                    try:
                        future = getattr(bench, name)(*args)
                    except Exception as exc:  # noqa: BLE001 - answered, not raised, so the child goes on
                        failed: Future[Any] = Future()
                        failed.set_exception(exc)
                        future = failed
                    future.add_done_callback(lambda done, ident=ident: answer(ident, done))
        except (EOFError, OSError):
            pass  # the window's process is gone
        finally:
            bench.close()
