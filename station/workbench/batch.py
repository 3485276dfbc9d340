"""A command's work on the phones it was given, as one session of the log: what `station scan`,
`remove`, `provision` and `return` run, on an asyncio loop of their own, from start to end."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from station.audit.operators import Operator
from station.audit.signoff import Override
from station.audit.store import Store
from station.core import events
from station.core.checklist import Workflow
from station.core.phone import PhoneTarget
from station.core.policy import Policy
from station.workbench.engine import Engine, PhoneReport
from station.workbench.sign_off import Signers, sign_off_checklists


class Batch:
    def __init__(self, store: Store, command: str, policy: Policy, listener: events.Listener, operator: Operator | None = None,
                 *, simulated: bool = False) -> None:
        """``operator``: whose PIN the command checked (None: nobody's); ``simulated``: the phones are
        simulated inside the station, and every record says so."""
        self.store = store
        self.run_id = store.start_run(command, policy)
        self.engine = Engine(policy, store, self.run_id, listener)
        self.engine.operator = operator
        self.engine.simulated = simulated

    def scan(self, targets: Iterable[PhoneTarget]) -> list[PhoneReport]:
        return asyncio.run(self.engine.scan_all(targets))

    def remove(self, plan: Iterable[tuple[PhoneTarget, str | None, Iterable[str] | None]]) -> list[PhoneReport]:
        """Remove from each phone the apps confirmed for it, bound to the serial it was confirmed as."""
        return asyncio.run(self.engine.remove_all(plan))

    def run_checklists(self, targets: Iterable[PhoneTarget], workflow: Workflow,
                       wipe_override: Override | None = None) -> list[PhoneReport]:
        """Every phone through ``workflow``; ``wipe_override`` lets its wipe go ahead on phones still tied to their users' accounts."""

        async def run_all() -> list[PhoneReport]:
            return self.engine.mark_twins(list(await asyncio.gather(
                *(self.engine.run_workflow(target, workflow, wipe_override=wipe_override) for target in targets))))

        return asyncio.run(run_all())

    def sign_off(self, reports: list[PhoneReport], signers: Signers) -> list[str]:
        """Sign off every phone whose checklist passed and, under ``signers.override``, the others too;
        notes each sign-off's number in its report, and answers why each refused one was refused."""
        by_seq = {report.checklist_seq: report for report in reports if report.checklist_seq is not None}
        refused = []
        for seq, result in sign_off_checklists(self.run_id, list(by_seq), signers, self.store).items():
            if isinstance(result, int):
                by_seq[seq].signed_off = result
            else:
                refused.append(str(result))
        return refused

    def finish(self, outcome: str) -> None:
        self.store.finish_run(self.run_id, outcome)
