"""The words the window shows for the typed things the device layer and the engine report: a tile's
status, its step, the operator's messages (tap Allow, Trust This Computer, recovery guidance, errors) and
the station's link to its depot.

The words are chosen here, where they are shown, from the kind of event or error (TileStatus, the step
the state recorded, NeedsApproval by platform, Wiped.by_hand, the error's class), never by reading the
English text back. Every literal is inside ``translate()`` so pyside6-lupdate finds it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale

from station.core.account_lock import GOOGLE, SAMSUNG, LockGate
from station.core.checklist import Handout, Status, failing
from station.core.language import Language
from station.core.models import Battery, BatteryHealth, Platform
from station.core.notices import IPHONE_NOTICES, STATION_NOTICES, Notice, NoticeKind
from station.core.refusals import MAX_PIN_DIGITS, MIN_PIN_DIGITS, Refusal, RefusalKind
from station.core.sayings import Said
from station.gui.language import current_language
from station.gui.state import BY_HAND, MID_ACTION, TO_SETUP, PhoneState, TileStatus
from station.workbench.control import DepotLink
from station.workbench.hub import Watched, WatchKind


def status_word(status: TileStatus) -> str:
    """A tile's big word, e.g. ``Banned apps`` / ``Applications interdites``."""
    words = {
        TileStatus.CONNECTING: QCoreApplication.translate("PhoneState", "Connecting"),
        TileStatus.NEEDS_APPROVAL: QCoreApplication.translate("PhoneState", "Allow / Trust"),
        TileStatus.SCANNING: QCoreApplication.translate("PhoneState", "Scanning"),
        TileStatus.BANNED: QCoreApplication.translate("PhoneState", "Banned apps"),
        TileStatus.REMOVING: QCoreApplication.translate("PhoneState", "Removing"),
        TileStatus.WIPING: QCoreApplication.translate("PhoneState", "Wiping"),
        TileStatus.SEALING: QCoreApplication.translate("PhoneState", "Sealing"),
        TileStatus.SEALED: QCoreApplication.translate("PhoneState", "Sealed"),
        TileStatus.CLEAN: QCoreApplication.translate("PhoneState", "Clean"),
        TileStatus.FAILED: QCoreApplication.translate("PhoneState", "Failed"),
        TileStatus.READY: QCoreApplication.translate("PhoneState", "Ready"),
        TileStatus.NOT_READY: QCoreApplication.translate("PhoneState", "Not ready"),
        TileStatus.ACCOUNT_LOCKED: QCoreApplication.translate("PhoneState", "Account locked"),
        TileStatus.SIGNED_OFF: QCoreApplication.translate("PhoneState", "Signed off"),
        TileStatus.UNPLUGGED: QCoreApplication.translate("PhoneState", "Unplugged"),
    }
    return words[status]


def phone_title(state: PhoneState) -> str:
    """The phone's make and model, or what kind of phone it is before it has said."""
    if state.identity is not None:
        return state.title
    if state.platform is Platform.ANDROID:
        return QCoreApplication.translate("PhoneState", "Android phone")
    return QCoreApplication.translate("PhoneState", "iPhone")


def result_word(status: Status) -> str:
    """A checklist item's result, as the checklist table shows it."""
    words = {
        Status.PASS: QCoreApplication.translate("PhoneState", "PASS"),
        Status.FAIL: QCoreApplication.translate("PhoneState", "FAIL"),
        Status.FIXED: QCoreApplication.translate("PhoneState", "FIXED"),
        Status.SKIPPED: QCoreApplication.translate("PhoneState", "SKIPPED"),
    }
    return words[status]


def failing_titles(state: PhoneState) -> list[str]:
    """The titles of the mandatory items that failed in the phone's last checklist, in the window's language."""
    language = current_language()
    return [result.item.title_in(language) for result in failing(state.checklist)]


def workflow_name(workflow: str) -> str:
    """A workflow's id as the operator reads it (the shipped ones; another stays as its id)."""
    names = {
        "provision": QCoreApplication.translate("PhoneState", "provision"),
        "return": QCoreApplication.translate("PhoneState", "return"),
    }
    return names.get(workflow, workflow)


