"""IMEIs typed or scanned by the operator: 15 digits and a good Luhn check digit, or a clear refusal."""

from __future__ import annotations

import pytest

from station.core.imei import ImeiError, check_digit, parse_imei


def test_a_good_imei_is_taken_as_printed_on_a_box() -> None:
    assert parse_imei("49-015420-323751-8") == "490154203237518"  # the example of 3GPP TS 23.003's annex
    assert parse_imei(" 35 209900 176148 1 ") == "352099001761481"
    assert check_digit("35209900176148") == 1


@pytest.mark.parametrize(("typed", "says"), [
    ("490154203237517", "last digit should be 8"),  # one digit mistyped
    ("490154203273518", "fails its check digit"),  # two neighbours swapped
    ("49015420323751", "is 15 digits"),
    ("4901542032375180", "is 15 digits"),
    ("49015420323751A", "is 15 digits"),
    ("", "is 15 digits"),
])
def test_a_bad_imei_is_refused_saying_why(typed: str, says: str) -> None:
    with pytest.raises(ImeiError, match=says):
        parse_imei(typed)
