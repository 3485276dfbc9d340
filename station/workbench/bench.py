"""The station at work on a bench: one background thread, one long-lived asyncio loop, a task per phone.

The GUI (or any caller) talks to the bench from its own thread through methods that only schedule work
and return at once, so it never waits on a phone. pymobiledevice3's connections belong to the loop that
made them, which is why all device work shares this one loop. The listener is called on the bench's
thread; a GUI hands each event over to its own thread.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Coroutine, Iterable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

from station.audit.history import History, HistoryEntry, own_entries, search_terms
from station.audit.operators import Operator
from station.audit.records import Record
from station.audit.store import Store
from station.core import events
from station.core.checklist import Workflow
from station.core.errors import StationError
from station.core.phone import PhoneTarget, PhoneWatcher
from station.core.policy import Policy
from station.core.refusals import Refusal
from station.depot.config import DepotConfig, load_config
from station.workbench.control import DepotLink
from station.workbench.engine import Engine
from station.workbench.sign_off import OverrideRequest, check_signers, check_wipe_override, sign_off_checklists
from station.workbench.staff import Credentials, change_pin, sign_in

NOT_SIGNED_IN = "nothing done: an operator must sign in with their PIN first (Ctrl+L)"

T = TypeVar("T")
_CALL_TIMEOUT_S = 10.0


class Bench:
    """A BenchControl whose phones are worked on a thread of this process."""

    def __init__(self, policy: Policy, data_dir: Path | None, listener: events.Listener, *, simulated: bool = False) -> None:
        """``data_dir`` None keeps the log in memory (tests, throw-away demos). ``simulated``: every phone
        is simulated inside the station (the demo bench): changing one needs nobody signed in, and every
        record says it is simulated."""
        self.policy = policy
        self.simulated = simulated
        self.data_dir = data_dir
        self.listener = listener
        self.targets: dict[str, PhoneTarget] = {}
        self._jobs: dict[str, asyncio.Task[Any]] = {}  # each phone's latest job
        self._running: set[asyncio.Task[Any]] = set()  # every job not yet finished
        self._watchers: list[asyncio.Task[None]] = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="station-bench", daemon=True)
        self._engine: Engine | None = None
        self._store: Store | None = None
        self._closing = False

    def start(self, watchers: Iterable[PhoneWatcher] = ()) -> None:
        self._thread.start()
        self._call(self._open(list(watchers)))

    def close(self) -> None:
        """Cancel every job and watcher (each records that it was interrupted), then stop."""
        if not self._thread.is_alive():
            return
        self._closing = True
        try:
            self._call(self._shutdown())
        except TimeoutError:
            logging.getLogger(__name__).warning("some phones did not finish within %g s of closing; stopped anyway", _CALL_TIMEOUT_S)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(_CALL_TIMEOUT_S)
            self._loop.close()

    def _call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(_CALL_TIMEOUT_S)

    def submit(self, coroutine: Coroutine[Any, Any, T]) -> Future[T]:
        """Run ``coroutine`` on the bench's loop; returns at once. Once the bench is closing, the future
        fails at once instead (a window may still ask for something while it closes)."""
        if self._closing:
            coroutine.close()
            refused: Future[T] = Future()
            refused.set_exception(StationError("the station is closing"))
            return refused
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    def scan(self, address: str) -> None:
        self._loop.call_soon_threadsafe(self._start_job, address, lambda e, t: e.scan(t))

    def remove(self, address: str, expected_serial: str, app_ids: Iterable[str]) -> None:
        confirmed = frozenset(app_ids)
        self._loop.call_soon_threadsafe(self._start_change, address, lambda e, t: e.remove(t, expected_serial, confirmed))

    def run_workflow(self, address: str, workflow: Workflow) -> None:
        self._loop.call_soon_threadsafe(self._start_change, address, lambda e, t: e.run_workflow(t, workflow))

    def sign_in(self, credentials: Credentials) -> Future[Operator]:
        """Check the PIN here, where the log is written; the operator is then recorded with every step
        until sign_out (this session is the window's token: the window cannot name an operator whose
        PIN the bench did not check). Fails as staff.sign_in does, signing nobody in."""
        return self._as_session(lambda store: sign_in(credentials, store))

    def change_pin(self, credentials: Credentials, new_pin: str) -> Future[Operator]:
        """Set the operator's new PIN with their current one, then sign them in."""
        return self._as_session(lambda store: change_pin(credentials, new_pin, store))

    def sign_out(self) -> None:
        def apply() -> None:
            if self._engine is not None:
                self._engine.operator = None

        self._loop.call_soon_threadsafe(apply)

    def _as_session(self, check: Callable[[Store], Operator]) -> Future[Operator]:
        async def signed_in() -> Operator:
            if self._store is None or self._engine is None:
                raise StationError("the station's log is not open")
            self._engine.operator = None  # a refused sign-in leaves nobody signed in, not the one before
            self._engine.operator = operator = check(self._store)
            return operator

        return self.submit(signed_in())

    def return_wiping_locked(self, address: str, workflow: Workflow, request: OverrideRequest) -> Future[None]:
        async def start() -> None:
            if self._store is None or self._engine is None:
                raise StationError("the station's log is not open")
            override = check_wipe_override(request, self._engine.operator, self._store)
            self._start_change(address, lambda e, t: e.run_workflow(t, workflow, wipe_override=override))

        return self.submit(start())

    def set_imei(self, serial: str, imei: str) -> None:
        def apply() -> None:
            if self._engine is not None:
                self._engine.typed_imeis[serial] = imei

        self._loop.call_soon_threadsafe(apply)

    def wipe(self, address: str, expected_serial: str) -> None:
        self._loop.call_soon_threadsafe(self._start_change, address, lambda e, t: e.wipe(t, expected_serial))

    def cancel(self, address: str) -> None:
        def cancel_job() -> None:
            job = self._jobs.get(address)
            if job is not None:
                job.cancel()

        self._loop.call_soon_threadsafe(cancel_job)

    def busy(self, address: str) -> bool:
        return address in self._jobs

    async def _open(self, watchers: list[PhoneWatcher]) -> None:
        self._store = Store.open(self.data_dir) if self.data_dir is not None else Store.in_memory()
        run_id = self._store.start_run("bench", self.policy)
        self._engine = Engine(self.policy, self._store, run_id, self.listener)
        self._engine.simulated = self.simulated
        if self.data_dir is not None and load_config(self.data_dir) is not None:
            from station.workbench.depot_link import push_periodically  # psycopg loads only for a joined station

            # Cancelled with the watchers on closing; each push runs on a worker thread with its own timeouts.
            self._watchers.append(asyncio.create_task(push_periodically(self.data_dir)))
        for watcher in watchers:
            self._watchers.append(asyncio.create_task(watcher.watch(self._arrived, self._left)))

    def _arrived(self, target: PhoneTarget) -> None:
        """A phone plugged in is scanned, unless it is a wiped phone coming back to the checklist that
        waits for it: that checklist reads it afresh itself, and its outcome stays on the tile."""
        self.targets[target.address] = target
        self.listener(events.Arrived(target.address, target.platform))
        if self._engine is None or target.address not in self._engine.awaiting_return:
            self._start_job(target.address, lambda e, t: e.scan(t))

    def _left(self, address: str) -> None:
        self.targets.pop(address, None)
        if self._engine is not None:
            self._engine.forget(address)
        self.listener(events.Left(address))

    def _start_change(self, address: str, job: Callable[[Engine, PhoneTarget], Coroutine[Any, Any, Any]]) -> None:
        """A job that changes a phone: only for an operator signed in here, or on simulated phones. The
        window asks for a sign-in first; this holds whoever calls."""
        target = self.targets.get(address)
        if self._engine is not None and self._engine.operator is None and not self.simulated:
            if target is not None:
                self.listener(events.Failed(address, target.platform, NOT_SIGNED_IN, None, "OperatorError"))
            return
        self._start_job(address, job)

    def _start_job(self, address: str, job: Callable[[Engine, PhoneTarget], Coroutine[Any, Any, Any]]) -> None:
        """Run ``job`` on the phone after whatever it is already doing (one job at a time per phone)."""
        target = self.targets.get(address)
        engine = self._engine
        if target is None or engine is None:
            return
        previous = self._jobs.get(address)

        async def after_previous() -> Any:
            if previous is not None:
                await asyncio.wait([previous])
            return await job(engine, target)

        task = asyncio.create_task(after_previous())
        self._jobs[address] = task
        self._running.add(task)

        def done(finished: asyncio.Task[Any]) -> None:
            self._running.discard(finished)
            if self._jobs.get(address) is finished:
                del self._jobs[address]

        task.add_done_callback(done)

    async def _shutdown(self) -> None:
        tasks = [*self._running, *self._watchers]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._store is not None:
            self._store.finish_run(self._engine.run_id if self._engine else "", "closed")
            self._store.close()

    def history(self, serial: str) -> Future[History]:
        return self._history(lambda store: store.history(serial), lambda _own: [serial])

    def search(self, term: str) -> Future[History]:
        return self._history(lambda store: store.search(term), lambda own: search_terms(term, own))

    def _history(self, local: Callable[[Store], list[Record]], terms: Callable[[list[HistoryEntry]], list[str]]) -> Future[History]:
        """This log's records (read on the bench's thread, which owns it), then, for a joined station, the
        other stations' from the depot on a worker thread: a slow server holds up no phone."""

        async def read() -> History:
            self._track()
            store = self._open_store()
            config = self._depot()
            own = own_entries(local(store), config.name if config else None)
            if config is None:
                return History(own, None)
            from station.depot.connection import BACKGROUND  # psycopg loads only for a joined station
            from station.workbench.depot_link import with_depot

            return await asyncio.to_thread(with_depot, config, store.station_id, own, terms(own), BACKGROUND)

        return self.submit(read())

    def depot_status(self) -> Future[DepotLink | None]:
        async def ask() -> DepotLink | None:
            self._track()
            store = self._open_store()
            config = self._depot()
            if config is None:
                return None
            from station.depot.connection import server_label  # psycopg loads only for a joined station
            from station.workbench.depot_link import reachable

            error = await asyncio.to_thread(reachable, config)
            # Counted after the server answered: a push meanwhile has sent what it could.
            pending = store.count_after(min(store.pushed_seq(), store.last_seq()))
            return DepotLink(config.name, server_label(config.dsn), error is None, pending, error)

        return self.submit(ask())

    def _depot(self) -> DepotConfig | None:
        """The depot this station has joined, read afresh: `station depot join` may run while the window is open."""
        return load_config(self.data_dir) if self.data_dir is not None else None

    def _track(self) -> None:
        """Count the running question as a job: one that waits on the server when the bench closes is
        cancelled with the phones' jobs, before the log closes under it."""
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
            task.add_done_callback(self._running.discard)

    def _open_store(self) -> Store:
        if self._store is None:
            raise StationError("the station's log is not open")
        return self._store

    def read(self, reader: Callable[[Store], T]) -> Future[T]:
        """Run ``reader`` on the log, on the bench's thread (which owns the database)."""

        async def read() -> T:
            if self._store is None:
                raise StationError("the station's log is not open")
            return reader(self._store)

        return self.submit(read())

    def sign_off(self, checklists: list[int], signer: Credentials,
                 override: OverrideRequest | None = None) -> Future[dict[int, int | Refusal]]:
        """Signed as this bench's session; fails with OperatorError, signing nothing, when a PIN is refused."""

        async def sign() -> dict[int, int | Refusal]:
            if self._store is None or self._engine is None:
                raise StationError("the station's log is not open")
            return sign_off_checklists(self._engine.run_id, checklists, check_signers(signer, override, self._store), self._store)

        return self.submit(sign())