def step_text(state: PhoneState) -> str:
    """What the phone is doing or what came of it, in the window's language."""
    if state.status is TileStatus.SIGNED_OFF and state.signed_off is not None:
        signed = QCoreApplication.translate("PhoneState", "signed off by {operator}, record {record}")
        return signed.format(operator=state.signed_by or "", record=state.signed_off)
    if state.status is TileStatus.SEALED and state.seal is not None and state.workflow is not None:
        sealed = QCoreApplication.translate("PhoneState", "sealed at {time} UTC, ready for sign-off")
        outcome = sealed.format(time=(state.seal.time or "")[:19].replace("T", " "))
        return QCoreApplication.translate("PhoneState", "{workflow}: {outcome}").format(workflow=workflow_name(state.workflow),
                                                                                       outcome=outcome)
    if state.workflow is not None and state.status in (TileStatus.READY, TileStatus.NOT_READY, TileStatus.ACCOUNT_LOCKED):
        outcome = (QCoreApplication.translate("PhoneState", "ready for sign-off") if state.ready
                   else QCoreApplication.translate("PhoneState", "failed {items}").format(items="; ".join(failing_titles(state))))
        return QCoreApplication.translate("PhoneState", "{workflow}: {outcome}").format(workflow=workflow_name(state.workflow),
                                                                                       outcome=outcome)
    steps = {
        "connecting": QCoreApplication.translate("PhoneState", "connecting"),
        "scanning": QCoreApplication.translate("PhoneState", "scanning"),
        "removing": QCoreApplication.translate("PhoneState", "removing"),
        "wiping": QCoreApplication.translate("PhoneState", "wiping"),
        "sealing": QCoreApplication.translate("PhoneState", "sealing"),
        TO_SETUP: QCoreApplication.translate("PhoneState", "in recovery: reset it to its setup screens"),
        "waiting for Allow": QCoreApplication.translate("PhoneState", "waiting for Allow"),
        "scanned": QCoreApplication.translate("PhoneState", "scanned"),
        "removal verified": QCoreApplication.translate("PhoneState", "removal verified"),
        "restarting": QCoreApplication.translate("PhoneState", "restarting"),
        "restarting after the wipe": QCoreApplication.translate("PhoneState", "restarting after the wipe"),
        BY_HAND: QCoreApplication.translate("PhoneState", "in recovery: reset it by hand"),
        "unplugged": QCoreApplication.translate("PhoneState", "unplugged"),
        "failed": QCoreApplication.translate("PhoneState", "failed"),
    }
    return steps.get(state.step, state.step)


def approval_prompt(platform: Platform) -> str:
    """What the operator does on the phone when it asks to trust the station (events.NeedsApproval)."""
    if platform is Platform.ANDROID:
        return QCoreApplication.translate(
            "Messages", "tap Allow on the phone's 'Allow USB debugging?' prompt (tick 'Always allow from this computer')")
    return QCoreApplication.translate("Messages", "unlock the iPhone and tap Trust on 'Trust This Computer?', then enter its passcode")


def recovery_guide() -> str:
    """What the operator does in an Android phone's recovery menu (events.Wiped with by_hand)."""
    return QCoreApplication.translate(
        "Messages",
        "The phone is restarting into recovery. On the phone: choose 'Wipe data/factory reset' with the volume keys and "
        "confirm with the power key, then 'Reboot system now'. When it starts, skip through setup, turn USB debugging "
        "back on (Settings, About phone: tap Build number seven times; then Developer options) and tap Allow. "
        "The station checks the wipe when the phone is back.")


def guided_reset_guide() -> str:
    """What the operator does with the last reset of a guided-reset hand-out (events.Wiped with to_setup)."""
    return QCoreApplication.translate(
        "Messages",
        "The phone is restarting into recovery for its last reset. On the phone: choose 'Wipe data/factory reset' with the "
        "volume keys and confirm with the power key, then 'Reboot system now'. Leave it at its first setup screen, for "
        "enrolment in the organisation's device management; do not turn USB debugging on.")


def seal_text(state: PhoneState) -> str:
    """Whether the last checklist sealed the phone (the station's own access ended), when, or why not."""
    seal = state.seal
    if seal is None:
        return ""
    if not seal.sealed:
        return QCoreApplication.translate("PhoneState", "not sealed: {reason}").format(reason=evidence_text(seal.reason))
    if seal.handout is Handout.GUIDED_RESET:
        said = QCoreApplication.translate("PhoneState", "sealed at {time} UTC: reset to its setup screens, awaiting enrolment")
    elif seal.handout is Handout.RESTORE_SETTINGS:
        said = QCoreApplication.translate("PhoneState", "sealed at {time} UTC: Test Harness settings put back, USB debugging off")
    else:
        said = QCoreApplication.translate("PhoneState", "sealed at {time} UTC: this station's pairing removed")
    return said.format(time=(seal.time or "")[:19].replace("T", " "))


