"""What the window asks of a bench, whichever process the bench's phones are worked in.

Bench works them on a thread of the caller's process, BenchProcess in a child process; the window is
typed against this Protocol alone. Every method returns at once: a call that changes something only
schedules it (its outcome arrives as events), and a question is answered through a Future.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Protocol, TypeVar

from station.audit.history import History
from station.audit.operators import Operator
from station.audit.store import Store
from station.core.checklist import Workflow
from station.core.refusals import Refusal
from station.workbench.sign_off import OverrideRequest
from station.workbench.staff import Credentials

T = TypeVar("T")


@dataclass(frozen=True)
class DepotLink:
    """The station's link to its depot as the status bar shows it (the window words it)."""

    name: str  # this station's name in the depot
    server: str  # host:port/dbname
    connected: bool  # the depot answered just now
    pending: int  # records in the local log not yet in the depot
    error: str | None  # why it did not answer


class BenchControl(Protocol):
    def scan(self, address: str) -> None:
        """Read the phone afresh and match it against the policy."""

    def remove(self, address: str, expected_serial: str, app_ids: Iterable[str]) -> None:
        """Remove the confirmed apps from the phone, if it is still ``expected_serial``, then verify."""

    def wipe(self, address: str, expected_serial: str) -> None:
        """Factory-reset the phone, if it is still ``expected_serial``."""

    def run_workflow(self, address: str, workflow: Workflow) -> None:
        """Take the phone through a checklist."""

    def return_wiping_locked(self, address: str, workflow: Workflow, request: OverrideRequest) -> Future[None]:
        """Take a phone a reset would lock through the returns checklist, its wipe under a supervisor's
        override; the Future fails (OperatorError, nothing done) when the override is refused, and is
        done once the checklist started (its outcome arrives as events)."""

    def cancel(self, address: str) -> None:
        """Stop what the phone is doing (recorded as interrupted)."""

    def sign_in(self, credentials: Credentials) -> Future[Operator]:
        """Check the operator's PIN where the log is written; they are then recorded with every step
        until sign_out, and only then may a real phone be changed. The Future fails with OperatorError
        (PinChangeNeeded for a right PIN shorter than the rule), signing nobody in."""

    def change_pin(self, credentials: Credentials, new_pin: str) -> Future[Operator]:
        """Set the operator's new PIN with their current one (recorded), then sign them in."""

    def sign_out(self) -> None:
        """Nobody is signed in from now on: real phones are not changed until someone signs in."""

    def set_imei(self, serial: str, imei: str) -> None:
        """The IMEI the operator typed for a phone that does not report it (already checked), recorded
        with the phone's identity from its next reading on."""

    def history(self, serial: str) -> Future[History]:
        """A phone's records from every station of the depot, oldest first (station.workbench.depot_link.history)."""

    def search(self, term: str) -> Future[History]:
        """Records whose serial or identity contains ``term``, and the depot's records of the phones they
        name, oldest first (station.workbench.depot_link.search)."""

    def depot_status(self) -> Future[DepotLink | None]:
        """Whether the depot answers now and how many records wait for it; None when the station has
        joined no depot."""

    def read(self, reader: Callable[[Store], T]) -> Future[T]:
        """Run ``reader`` on the log where the bench keeps it. For a BenchProcess it must be picklable:
        a module-level function, or functools.partial of one with plain arguments."""

    def sign_off(self, checklists: list[int], signer: Credentials,
                 override: OverrideRequest | None = None) -> Future[dict[int, int | Refusal]]:
        """Sign off the checklists numbered in ``checklists``; see station.workbench.sign_off."""

    def close(self) -> None:
        """Stop every phone's work (each records that it was interrupted) and close the log."""
