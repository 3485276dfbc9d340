"""Why the station refused what an operator asked (a wrong PIN, a locked operator, a checklist that did
not pass), typed: the CLI prints the English, the window words each kind in the operator's language
(station/gui/words.py), never by reading the English back."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

MIN_PIN_DIGITS, MAX_PIN_DIGITS = 6, 12


class RefusalKind(StrEnum):
    PIN_RULE = "pin_rule"  # count: the PIN's length
    PIN_RULE_NOT_DIGITS = "pin_rule_not_digits"  # count: the PIN's length
    NO_SUCH_OPERATOR = "no_such_operator"  # detail: the name or badge given
    AMBIGUOUS_OPERATOR = "ambiguous_operator"  # detail: the name given
    BAD_NAME_OR_BADGE = "bad_name_or_badge"
    ONLY_SUPERVISOR_ADDS = "only_supervisor_adds"
    FIRST_MUST_BE_SUPERVISOR = "first_must_be_supervisor"
    BADGE_TAKEN = "badge_taken"  # detail: the badge
    ONLY_SUPERVISOR_LANGUAGE = "only_supervisor_language"
    NO_OPERATOR_YET = "no_operator_yet"
    LOCKED = "locked"  # name; count: wrong PINs; detail: until (UTC)
    WRONG_PIN = "wrong_pin"  # name; count: tries left
    WRONG_PIN_LOCKED = "wrong_pin_locked"  # name; count: minutes locked
    SAME_PIN = "same_pin"
    PIN_TOO_SHORT = "pin_too_short"  # name; detail: badge
    NOT_A_CHECKLIST = "not_a_checklist"  # count: the record
    TWINS = "twins"  # name: the serial; detail: the other phones
    NOT_PASSED = "not_passed"  # name: the serial; detail: the items that failed
    OVERRIDE_NOT_SUPERVISOR = "override_not_supervisor"  # name
    OVERRIDE_SAME_PERSON = "override_same_person"
    OVERRIDE_REASON_SHORT = "override_reason_short"  # count
    RETIRE_REASON_SHORT = "retire_reason_short"  # count
    RETIRE_UNKNOWN_PHONE = "retire_unknown_phone"  # name: the serial
    LOCKED_WIPE_NEEDS_SIGN_IN = "locked_wipe_needs_sign_in"
    LOCKED_WIPE_REASON_SHORT = "locked_wipe_reason_short"  # count
    LOCKED_WIPE_NOT_SUPERVISOR = "locked_wipe_not_supervisor"  # name
    LOCKED_WIPE_SAME_PERSON = "locked_wipe_same_person"
    PUBLISH_NOT_SUPERVISOR = "publish_not_supervisor"  # name; detail: policy or workflow


ENGLISH = {
    RefusalKind.PIN_RULE: f"a PIN is {MIN_PIN_DIGITS} to {MAX_PIN_DIGITS} digits (this one is {{count}} characters)",
    RefusalKind.PIN_RULE_NOT_DIGITS: f"a PIN is {MIN_PIN_DIGITS} to {MAX_PIN_DIGITS} digits "
                                     "(this one is {count} characters, not all digits)",
    RefusalKind.NO_SUCH_OPERATOR: "no operator is called {detail!r}: use the badge number",
    RefusalKind.AMBIGUOUS_OPERATOR: "more than one operator is called {detail!r}: use the badge number",
    RefusalKind.BAD_NAME_OR_BADGE: "an operator needs a name and a badge number of letters, digits or dashes",
    RefusalKind.ONLY_SUPERVISOR_ADDS: "only a supervisor can add operators on this station",
    RefusalKind.FIRST_MUST_BE_SUPERVISOR: "the first operator on a new station must be a supervisor",
    RefusalKind.BADGE_TAKEN: "badge {detail} is already taken",
    RefusalKind.ONLY_SUPERVISOR_LANGUAGE: "only a supervisor can change an operator's language",
    RefusalKind.NO_OPERATOR_YET: "no operator exists yet: create the first supervisor with "
                                 "`station operator add NAME --badge N --role supervisor` (their PIN from $STATION_PIN or a prompt)",
    RefusalKind.LOCKED: "{name} is locked after {count} wrong PINs until {detail} UTC; a supervisor can help",
    RefusalKind.WRONG_PIN: "wrong PIN for {name} ({count} tries left)",
    RefusalKind.WRONG_PIN_LOCKED: "wrong PIN for {name}: locked for {count} minutes",
    RefusalKind.SAME_PIN: "the new PIN must differ from the current one",
    RefusalKind.PIN_TOO_SHORT: f"PIN too short: {{name}}'s PIN predates the rule (a PIN is {MIN_PIN_DIGITS} to {MAX_PIN_DIGITS} "
                               "digits); set a new one with `station operator pin {detail}`",
    RefusalKind.NOT_A_CHECKLIST: "record {count} is not a checklist",
    RefusalKind.TWINS: "{name}: another connected phone ({detail}) reports the same serial, so this checklist cannot be bound "
                       "to one phone: it cannot be signed off, even by override. Connect the phones one at a time and run the "
                       "checklist again",
    RefusalKind.NOT_PASSED: "{name} has not passed its checklist ({detail} failed): it cannot be signed off; a supervisor may "
                            "override with a written reason",
    RefusalKind.OVERRIDE_NOT_SUPERVISOR: "{name} is not a supervisor: an override needs one",
    RefusalKind.OVERRIDE_SAME_PERSON: "an override needs a second person: the supervisor cannot be the signing operator",
    RefusalKind.OVERRIDE_REASON_SHORT: "an override needs a written reason of at least {count} characters",
    RefusalKind.RETIRE_REASON_SHORT: "retiring a phone needs a written reason of at least {count} characters",
    RefusalKind.RETIRE_UNKNOWN_PHONE: "{name}: this station has never seen that phone",
    RefusalKind.LOCKED_WIPE_NEEDS_SIGN_IN: "wiping a locked phone needs the operator at the bench signed in with their PIN, "
                                           "and a second person",
    RefusalKind.LOCKED_WIPE_REASON_SHORT: "wiping a locked phone needs a written reason of at least {count} characters",
    RefusalKind.LOCKED_WIPE_NOT_SUPERVISOR: "{name} is not a supervisor: wiping a locked phone needs one",
    RefusalKind.LOCKED_WIPE_SAME_PERSON: "wiping a locked phone needs a second person: the supervisor cannot be the operator",
    RefusalKind.PUBLISH_NOT_SUPERVISOR: "{name} is not a supervisor: only a supervisor publishes the depot's {detail}",
}


@dataclass(frozen=True)
class Refusal:
    kind: RefusalKind
    name: str = ""
    detail: str = ""
    count: int = 0

    def __str__(self) -> str:
        return ENGLISH[self.kind].format(name=self.name, detail=self.detail, count=self.count)