def error_guidance(error_kind: str) -> str | None:
    """What to do about an error of this class (station/core/errors.py), or None for one without guidance."""
    guidance = {
        "AuthorizationPending": QCoreApplication.translate(
            "Messages", "the phone has not accepted the station yet: tap Allow or Trust on the phone, then try again"),
        "AuthorizationRejected": QCoreApplication.translate(
            "Messages", "the phone refused the station (Deny or Don't Trust was tapped): unplug it, plug it back in and accept"),
        "DeviceTimeout": QCoreApplication.translate(
            "Messages", "the phone stopped answering: check the cable and the hub, plug it back in and try again"),
        "DeviceDisconnected": QCoreApplication.translate(
            "Messages", "the connection dropped: plug the phone back in and try again; what was done is in the log"),
        "DeviceUnreachable": QCoreApplication.translate(
            "Messages", "the station cannot reach the phone: check the cable and USB debugging"),
        "DeviceProtocolError": QCoreApplication.translate(
            "Messages", "the phone answered something the station does not understand: restart the phone and try again"),
        "WipeRefused": QCoreApplication.translate("Messages", "the phone will not reset on the station's command: reset it by hand"),
        "IdentityMismatch": QCoreApplication.translate(
            "Messages", "another phone is now at this place: select the phone again and confirm the action again"),
        # The one refusal a tile carries: a change asked of a real phone with nobody signed in.
        "OperatorError": QCoreApplication.translate("Messages", "nothing done: an operator must sign in with their PIN first (Ctrl+L)"),
    }
    return guidance.get(error_kind)


def message_text(state: PhoneState) -> str:  # noqa: PLR0911 - one return per kind of message the tile can carry
    """The operator's message for the phone, in the window's language.

    Prompts and the recovery guide have the same English words as the device layer, so an English window
    reads exactly what the phones said. An error's own English message says more than its guidance (it
    names the phone and what failed), so the guidance replaces it only in another language.
    """
    if state.status is TileStatus.NEEDS_APPROVAL:
        return approval_prompt(state.platform)
    if state.status is TileStatus.WIPING and state.step == BY_HAND:
        return recovery_guide()
    guided = state.seal is not None and state.seal.sealed and state.seal.handout is Handout.GUIDED_RESET
    if (state.status is TileStatus.WIPING and state.step == TO_SETUP) or (state.status is TileStatus.SEALED and guided):
        return guided_reset_guide()
    if state.message == MID_ACTION:
        return QCoreApplication.translate("PhoneState", "unplugged mid-action: plug it back in; it will be scanned afresh")
    # The lock's own English message names the account to remove; the worded remedy replaces it only in
    # another language.
    remedy = lock_remedy(state)
    locked_tile = state.status in (TileStatus.CLEAN, TileStatus.BANNED, TileStatus.ACCOUNT_LOCKED)
    if remedy and locked_tile and current_language() is not Language.EN:
        return remedy
    if state.status is TileStatus.FAILED and state.error_kind is not None and current_language() is not Language.EN:
        return error_guidance(state.error_kind) or state.message
    return state.message


def lock_text(state: PhoneState) -> str:  # noqa: PLR0911 - one return per state the phone can report
    """Whether a reset would lock the phone to its user's account, and on what evidence, from what the
    phone said (its accounts, or Find My), in the window's language."""
    facts = state.facts
    if facts is None:
        return ""
    if state.platform is Platform.IOS:
        if facts.find_my is None:
            return QCoreApplication.translate("PhoneState", "unknown: the iPhone did not say whether Find My is on")
        if facts.find_my:
            return QCoreApplication.translate("PhoneState", "locked: Find My is on (Activation Lock)")
        return QCoreApplication.translate("PhoneState", "clear: Find My is off")
    if facts.accounts is None:
        return QCoreApplication.translate("PhoneState", "unknown: the phone did not list its accounts")
    locking = [account for account in facts.accounts if account.type in (GOOGLE, SAMSUNG)]
    if not locking:
        return QCoreApplication.translate("PhoneState", "clear: no Google or Samsung account")
    names = ", ".join(account.name for account in locking)
    return QCoreApplication.translate("PhoneState", "locked: signed in with {accounts}").format(accounts=names)


