"""Who works at the station: signing in, adding operators. The window and the command line both call these.

Each takes the log last, so the window can send ``functools.partial`` of one to its device process,
which runs it on the log it owns.
"""

from __future__ import annotations

from dataclasses import dataclass

from station.audit.operators import Operator, Operators, Role
from station.audit.store import Store
from station.core.language import Language


@dataclass(frozen=True)
class Credentials:
    """A person as they identify themselves at the bench: name or badge, and their PIN."""

    who: str
    pin: str


def everyone(store: Store) -> list[Operator]:
    return Operators(store).all()


def sign_in(credentials: Credentials, store: Store) -> Operator:
    """The operator, if the PIN is theirs (a wrong one is counted and recorded). A right PIN shorter than
    the rule raises PinChangeNeeded: change_pin first. On a station with no operators, says how to
    create the first supervisor."""
    return Operators(store).authenticate(credentials.who, credentials.pin)


def change_pin(credentials: Credentials, new_pin: str, store: Store) -> Operator:
    """Set the operator's new PIN (the rule's 6 to 12 digits) once their current one is given; recorded."""
    return Operators(store).change_pin(credentials.who, credentials.pin, new_pin)


def find(who: str, store: Store) -> Operator:
    """The operator called ``who`` (name or badge), without their PIN."""
    return Operators(store).find(who)


def sole_supervisor(store: Store) -> Operator | None:
    """The station's one supervisor, when it has exactly one (who need not then be named)."""
    supervisors = [operator for operator in Operators(store).all() if operator.supervisor]
    return supervisors[0] if len(supervisors) == 1 else None


def add_operator(name: str, badge: str, role: Role, pin: str, by: Credentials | None, store: Store,
                 language: Language = Language.EN) -> Operator:
    """Add an operator, once the supervisor adding them (``by``) has given their own PIN. On a new
    station nobody is asked: its first operator, who must be a supervisor, is added with ``by`` None."""
    operators = Operators(store)
    return operators.add(name, badge, role, pin, None if by is None else operators.authenticate(by.who, by.pin), language)


def change_language(who: str, language: Language, by: Credentials, store: Store) -> Operator:
    """Change ``who``'s language, once the supervisor changing it (``by``) has given their own PIN."""
    operators = Operators(store)
    return operators.set_language(who, language, operators.authenticate(by.who, by.pin))
