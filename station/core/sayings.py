"""What a checklist item's evidence says, typed: a ``Said`` is a kind of sentence and the values that fill
it, so the log keeps both the English sentence (signed as written) and what it said, and the window and
the printed checklist word it in the reader's language (station/gui, station/report), never by reading
the English back. Each sentence's English is marked here for pyside6-lupdate (context "Evidence").

Values are text as the phone or the policy gave them (app ids, versions, a device's own error), or a
nested ``Said`` (a word such as a battery's health, a list of parts, a lock's remedy).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from station.core.language import QT_TRANSLATE_NOOP


class Saying(StrEnum):
    LIST = "list"  # its values, in order, joined by ", "
    AS_IS = "as_is"  # a device's or the policy's own words, shown as they came (value "text")
    BANNED_FOUND = "banned_found"
    USERS_UNREADABLE = "users_unreadable"
    NO_BANNED = "no_banned"
    OS_VERSION = "os_version"
    PATCH_UNREADABLE = "patch_unreadable"
    PATCH_AGE = "patch_age"
    PASSCODE_SET = "passcode_set"
    NO_PASSCODE = "no_passcode"
    PASSCODE_UNKNOWN = "passcode_unknown"
    ENCRYPTED = "encrypted"
    NOT_ENCRYPTED = "not_encrypted"
    ENCRYPTION_UNKNOWN = "encryption_unknown"
    BOOT_LOCKED = "boot_locked"
    BOOT_UNLOCKED = "boot_unlocked"
    BOOT_LOCK_UNKNOWN = "boot_lock_unknown"
    ROOT_SIGNS = "root_signs"
    JAILBREAK_SIGNS = "jailbreak_signs"
    NOT_COMPROMISED = "not_compromised"
    DEVELOPER_ON = "developer_on"
    DEVELOPER_OFF = "developer_off"
    DEVELOPER_UNKNOWN = "developer_unknown"
    NO_UNKNOWN_SOURCES_SWITCH = "no_unknown_sources_switch"
    UNKNOWN_SOURCES_ON = "unknown_sources_on"
    UNKNOWN_SOURCES_OFF = "unknown_sources_off"
    APPS_MISSING = "apps_missing"
    APPS_PRESENT = "apps_present"
    NONE_REQUIRED = "none_required"
    USER_APPS_REMAIN = "user_apps_remain"
    FACTORY_FRESH = "factory_fresh"
    SUPERVISED = "supervised"
    NOT_SUPERVISED = "not_supervised"
    SUPERVISED_UNKNOWN = "supervised_unknown"
    PROFILE_INSTALLED = "profile_installed"
    PROFILE_MISSING = "profile_missing"
    PROFILE_MISSING_NONE = "profile_missing_none"
    FIND_MY_UNKNOWN = "find_my_unknown"
    FIND_MY_ON = "find_my_on"
    FIND_MY_OFF = "find_my_off"
    ACCOUNTS_UNKNOWN = "accounts_unknown"
    NO_LOCKING_ACCOUNT = "no_locking_account"
    SIGNED_IN_GOOGLE = "signed_in_google"
    SIGNED_IN_SAMSUNG = "signed_in_samsung"
    SIGNED_IN_BOTH = "signed_in_both"
    REMEDY_FIND_MY_UNKNOWN = "remedy_find_my_unknown"
    REMEDY_FIND_MY_ON = "remedy_find_my_on"
    REMEDY_ACCOUNTS_UNKNOWN = "remedy_accounts_unknown"
    REMEDY_GOOGLE = "remedy_google"
    REMEDY_SAMSUNG = "remedy_samsung"
    REMEDY_BOTH = "remedy_both"
    GATE_LOCKED = "gate_locked"
    GATE_UNKNOWN = "gate_unknown"
    LOCK_FAILS = "lock_fails"
    BATTERY_MISSING = "battery_missing"
    BATTERY_UNHEALTHY = "battery_unhealthy"
    BATTERY_WORN = "battery_worn"
    BATTERY_LEVEL = "battery_level"
    BATTERY_HEALTH = "battery_health"
    BATTERY_CAPACITY = "battery_capacity"
    BATTERY_CYCLES = "battery_cycles"
    BATTERY_TEMPERATURE = "battery_temperature"
    HEALTH_UNKNOWN = "health_unknown"
    HEALTH_GOOD = "health_good"
    HEALTH_OVERHEAT = "health_overheat"
    HEALTH_DEAD = "health_dead"
    HEALTH_OVER_VOLTAGE = "health_over_voltage"
    HEALTH_FAILURE = "health_failure"
    HEALTH_COLD = "health_cold"
    NOT_APPLICABLE = "not_applicable"
    NO_PROFILE_ON_ANDROID = "no_profile_on_android"
    SUPERVISION_ON_ANDROID = "supervision_on_android"
    NOTHING_TO_REMOVE = "nothing_to_remove"
    REMOVED = "removed"
    PROFILE_ALREADY = "profile_already"
    PROFILE_ENFORCED = "profile_enforced"
    PROFILE_SENT = "profile_sent"
    NO_APP_TO_INSTALL = "no_app_to_install"
    NOTHING_TO_SET = "nothing_to_set"
    NOT_WIPED = "not_wiped"
    RESET_BY_HAND = "reset_by_hand"
    WIPED_UNDER_OVERRIDE = "wiped_under_override"
    STEPS = "steps"  # its values, in order, joined by "; "
    NOT_SEALED = "not_sealed"
    SEAL_CHECKLIST_FAILED = "seal_checklist_failed"
    SEAL_TWINS = "seal_twins"
    SEAL_SETTINGS_WRONG = "seal_settings_wrong"
    SETTINGS_PUT_BACK = "settings_put_back"
    HARNESS_NOTICE_STAYS = "harness_notice_stays"
    DEBUGGING_OFF = "debugging_off"
    PAIRING_REMOVED = "pairing_removed"
    RESTARTED_FOR_RESET = "restarted_for_reset"
    STILL_LETS_IN = "still_lets_in"
    TRUST_UNKNOWN = "trust_unknown"
    SEAL_FAILED = "seal_failed"
    STOPPED_ANSWERING = "stopped_answering"
    ASKS_TRUST_AGAIN = "asks_trust_again"
    SEALED = "sealed"


CONTEXT = "Evidence"  # the translations' context; lupdate needs it written out in each call below
TEMPLATES: dict[Saying, str] = {
    Saying.LIST: "",
    Saying.STEPS: "",
    Saying.AS_IS: "{text}",
    Saying.BANNED_FOUND: QT_TRANSLATE_NOOP("Evidence", "banned apps installed: {names}"),
    Saying.USERS_UNREADABLE: QT_TRANSLATE_NOOP(
        "Evidence", "the apps of user {users} could not be listed (the phone refuses the shell a Secure Folder or work "
                    "profile): no banned app can be ruled out there; remove that profile, or check it on the phone"),
    Saying.NO_BANNED: QT_TRANSLATE_NOOP("Evidence", "none of the policy's apps among {count} installed (policy {policy} {version})"),
    Saying.OS_VERSION: QT_TRANSLATE_NOOP("Evidence", "OS {version}, at least {minimum} required"),
    Saying.PATCH_UNREADABLE: QT_TRANSLATE_NOOP("Evidence", "the phone reports no readable security patch level ({patch})"),
    Saying.PATCH_AGE: QT_TRANSLATE_NOOP("Evidence", "security patch {patch}, {age} days old (at most {days})"),
    Saying.PASSCODE_SET: QT_TRANSLATE_NOOP("Evidence", "passcode set: Data Protection encrypts user data"),
    Saying.NO_PASSCODE: QT_TRANSLATE_NOOP("Evidence", "no passcode: Data Protection is not protecting user data"),
    Saying.PASSCODE_UNKNOWN: QT_TRANSLATE_NOOP("Evidence", "the iPhone did not say whether a passcode is set"),
    Saying.ENCRYPTED: QT_TRANSLATE_NOOP("Evidence", "storage encrypted (ro.crypto.state=encrypted)"),
    Saying.NOT_ENCRYPTED: QT_TRANSLATE_NOOP("Evidence", "storage not encrypted"),
    Saying.ENCRYPTION_UNKNOWN: QT_TRANSLATE_NOOP("Evidence", "the phone did not report its encryption state"),
    Saying.BOOT_LOCKED: QT_TRANSLATE_NOOP("Evidence", "verified boot {boot}, bootloader locked"),
    Saying.BOOT_UNLOCKED: QT_TRANSLATE_NOOP("Evidence", "verified boot {boot}, bootloader unlocked"),
    Saying.BOOT_LOCK_UNKNOWN: QT_TRANSLATE_NOOP("Evidence", "verified boot {boot}, bootloader state unknown"),
    Saying.ROOT_SIGNS: QT_TRANSLATE_NOOP("Evidence", "signs of root: {signs}"),
    Saying.JAILBREAK_SIGNS: QT_TRANSLATE_NOOP("Evidence", "signs of jailbreak: {signs}"),
    Saying.NOT_COMPROMISED: QT_TRANSLATE_NOOP("Evidence", "no sign of root or jailbreak"),
    Saying.DEVELOPER_ON: QT_TRANSLATE_NOOP("Evidence", "developer options on"),
    Saying.DEVELOPER_OFF: QT_TRANSLATE_NOOP("Evidence", "developer options off"),
    Saying.DEVELOPER_UNKNOWN: QT_TRANSLATE_NOOP("Evidence", "the phone did not report its developer options"),
    Saying.NO_UNKNOWN_SOURCES_SWITCH: QT_TRANSLATE_NOOP("Evidence", "no global 'unknown sources' switch (Android 8+ asks per app)"),
    Saying.UNKNOWN_SOURCES_ON: QT_TRANSLATE_NOOP("Evidence", "installs from unknown sources allowed"),
    Saying.UNKNOWN_SOURCES_OFF: QT_TRANSLATE_NOOP("Evidence", "unknown sources off"),
    Saying.APPS_MISSING: QT_TRANSLATE_NOOP("Evidence", "missing: {apps}"),
    Saying.APPS_PRESENT: QT_TRANSLATE_NOOP("Evidence", "present: {apps}"),
    Saying.NONE_REQUIRED: QT_TRANSLATE_NOOP("Evidence", "none required"),
    Saying.USER_APPS_REMAIN: QT_TRANSLATE_NOOP("Evidence", "user-installed apps remain ({count}): {apps}"),
    Saying.FACTORY_FRESH: QT_TRANSLATE_NOOP("Evidence", "only the preinstalled apps ({count}), as on a fresh phone"),
    Saying.SUPERVISED: QT_TRANSLATE_NOOP("Evidence", "supervised by the organisation"),
    Saying.NOT_SUPERVISED: QT_TRANSLATE_NOOP("Evidence", "not supervised: apps cannot be blocked from reinstalling"),
    Saying.SUPERVISED_UNKNOWN: QT_TRANSLATE_NOOP("Evidence", "the iPhone did not say whether it is supervised"),
    Saying.PROFILE_INSTALLED: QT_TRANSLATE_NOOP("Evidence", "profile {profile} installed"),
    Saying.PROFILE_MISSING: QT_TRANSLATE_NOOP("Evidence", "profile {profile} not installed (installed: {installed})"),
    Saying.PROFILE_MISSING_NONE: QT_TRANSLATE_NOOP("Evidence", "profile {profile} not installed (no profile installed)"),
    Saying.FIND_MY_UNKNOWN: QT_TRANSLATE_NOOP("Evidence", "the iPhone did not say whether Find My is on (com.apple.fmip IsAssociated)"),
    Saying.FIND_MY_ON: QT_TRANSLATE_NOOP("Evidence", "Find My is on: the iPhone is tied to its user's Apple ID (Activation Lock)"),
    Saying.FIND_MY_OFF: QT_TRANSLATE_NOOP("Evidence", "Find My is off: no Activation Lock"),
    Saying.ACCOUNTS_UNKNOWN: QT_TRANSLATE_NOOP("Evidence", "the phone did not list its accounts (dumpsys account)"),
    Saying.NO_LOCKING_ACCOUNT: QT_TRANSLATE_NOOP("Evidence", "no Google or Samsung account (other accounts: {count})"),
    Saying.SIGNED_IN_GOOGLE: QT_TRANSLATE_NOOP("Evidence", "signed in: Google account {google} (Factory Reset Protection)"),
    Saying.SIGNED_IN_SAMSUNG: QT_TRANSLATE_NOOP("Evidence", "signed in: Samsung account {samsung} (Samsung Reactivation Lock)"),
    Saying.SIGNED_IN_BOTH: QT_TRANSLATE_NOOP("Evidence", "signed in: Google account {google} (Factory Reset Protection); "
                                                 "Samsung account {samsung} (Samsung Reactivation Lock)"),
    Saying.REMEDY_FIND_MY_UNKNOWN: QT_TRANSLATE_NOOP(
                                       "Evidence", "Check on the iPhone: Settings, [the user's name], Find My; the user signs "
                                                         "out of iCloud if it is on"),
    Saying.REMEDY_FIND_MY_ON: QT_TRANSLATE_NOOP("Evidence", "The returning user must sign out of iCloud on the iPhone (Settings, [their "
                                                    "name], Sign Out, with their Apple ID password), which turns Find My and "
                                                    "Activation Lock off"),
    Saying.REMEDY_ACCOUNTS_UNKNOWN: QT_TRANSLATE_NOOP("Evidence", "Check on the phone: Settings, Accounts; the user removes any Google or "
                                                          "Samsung account"),
    Saying.REMEDY_GOOGLE: QT_TRANSLATE_NOOP("Evidence", "The returning user must remove the Google account {google} (Settings, Accounts, "
                                                "with the account's password)"),
    Saying.REMEDY_SAMSUNG: QT_TRANSLATE_NOOP("Evidence", "The returning user must remove the Samsung account {samsung} (Settings, "
                                                 "Accounts, with the account's password)"),
    Saying.REMEDY_BOTH: QT_TRANSLATE_NOOP("Evidence", "The returning user must remove the Google account {google} and remove the Samsung "
                                              "account {samsung} (Settings, Accounts, with the account's password)"),
    Saying.GATE_LOCKED: QT_TRANSLATE_NOOP("Evidence", "locked"),
    Saying.GATE_UNKNOWN: QT_TRANSLATE_NOOP("Evidence", "unknown"),
    Saying.LOCK_FAILS: QT_TRANSLATE_NOOP("Evidence", "{gate}: {evidence}. {remedy}"),
    Saying.BATTERY_MISSING: QT_TRANSLATE_NOOP("Evidence", "the phone did not report its battery"),
    Saying.BATTERY_UNHEALTHY: QT_TRANSLATE_NOOP("Evidence", "battery {health}: {summary}"),
    Saying.BATTERY_WORN: QT_TRANSLATE_NOOP("Evidence", "battery holds {capacity}% of its design capacity (at least {minimum}%): {summary}"),
    Saying.BATTERY_LEVEL: QT_TRANSLATE_NOOP("Evidence", "level {level}%"),
    Saying.BATTERY_HEALTH: QT_TRANSLATE_NOOP("Evidence", "health {health}"),
    Saying.BATTERY_CAPACITY: QT_TRANSLATE_NOOP("Evidence", "capacity {capacity}% of design"),
    Saying.BATTERY_CYCLES: QT_TRANSLATE_NOOP("Evidence", "{cycles} cycles"),
    Saying.BATTERY_TEMPERATURE: QT_TRANSLATE_NOOP("Evidence", "{celsius} °C"),
    Saying.HEALTH_UNKNOWN: QT_TRANSLATE_NOOP("Evidence", "unknown"),
    Saying.HEALTH_GOOD: QT_TRANSLATE_NOOP("Evidence", "good"),
    Saying.HEALTH_OVERHEAT: QT_TRANSLATE_NOOP("Evidence", "overheating"),
    Saying.HEALTH_DEAD: QT_TRANSLATE_NOOP("Evidence", "dead"),
    Saying.HEALTH_OVER_VOLTAGE: QT_TRANSLATE_NOOP("Evidence", "over voltage"),
    Saying.HEALTH_FAILURE: QT_TRANSLATE_NOOP("Evidence", "failed"),
    Saying.HEALTH_COLD: QT_TRANSLATE_NOOP("Evidence", "cold"),
    Saying.NOT_APPLICABLE: QT_TRANSLATE_NOOP("Evidence", "does not apply to {platform} phones"),
    Saying.NO_PROFILE_ON_ANDROID: QT_TRANSLATE_NOOP("Evidence", "Android cannot block reinstalling an app without an MDM (device owner): "
                                                        "put the policy's apps on your EMM's blocklist"),
    Saying.SUPERVISION_ON_ANDROID: QT_TRANSLATE_NOOP("Evidence", "supervision is an iPhone notion; Android's counterpart is an MDM device "
                                                         "owner"),
    Saying.NOTHING_TO_REMOVE: QT_TRANSLATE_NOOP("Evidence", "no banned app to remove"),
    Saying.REMOVED: QT_TRANSLATE_NOOP("Evidence", "removed {apps}"),
    Saying.PROFILE_ALREADY: QT_TRANSLATE_NOOP("Evidence", "profile {profile} already installed"),
    Saying.PROFILE_ENFORCED: QT_TRANSLATE_NOOP("Evidence", "profile {profile} installed; enforced on this supervised iPhone"),
    Saying.PROFILE_SENT: QT_TRANSLATE_NOOP(
                             "Evidence", "profile {profile} sent: the user must approve it in Settings, General, VPN & Device "
                                               "Management, and iOS enforces blocked apps only on supervised iPhones"),
    Saying.NO_APP_TO_INSTALL: QT_TRANSLATE_NOOP("Evidence", "no app to install"),
    Saying.NOTHING_TO_SET: QT_TRANSLATE_NOOP("Evidence", "nothing to set"),
    Saying.NOT_WIPED: QT_TRANSLATE_NOOP("Evidence", "not wiped: {evidence}. {remedy}"),
    Saying.RESET_BY_HAND: QT_TRANSLATE_NOOP("Evidence", "reset by hand in recovery"),
    Saying.WIPED_UNDER_OVERRIDE: QT_TRANSLATE_NOOP("Evidence", "{done}; wiped under {supervisor}'s override although {evidence}: it asks "
                                                       "for that account when set up, so it cannot be handed out until the "
                                                       "account's owner releases it"),
    Saying.NOT_SEALED: QT_TRANSLATE_NOOP("Evidence", "not sealed: {why}"),
    Saying.SEAL_CHECKLIST_FAILED: QT_TRANSLATE_NOOP(
        "Evidence", "the checklist did not pass ({items} failed); the station keeps its access so the phone can be put right and "
                    "checked again"),
    Saying.SEAL_TWINS: QT_TRANSLATE_NOOP(
        "Evidence", "another connected phone ({twins}) reports the same serial; connect the phones one at a time and run the "
                    "checklist again"),
    Saying.SEAL_SETTINGS_WRONG: QT_TRANSLATE_NOOP(
        "Evidence", "the settings Test Harness Mode changed did not read back as put: {wrong}; the station keeps its access to "
                    "put them right"),
    Saying.SETTINGS_PUT_BACK: QT_TRANSLATE_NOOP("Evidence", "{count} Test Harness settings put back and read back"),
    Saying.HARNESS_NOTICE_STAYS: QT_TRANSLATE_NOOP(
        "Evidence", "its 'Test Harness Mode enabled' notice and auto-sync off stay until a reset"),
    Saying.DEBUGGING_OFF: QT_TRANSLATE_NOOP("Evidence", "developer options and USB debugging off"),
    Saying.PAIRING_REMOVED: QT_TRANSLATE_NOOP("Evidence", "this station's pairing removed (lockdown Unpair)"),
    Saying.RESTARTED_FOR_RESET: QT_TRANSLATE_NOOP(
        "Evidence", "restarted into recovery for the last reset, chosen there by hand; the reset turns USB debugging off and "
                    "forgets this station's key, and the phone waits at its setup screens for enrolment"),
    Saying.STILL_LETS_IN: QT_TRANSLATE_NOOP("Evidence", "the phone still let this station in {seconds} s later"),
    Saying.TRUST_UNKNOWN: QT_TRANSLATE_NOOP("Evidence", "whether the phone still trusts this station could not be told ({detail})"),
    Saying.SEAL_FAILED: QT_TRANSLATE_NOOP("Evidence", "{done}, but {why}"),
    Saying.STOPPED_ANSWERING: QT_TRANSLATE_NOOP("Evidence", "it stopped answering over adb"),
    Saying.ASKS_TRUST_AGAIN: QT_TRANSLATE_NOOP("Evidence", "it asks 'Trust This Computer?' again"),
    Saying.SEALED: QT_TRANSLATE_NOOP("Evidence", "{done}; {went}"),
}


@dataclass(frozen=True)
class Said:
    saying: Saying
    values: tuple[tuple[str, str | Said], ...] = ()

    @classmethod
    def of(cls, saying: Saying, **values: object) -> Said:
        return cls(saying, tuple((name, value if isinstance(value, Said) else str(value)) for name, value in values.items()))

    @classmethod
    def listing(cls, *parts: Said) -> Said:
        return cls(Saying.LIST, tuple((str(index), part) for index, part in enumerate(parts)))

    @classmethod
    def steps(cls, *parts: Said) -> Said:
        return cls(Saying.STEPS, tuple((str(index), part) for index, part in enumerate(parts)))

    @classmethod
    def as_is(cls, text: str) -> Said:
        return cls(Saying.AS_IS, (("text", text),))

    def words(self, translate: Callable[[str, str], str | None]) -> str:
        """This, in the words ``translate`` (context, English) gives for each template."""
        filled = {name: value.words(translate) if isinstance(value, Said) else value for name, value in self.values}
        if self.saying in (Saying.LIST, Saying.STEPS):
            return (", " if self.saying is Saying.LIST else "; ").join(filled.values())
        template = TEMPLATES[self.saying]
        return (translate(CONTEXT, template) or template).format(**filled) if self.saying is not Saying.AS_IS else filled["text"]

    def __str__(self) -> str:
        return self.words(lambda _context, text: text)

    def to_json(self) -> dict[str, Any]:
        return {"saying": str(self.saying),
                "values": {name: value.to_json() if isinstance(value, Said) else value for name, value in self.values}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Said | None:
        """A Said as a record keeps it; None for what cannot be read as one (an older or foreign record)."""
        try:
            saying = Saying(data["saying"])
            values: list[tuple[str, str | Said]] = []
            for name, value in dict(data.get("values") or {}).items():
                nested = cls.from_json(value) if isinstance(value, Mapping) else str(value)
                if nested is None:
                    return None
                values.append((str(name), nested))
        except (KeyError, ValueError, TypeError):
            return None
        return cls(saying, tuple(values))