def lock_remedy(state: PhoneState) -> str:
    """What the returning user must do before the depot can reset the phone; empty when nothing."""
    lock = state.account_lock
    if lock is None or lock.clear:
        return ""
    if state.platform is Platform.IOS:
        return QCoreApplication.translate(
            "PhoneState", "A reset locks this iPhone: the returning user must sign out of iCloud on it (Settings, their name, "
                          "Sign Out), which turns Find My and Activation Lock off")
    if lock.gate is LockGate.UNKNOWN:
        return QCoreApplication.translate(
            "PhoneState", "Check on the phone: Settings, Accounts; the returning user removes any Google or Samsung account")
    return QCoreApplication.translate(
        "PhoneState", "A reset locks this phone: the returning user must remove their Google or Samsung account "
                      "(Settings, Accounts, with the account's password)")


def battery_text(battery: Battery | None) -> str:
    """The battery as the phone reported it, in the window's language."""
    if battery is None:
        return QCoreApplication.translate("PhoneState", "not reported")
    health = {
        BatteryHealth.UNKNOWN: QCoreApplication.translate("PhoneState", "unknown"),
        BatteryHealth.GOOD: QCoreApplication.translate("PhoneState", "good"),
        BatteryHealth.OVERHEAT: QCoreApplication.translate("PhoneState", "overheating"),
        BatteryHealth.DEAD: QCoreApplication.translate("PhoneState", "dead"),
        BatteryHealth.OVER_VOLTAGE: QCoreApplication.translate("PhoneState", "over voltage"),
        BatteryHealth.FAILURE: QCoreApplication.translate("PhoneState", "failed"),
        BatteryHealth.COLD: QCoreApplication.translate("PhoneState", "cold"),
    }[battery.health]
    parts = [QCoreApplication.translate("PhoneState", "charged {level}%, health {health}").format(level=battery.level, health=health)]
    if battery.capacity_percent is not None:
        parts.append(QCoreApplication.translate("PhoneState", "holds {percent}% of its design capacity").format(
            percent=battery.capacity_percent))
    if battery.cycle_count is not None:
        parts.append(QCoreApplication.translate("PhoneState", "{cycles} cycles").format(cycles=battery.cycle_count))
    if battery.temperature_c is not None:
        parts.append(f"{QLocale().toString(battery.temperature_c, 'f', 1)} °C")
    return ", ".join(parts)


def managers_text(management: tuple[str, ...] | None) -> str:
    """Who manages the phone (its device owner or MDM), in the window's language when nobody or not known."""
    if management is None:
        return QCoreApplication.translate("PhoneState", "not known")
    return "; ".join(management) or QCoreApplication.translate("PhoneState", "nobody")


def accounts_text(state: PhoneState) -> str:
    """An Android phone's accounts, as it listed them."""
    facts = state.facts
    if facts is None or state.platform is not Platform.ANDROID:
        return ""
    if facts.accounts is None:
        return QCoreApplication.translate("PhoneState", "not listed")
    return ", ".join(f"{a.name} ({a.type})" for a in facts.accounts) or QCoreApplication.translate("PhoneState", "none")


def watching_text(watched: Watched) -> str:
    """The status bar's line on what the station watches for phones."""
    if watched.kind is WatchKind.USB:
        return QCoreApplication.translate(
            "Watching", "Watching this PC's USB: Android phones through libusb, iPhones through usbmuxd")
    iphones = (QCoreApplication.translate("Watching", "; iPhones through usbmuxd {address}").format(address=watched.usbmux)
               if watched.usbmux else "")
    if watched.kind is WatchKind.DEMO:
        return QCoreApplication.translate("Watching", "Demo bench: %n simulated phone(s) ({fleet})", "", watched.phones).format(
            fleet=watched.fleet) + iphones
    return QCoreApplication.translate("Watching", "%n Android address(es)", "", watched.android) + iphones


