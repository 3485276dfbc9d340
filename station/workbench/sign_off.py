"""Signing off checklists and retiring phones: who may, checked by PIN, then recorded in the log.

One home for the rule both the window and the command line follow: the signer's PIN (and, for an
override, the supervisor's) is checked before anything is signed; each checklist that passed is signed
off; one that did not is signed off only under the override, and refused otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from station.audit.operators import Operator, OperatorError
from station.audit.signoff import MIN_REASON, Override, retire, sign_off
from station.audit.store import Store
from station.core.refusals import Refusal, RefusalKind
from station.workbench.staff import Credentials, sign_in


@dataclass(frozen=True)
class OverrideRequest:
    """A supervisor's approval of signing off checklists that did not pass, with the written reason."""

    reason: str
    supervisor: Credentials


@dataclass(frozen=True)
class Signers:
    """The people a sign-off names, their PINs checked."""

    operator: Operator
    override: Override | None = None


def check_signers(signer: Credentials, override: OverrideRequest | None, store: Store) -> Signers:
    """Check the signer's PIN and, for an override, the supervisor's; fails with OperatorError, naming
    whose PIN was refused, before anything is signed."""
    return signers_for(sign_in(signer, store), override, store)


def signers_for(operator: Operator, override: OverrideRequest | None, store: Store) -> Signers:
    """The signers, for an operator whose PIN was already checked in this session, and for an override
    the supervisor, whose PIN is checked here."""
    if override is None:
        return Signers(operator)
    return Signers(operator, Override(override.reason, sign_in(override.supervisor, store)))


def check_wipe_override(request: OverrideRequest, operator: Operator | None, store: Store) -> Override:
    """A supervisor's approval of wiping returned phones still tied to their users' accounts (which a
    reset then locks): their PIN checked, a supervisor other than ``operator`` (the operator at the bench,
    whose PIN was checked), with a written reason. Fails with OperatorError before any phone is touched."""
    if operator is None:
        raise OperatorError(Refusal(RefusalKind.LOCKED_WIPE_NEEDS_SIGN_IN))
    if len(request.reason.strip()) < MIN_REASON:
        raise OperatorError(Refusal(RefusalKind.LOCKED_WIPE_REASON_SHORT, count=MIN_REASON))
    supervisor = sign_in(request.supervisor, store)
    if not supervisor.supervisor:
        raise OperatorError(Refusal(RefusalKind.LOCKED_WIPE_NOT_SUPERVISOR, str(supervisor)))
    if operator.badge == supervisor.badge:
        raise OperatorError(Refusal(RefusalKind.LOCKED_WIPE_SAME_PERSON))
    return Override(request.reason.strip(), supervisor)


def sign_off_checklists(run_id: str, checklists: list[int], signers: Signers, store: Store) -> dict[int, int | Refusal]:
    """Sign off the checklists numbered in ``checklists``; answers each with its sign-off's record
    number, or why it was refused (it did not pass and no override covers it, or the override is not valid)."""
    signed: dict[int, int | Refusal] = {}
    for seq in checklists:
        try:
            signed[seq] = sign_off(store, run_id, seq, signers.operator, signers.override)
        except OperatorError as refused:
            signed[seq] = refused.refusal
    return signed


def retire_phone(serial: str, reason: str, operator: Credentials, store: Store) -> int:
    """Take a phone out of service for good; returns the record's number."""
    who = sign_in(operator, store)
    run_id = store.start_run("retire", None)
    seq = retire(store, run_id, serial, who, reason)
    store.finish_run(run_id, "retired")
    return seq
