"""The PIN rules: 6 to 12 digits for a new PIN, a shorter old one changed before anything else, and
hashes that carry their scrypt parameters, so old ones still verify and are made again at today's cost."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.audit import operators as operators_module
from station.audit.operators import (
    LEGACY_PIN_COST,
    SHIPPED_PIN_COST,
    OperatorError,
    Operators,
    PinChangeNeeded,
    Role,
    ScryptCost,
    SharedOperator,
    hash_cost,
    hash_pin,
    pin_matches,
)
from station.audit.records import RecordKind
from station.audit.store import Store
from station.audit.verify import verify_log


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path)
    yield opened
    opened.close()


def legacy_hash(pin: str) -> str:
    """A hash as stations kept them before the parameters were stored with it: ``scrypt$salt$digest``."""
    _scheme, _n, _r, _p, salt, digest = hash_pin(pin, b"fixed-salt-16byt", LEGACY_PIN_COST).split("$")
    return f"scrypt${salt}${digest}"


def test_the_shipped_cost_is_the_one_measured_and_the_station_uses_it() -> None:
    # bench/pin_bench.py: about 100 ms a hash on this project's machine (README, "Security").
    assert (SHIPPED_PIN_COST.n, SHIPPED_PIN_COST.r, SHIPPED_PIN_COST.p) == (2**15, 8, 1)
    # Tests hash cheaply (tests/conftest.py); a station started afresh hashes at the shipped cost.
    shown = subprocess.run([sys.executable, "-c", "from station.audit import operators; print(operators.PIN_COST)"],
                           capture_output=True, text=True, check=True).stdout.strip()
    assert shown == repr(SHIPPED_PIN_COST)
    assert operators_module.PIN_COST != SHIPPED_PIN_COST  # the cheap test cost is in force here


def test_a_hash_carries_its_parameters_and_old_hashes_still_verify() -> None:
    made = hash_pin("246813")
    scheme, n, r, p, _salt, _digest = made.split("$")
    assert (scheme, ScryptCost(int(n), int(r), int(p))) == ("scrypt", operators_module.PIN_COST)
    assert pin_matches("246813", made) and not pin_matches("246814", made)
    shipped = hash_pin("246813", cost=SHIPPED_PIN_COST)
    assert shipped.startswith("scrypt$32768$8$1$") and pin_matches("246813", shipped)
    old = legacy_hash("4321")
    assert hash_cost(old) == LEGACY_PIN_COST and pin_matches("4321", old) and not pin_matches("4322", old)
    for broken in ("", "scrypt$", "scrypt$1$2$3$x$y", "bcrypt$abc$def", "scrypt$0$8$1$AAAA$AAAA"):
        assert not pin_matches("4321", broken)


def test_an_old_hash_is_made_again_at_todays_cost_at_the_next_right_pin(store: Store) -> None:
    operators = Operators(store)
    operators.add("Ana Tremblay", "1001", Role.SUPERVISOR, "246813", None)
    old_six_digits = legacy_hash("246813")
    store.db.table("operators").update("1001", {"pin_hash": old_six_digits})
    operators.authenticate("1001", "246813")
    upgraded = store.db.table("operators").get("1001")["pin_hash"]
    assert upgraded != old_six_digits and hash_cost(upgraded) == operators_module.PIN_COST
    assert operators.authenticate("1001", "246813").badge == "1001"


def test_a_new_pin_is_six_to_twelve_digits(store: Store) -> None:
    operators = Operators(store)
    for short_or_bad in ("12345", "1234567890123", "12345a", ""):
        with pytest.raises(OperatorError, match="a PIN is 6 to 12 digits"):
            operators.add("Ana Tremblay", "1001", Role.SUPERVISOR, short_or_bad, None)
    ana = operators.add("Ana Tremblay", "1001", Role.SUPERVISOR, "123456", None)
    operators.add("Ben Roy", "1002", Role.OPERATOR, "123456789012", ana)
    with pytest.raises(OperatorError, match="a PIN is 6 to 12 digits"):
        operators.change_pin("1001", "123456", "54321")


def test_a_four_digit_pin_signs_in_only_after_it_is_changed_and_the_change_is_recorded(store: Store) -> None:
    operators = Operators(store)
    operators.add("Ana Tremblay", "1001", Role.SUPERVISOR, "246813", None)
    store.db.table("operators").update("1001", {"pin_hash": legacy_hash("4321")})
    with pytest.raises(PinChangeNeeded, match=r"PIN too short: .* `station operator pin 1001`"):
        operators.authenticate("1001", "4321")
    with pytest.raises(OperatorError, match="wrong PIN"):
        operators.change_pin("1001", "0000", "97531864")  # the current PIN is checked, and a wrong one counted
    with pytest.raises(OperatorError, match="6 to 12 digits"):
        operators.change_pin("1001", "4321", "97531")
    operators.change_pin("1001", "4321", "97531864")
    assert operators.authenticate("1001", "97531864").name == "Ana Tremblay"
    with pytest.raises(OperatorError, match="wrong PIN"):
        operators.authenticate("1001", "4321")
    changed = [r for r in store.records() if r.kind == RecordKind.PIN_CHANGED]
    assert [(r.operator, r.data) for r in changed] == [("Ana Tremblay", {"badge": "1001", "digits_before": 4})]
    rejected = [r for r in store.records() if r.kind == RecordKind.PIN_REJECTED]
    assert rejected and all(r.operator is None for r in rejected)  # nobody was authenticated by a wrong PIN
    assert verify_log(store).ok


def test_a_short_pin_adopted_from_the_depot_must_be_changed_too(store: Store) -> None:
    operators = Operators(store)
    operators.add("Ana Tremblay", "1001", Role.SUPERVISOR, "246813", None)
    adopted = SharedOperator("Luc Gagnon", "2002", Role.OPERATOR, legacy_hash("1357"), "2026-01-05T10:00:00+00:00", None)
    assert operators.adopt(adopted)
    with pytest.raises(PinChangeNeeded):
        operators.authenticate("2002", "1357")
    operators.change_pin("Luc Gagnon", "1357", "13572468")
    assert operators.authenticate("2002", "13572468").badge == "2002"


def test_a_station_with_no_operator_says_how_to_create_the_first_supervisor(store: Store) -> None:
    with pytest.raises(OperatorError, match=r"no operator exists yet: create the first supervisor with `station operator add NAME "
                                            r"--badge N --role supervisor`"):
        Operators(store).authenticate("ANYONE", "123456")