def notice_text(notice: Notice) -> str:
    """A notice about the PC's means of seeing phones, prefixed with the phones it concerns."""
    texts = {
        NoticeKind.NO_USBMUXD: QCoreApplication.translate(
            "Notice", "no usbmuxd answers on this PC, so iPhones cannot be seen. Linux: sudo apt install usbmuxd; "
                      "Windows: install Apple Devices (or iTunes); macOS has it built in"),
        NoticeKind.USBMUXD_ENDED: QCoreApplication.translate(
            "Notice", "usbmuxd ended its connection ({detail}) with %n iPhone(s) listed: they show as unplugged until it lists "
                      "them again. If this repeats with many iPhones plugged in, restart usbmuxd or plug fewer iPhones into "
                      "this PC (usbmuxd on some systems fails above about 30)", "", notice.count),
        NoticeKind.NOT_A_UDID: QCoreApplication.translate(
            "Notice", "usbmuxd announced a device whose id {detail} is not an iPhone UDID; it is ignored"),
        NoticeKind.NO_LIBUSB: QCoreApplication.translate(
            "Notice", "USB discovery needs the libusb-1.0 library, which is not installed (Debian/Ubuntu: sudo apt install "
                      "libusb-1.0-0; macOS: brew install libusb; Windows: it ships with the station)"),
        NoticeKind.USB_NOT_INSTALLED: QCoreApplication.translate(
            "Notice", "USB support is not installed ({detail}); reinstall the station"),
        NoticeKind.ADB_SERVER: QCoreApplication.translate(
            "Notice", "an adb server is running on this PC (port {port}) and holds every phone's USB interface; "
                      "run `adb kill-server` and close tools that restart it (Android Studio, scrcpy)"),
        NoticeKind.USB_PERMISSION: QCoreApplication.translate(
            "Notice", "this user may not open the phone's USB device. On Linux install udev rules for Android phones "
                      "(Debian/Ubuntu: sudo apt install android-sdk-platform-tools-common), add yourself to the plugdev "
                      "group, log out and in, then replug the phone"),
        NoticeKind.USB_BUSY: QCoreApplication.translate(
            "Notice", "another program holds the phone's USB interface; usually an adb server: run `adb kill-server` "
                      "(and close Android Studio or other phone tools), then replug the phone"),
        NoticeKind.USB_UNPLUGGED: QCoreApplication.translate(
            "Notice", "the phone was unplugged while the station opened it; plug it back in"),
        NoticeKind.USB_FAILED: QCoreApplication.translate("Notice", "the USB device could not be used ({detail})"),
        NoticeKind.DEVICE_PROCESS_STOPPED: QCoreApplication.translate(
            "Notice", "the station's device process has stopped: close the station and start it again"),
    }
    text = texts[notice.kind].format(detail=notice.detail[:200], port=notice.count)
    if notice.kind in STATION_NOTICES:
        return text
    if notice.kind in IPHONE_NOTICES:
        return QCoreApplication.translate("Notice", "iPhones: {text}").format(text=text)
    return QCoreApplication.translate("Notice", "Android on USB: {text}").format(text=text)


def evidence_text(said: Said) -> str:
    """A checklist item's evidence, in the window's language."""
    return said.words(QCoreApplication.translate)


def refusal_text(refusal: Refusal) -> str:
    """Why the station refused what was asked, in the window's language."""
    texts = {
        RefusalKind.PIN_RULE: QCoreApplication.translate("Refusal", "a PIN is {low} to {high} digits (this one is {count} characters)"),
        RefusalKind.PIN_RULE_NOT_DIGITS: QCoreApplication.translate(
            "Refusal", "a PIN is {low} to {high} digits (this one is {count} characters, not all digits)"),
        RefusalKind.NO_SUCH_OPERATOR: QCoreApplication.translate("Refusal", "no operator is called {detail}: use the badge number"),
        RefusalKind.AMBIGUOUS_OPERATOR: QCoreApplication.translate(
            "Refusal", "more than one operator is called {detail}: use the badge number"),
        RefusalKind.BAD_NAME_OR_BADGE: QCoreApplication.translate(
            "Refusal", "an operator needs a name and a badge number of letters, digits or dashes"),
        RefusalKind.ONLY_SUPERVISOR_ADDS: QCoreApplication.translate("Refusal", "only a supervisor can add operators on this station"),
        RefusalKind.FIRST_MUST_BE_SUPERVISOR: QCoreApplication.translate(
            "Refusal", "the first operator on a new station must be a supervisor"),
        RefusalKind.BADGE_TAKEN: QCoreApplication.translate("Refusal", "badge {detail} is already taken"),
        RefusalKind.ONLY_SUPERVISOR_LANGUAGE: QCoreApplication.translate(
            "Refusal", "only a supervisor can change an operator's language"),
        RefusalKind.NO_OPERATOR_YET: QCoreApplication.translate(
            "Refusal", "no operator exists yet: a supervisor must be created first"),
        RefusalKind.LOCKED: QCoreApplication.translate(
            "Refusal", "{name} is locked after {count} wrong PINs until {detail} UTC; a supervisor can help"),
        RefusalKind.WRONG_PIN: QCoreApplication.translate("Refusal", "wrong PIN for {name} (%n tries left)", "", refusal.count),
        RefusalKind.WRONG_PIN_LOCKED: QCoreApplication.translate("Refusal", "wrong PIN for {name}: locked for {count} minutes"),
        RefusalKind.SAME_PIN: QCoreApplication.translate("Refusal", "the new PIN must differ from the current one"),
        RefusalKind.PIN_TOO_SHORT: QCoreApplication.translate(
            "Refusal", "{name}'s PIN is shorter than the rule now asks: set a new one of {low} to {high} digits"),
        RefusalKind.NOT_A_CHECKLIST: QCoreApplication.translate("Refusal", "record {count} is not a checklist"),
        RefusalKind.TWINS: QCoreApplication.translate(
            "Refusal", "{name}: another connected phone ({detail}) reports the same serial, so this checklist cannot be bound to "
                       "one phone: it cannot be signed off, even by override. Connect the phones one at a time and run the "
                       "checklist again"),
        RefusalKind.NOT_PASSED: QCoreApplication.translate(
            "Refusal", "{name} has not passed its checklist ({detail} failed): it cannot be signed off; a supervisor may "
                       "override with a written reason"),
        RefusalKind.OVERRIDE_NOT_SUPERVISOR: QCoreApplication.translate("Refusal", "{name} is not a supervisor: an override needs one"),
        RefusalKind.OVERRIDE_SAME_PERSON: QCoreApplication.translate(
            "Refusal", "an override needs a second person: the supervisor cannot be the signing operator"),
        RefusalKind.OVERRIDE_REASON_SHORT: QCoreApplication.translate(
            "Refusal", "an override needs a written reason of at least {count} characters"),
        RefusalKind.RETIRE_REASON_SHORT: QCoreApplication.translate(
            "Refusal", "retiring a phone needs a written reason of at least {count} characters"),
        RefusalKind.RETIRE_UNKNOWN_PHONE: QCoreApplication.translate("Refusal", "{name}: this station has never seen that phone"),
        RefusalKind.LOCKED_WIPE_NEEDS_SIGN_IN: QCoreApplication.translate(
            "Refusal", "wiping a locked phone needs the operator at the bench signed in with their PIN, and a second person"),
        RefusalKind.LOCKED_WIPE_REASON_SHORT: QCoreApplication.translate(
            "Refusal", "wiping a locked phone needs a written reason of at least {count} characters"),
        RefusalKind.LOCKED_WIPE_NOT_SUPERVISOR: QCoreApplication.translate(
            "Refusal", "{name} is not a supervisor: wiping a locked phone needs one"),
        RefusalKind.LOCKED_WIPE_SAME_PERSON: QCoreApplication.translate(
            "Refusal", "wiping a locked phone needs a second person: the supervisor cannot be the operator"),
        RefusalKind.PUBLISH_NOT_SUPERVISOR: QCoreApplication.translate(
            "Refusal", "{name} is not a supervisor: only a supervisor publishes the depot's {detail}"),
    }
    return texts[refusal.kind].format(name=refusal.name, detail=refusal.detail, count=refusal.count,
                                      low=MIN_PIN_DIGITS, high=MAX_PIN_DIGITS)


def depot_text(link: DepotLink) -> str:
    """The status bar's line on the depot: whether it answers, and how many records wait for it."""
    if link.connected:
        text = QCoreApplication.translate("Depot", "Depot {server}, station {name}: connected, %n record(s) waiting", "", link.pending)
    else:
        text = QCoreApplication.translate(
            "Depot", "Depot {server}, station {name}: unreachable, %n record(s) waiting (kept here, pushed when it is back)", "",
            link.pending)
    return text.format(server=link.server, name=link.name)


def local_only_text() -> str:
    """Said above a phone's history when the depot did not answer: only this station's records are shown."""
    return QCoreApplication.translate("Depot", "Only this station's records: the depot cannot be reached.")
