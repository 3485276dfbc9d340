"""Checklists: a workflow's items (checks and actions) declared in a file, and how each check is judged.

A check is a pure function of what was read from the phone (identity, inventory, facts) and the policy;
the engine runs the actions, reads the phone afresh, and judges every check on that fresh evidence, so
that an item passes only on evidence gathered after the last action.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, Field, ValidationInfo, model_validator

from station.core.account_lock import LockGate, account_lock
from station.core.errors import InputFileError
from station.core.language import Language
from station.core.models import Battery, BatteryHealth, DeviceFacts, DeviceIdentity, Inventory, Platform
from station.core.policy import Policy
from station.core.sayings import Said, Saying
from station.core.tomlfile import KeyProblem, Table, Text, matching, one_of, read_toml, unique, validate


class WorkflowError(InputFileError):
    """A workflow file is missing, unreadable or invalid."""


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    FIXED = "fixed"  # failed on the intake reading, passes after the station's actions
    SKIPPED = "skipped"  # does not apply to this phone's platform, or (the seal) was not run because others failed


class Action(StrEnum):
    """What a checklist item may have the station do to a phone (station.workbench.actions carries them out)."""

    REMOVE_BANNED_APPS = "remove_banned_apps"
    INSTALL_REQUIRED_APPS = "install_required_apps"
    APPLY_SETTINGS = "apply_settings"
    INSTALL_BLOCKING_PROFILE = "install_blocking_profile"
    WIPE = "wipe"
    # Ends the station's own access to the phone, so a workflow may only name it as its last item; it runs
    # after every other item was judged on the fresh reading, and only when none that is mandatory failed.
    SEAL = "seal"


class Handout(StrEnum):
    """How an Android phone leaves the depot after Test Harness Mode, which wipes it but leaves it set up for
    testing (setup skipped, lock screen off, package verification and automatic updates off, USB debugging
    on with this station's key kept). iPhones have no such mode: their erase already ends at Setup Assistant."""

    # The settings Test Harness Mode changed are put back and read back, then the phone is sealed: it goes
    # out set up, without a Google account or screen lock, for a user who adds their own.
    RESTORE_SETTINGS = "restore-settings"
    # The last step is a factory reset chosen by hand in recovery: the phone goes out at its setup screens,
    # for enrolment in the organisation's device management, and the reset itself ends the station's access.
    GUIDED_RESET = "guided-reset"


class SealState(StrEnum):
    SEALED = "sealed"  # the station saw its own access end
    NOT_SEALED = "not_sealed"


@dataclass(frozen=True)
class SealOutcome:
    """What the seal step did: sealed at ``time`` (UTC, when the station saw its access end), or why not.
    ``handout`` is how an Android phone went out (None for an iPhone, or a phone the seal did not reach)."""

    state: SealState
    said: Said  # how, or why not: "not sealed: ..." when not
    time: str | None = None
    handout: Handout | None = None

    @property
    def sealed(self) -> bool:
        return self.state is SealState.SEALED

    @property
    def evidence(self) -> str:
        return str(self.said)

    @property
    def reason(self) -> Said:
        """Why not, without the "not sealed" its evidence begins with."""
        values = dict(self.said.values)
        why = values.get("why")
        return why if self.said.saying is Saying.NOT_SEALED and isinstance(why, Said) else self.said

    def as_record(self) -> dict[str, Any]:
        return {"state": str(self.state), "evidence": self.evidence, "said": self.said.to_json(), "time": self.time,
                "handout": None if self.handout is None else str(self.handout)}

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> SealOutcome:
        handout = data.get("handout")
        said = Said.from_json(data["said"]) if isinstance(data.get("said"), dict) else None
        return cls(SealState(data["state"]), said or Said.as_is(str(data["evidence"])), data.get("time"),
                   None if handout is None else Handout(handout))


class Purpose(StrEnum):
    """What a workflow is for: a phone going out, or one coming back."""

    PROVISION = "provision"
    RETURN = "return"


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    mandatory: bool
    check: str | None = None
    action: Action | None = None
    params: dict[str, Any] = field(default_factory=dict)
    title_fr: str | None = None  # the title in French, when the workflow gives it

    def title_in(self, language: Language) -> str:
        """The item's title in ``language``; the English one when the workflow has no French."""
        return self.title_fr if language is Language.FR and self.title_fr else self.title

    def expected(self, platform: Platform) -> Any:
        """The item's expected value for this platform (``android = ...`` / ``ios = ...``), or None."""
        return self.params.get(str(platform))


@dataclass(frozen=True)
class Workflow:
    id: str
    name: str
    purpose: Purpose
    items: tuple[Item, ...]
    path: str
    name_fr: str | None = None  # the name in French, when the workflow gives it
    handout: Handout = Handout.RESTORE_SETTINGS  # how an Android phone leaves the depot (see Handout)

    def name_in(self, language: Language) -> str:
        return self.name_fr if language is Language.FR and self.name_fr else self.name

    @property
    def checks(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.check)

    @property
    def actions(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.action)

    @property
    def seal(self) -> Item | None:
        """The item that seals the phone, if the workflow has one (always its last)."""
        last = self.items[-1] if self.items else None
        return last if last is not None and last.action is Action.SEAL else None


@dataclass(frozen=True)
class Evidence:
    """Everything read from one phone at one moment; checks are judged on it alone."""

    identity: DeviceIdentity
    inventory: Inventory
    facts: DeviceFacts
    policy: Policy
    today: dt.date


@dataclass(frozen=True)
class Verdict:
    status: Status
    said: Said

    @property
    def evidence(self) -> str:
        """The evidence in English, as the log records it beside what it said."""
        return str(self.said)


@dataclass(frozen=True)
class ItemResult:
    """One checklist item's outcome, with the evidence that decided it."""

    item: Item
    status: Status
    said: Said

    @property
    def evidence(self) -> str:
        return str(self.said)

    @property
    def fails_phone(self) -> bool:
        """A mandatory item that failed: the phone is not ready."""
        return self.item.mandatory and self.status is Status.FAIL


def failing(results: Iterable[ItemResult]) -> list[ItemResult]:
    """The results that keep a phone from being ready."""
    return [result for result in results if result.fails_phone]


Check = Callable[[Item, Evidence], Verdict]


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def _verdict(status: Status, saying: Saying, **values: object) -> Verdict:
    return Verdict(status, Said.of(saying, **values))


def _no_banned_apps(item: Item, ev: Evidence) -> Verdict:
    found = ev.policy.findings(ev.identity.platform, ev.inventory.apps)
    if found:
        names = ", ".join(sorted({f"{f.app_id} ({f.rule_app})" for f in found}))
        return _verdict(Status.FAIL, Saying.BANNED_FOUND, names=names)
    if ev.inventory.unreadable_users:
        return _verdict(Status.FAIL, Saying.USERS_UNREADABLE, users=", ".join(map(str, ev.inventory.unreadable_users)))
    return _verdict(Status.PASS, Saying.NO_BANNED, count=len(ev.inventory.apps), policy=ev.policy.id, version=ev.policy.version)


def _os_version_at_least(item: Item, ev: Evidence) -> Verdict:
    minimum = str(item.expected(ev.identity.platform))
    ok = _version(ev.identity.os_version) >= _version(minimum)
    return _verdict(Status.PASS if ok else Status.FAIL, Saying.OS_VERSION, version=ev.identity.os_version, minimum=minimum)


def _security_patch_within(item: Item, ev: Evidence) -> Verdict:
    days = int(item.expected(ev.identity.platform))
    patch = ev.identity.security_patch
    try:
        level = dt.date.fromisoformat(patch or "")
    except ValueError:
        return _verdict(Status.FAIL, Saying.PATCH_UNREADABLE, patch=repr(patch))
    age = (ev.today - level).days
    return _verdict(Status.PASS if age <= days else Status.FAIL, Saying.PATCH_AGE, patch=patch, age=age, days=days)


def _fact(value: bool | None, good: bool, yes: Saying, no: Saying, unknown: Saying) -> Verdict:
    if value is None:
        return _verdict(Status.FAIL, unknown)
    return _verdict(Status.PASS if value == good else Status.FAIL, yes if value else no)


def _encrypted(item: Item, ev: Evidence) -> Verdict:
    if ev.identity.platform is Platform.IOS:
        return _fact(ev.facts.passcode_set, True, Saying.PASSCODE_SET, Saying.NO_PASSCODE, Saying.PASSCODE_UNKNOWN)
    return _fact(ev.facts.encrypted, True, Saying.ENCRYPTED, Saying.NOT_ENCRYPTED, Saying.ENCRYPTION_UNKNOWN)


def _boot_locked(item: Item, ev: Evidence) -> Verdict:
    boot, locked = ev.facts.verified_boot, ev.facts.bootloader_locked
    ok = boot == "green" and locked is not False
    saying = Saying.BOOT_LOCKED if locked else Saying.BOOT_UNLOCKED if locked is False else Saying.BOOT_LOCK_UNKNOWN
    return Verdict(Status.PASS if ok else Status.FAIL,
                   Said.of(saying, boot=boot or Said.of(Saying.HEALTH_UNKNOWN)))


def _not_compromised(item: Item, ev: Evidence) -> Verdict:
    if ev.facts.root_signs:
        saying = Saying.JAILBREAK_SIGNS if ev.identity.platform is Platform.IOS else Saying.ROOT_SIGNS
        return _verdict(Status.FAIL, saying, signs="; ".join(ev.facts.root_signs))
    return _verdict(Status.PASS, Saying.NOT_COMPROMISED)


def _developer_options_off(item: Item, ev: Evidence) -> Verdict:
    return _fact(ev.facts.developer_options, False, Saying.DEVELOPER_ON, Saying.DEVELOPER_OFF, Saying.DEVELOPER_UNKNOWN)


def _unknown_sources_off(item: Item, ev: Evidence) -> Verdict:
    if ev.facts.unknown_sources is None:
        return _verdict(Status.PASS, Saying.NO_UNKNOWN_SOURCES_SWITCH)
    return _fact(ev.facts.unknown_sources, False, Saying.UNKNOWN_SOURCES_ON, Saying.UNKNOWN_SOURCES_OFF,
                 Saying.NO_UNKNOWN_SOURCES_SWITCH)


def _required_apps(item: Item, ev: Evidence) -> Verdict:
    required = set(item.expected(ev.identity.platform) or [])
    missing = sorted(required - ev.inventory.app_ids())
    if missing:
        return _verdict(Status.FAIL, Saying.APPS_MISSING, apps=", ".join(missing))
    if required:
        return _verdict(Status.PASS, Saying.APPS_PRESENT, apps=", ".join(sorted(required)))
    return _verdict(Status.PASS, Saying.NONE_REQUIRED)


def _factory_fresh(item: Item, ev: Evidence) -> Verdict:
    user_apps = sorted({app.app_id for app in ev.inventory.apps if not app.system})
    if user_apps:
        return _verdict(Status.FAIL, Saying.USER_APPS_REMAIN, count=len(user_apps), apps=", ".join(user_apps[:10]))
    return _verdict(Status.PASS, Saying.FACTORY_FRESH, count=len(ev.inventory.apps))


def _supervised(item: Item, ev: Evidence) -> Verdict:
    return _fact(ev.identity.supervised, True, Saying.SUPERVISED, Saying.NOT_SUPERVISED, Saying.SUPERVISED_UNKNOWN)


def _blocking_profile(item: Item, ev: Evidence) -> Verdict:
    identifier = blocking_profile_id(ev.policy)
    names = {profile.identifier for profile in ev.facts.profiles}
    if identifier in names:
        return _verdict(Status.PASS, Saying.PROFILE_INSTALLED, profile=identifier)
    if names:
        return _verdict(Status.FAIL, Saying.PROFILE_MISSING, profile=identifier, installed=", ".join(sorted(names)))
    return _verdict(Status.FAIL, Saying.PROFILE_MISSING_NONE, profile=identifier)


def _no_account_lock(item: Item, ev: Evidence) -> Verdict:
    lock = account_lock(ev.identity.platform, ev.facts)
    if lock.clear:
        return Verdict(Status.PASS, lock.said)
    gate = Said.of(Saying.GATE_LOCKED if lock.gate is LockGate.LOCKED else Saying.GATE_UNKNOWN)
    return Verdict(Status.FAIL, Said.of(Saying.LOCK_FAILS, gate=gate, evidence=lock.said, remedy=lock.remedy_said))


def _battery_healthy(item: Item, ev: Evidence) -> Verdict:
    """The battery's own health verdict, and the charge it holds against its design where the phone says."""
    minimum = int(item.expected(ev.identity.platform))
    battery = ev.facts.battery
    if battery is None:
        return _verdict(Status.FAIL, Saying.BATTERY_MISSING)
    said = battery_said(battery)
    if battery.health not in (BatteryHealth.GOOD, BatteryHealth.UNKNOWN):
        return _verdict(Status.FAIL, Saying.BATTERY_UNHEALTHY, health=health_said(battery.health), summary=said)
    if battery.capacity_percent is not None and battery.capacity_percent < minimum:
        return _verdict(Status.FAIL, Saying.BATTERY_WORN, capacity=battery.capacity_percent, minimum=minimum, summary=said)
    return Verdict(Status.PASS, said)


def health_said(health: BatteryHealth) -> Said:
    return Said.of(Saying(f"health_{health.value}"))


def battery_said(battery: Battery) -> Said:
    """One line an operator reads: level, health and whatever else the phone told."""
    parts = [Said.of(Saying.BATTERY_LEVEL, level=battery.level), Said.of(Saying.BATTERY_HEALTH, health=health_said(battery.health))]
    if battery.capacity_percent is not None:
        parts.append(Said.of(Saying.BATTERY_CAPACITY, capacity=battery.capacity_percent))
    if battery.cycle_count is not None:
        parts.append(Said.of(Saying.BATTERY_CYCLES, cycles=battery.cycle_count))
    if battery.temperature_c is not None:
        parts.append(Said.of(Saying.BATTERY_TEMPERATURE, celsius=f"{battery.temperature_c:g}"))
    return Said.listing(*parts)


def battery_summary(battery: Battery) -> str:
    return str(battery_said(battery))


def blocking_profile_id(policy: Policy) -> str:
    """The identifier of the profile that blocks a policy's apps; a policy change gets a new profile."""
    return f"org.depot-station.block.{policy.id}.{policy.sha256[:12]}"


# check name -> (the platforms it applies to, the function judging it)
CHECKS: dict[str, tuple[frozenset[Platform], Check]] = {
    "no_banned_apps": (frozenset(Platform), _no_banned_apps),
    "os_version_at_least": (frozenset(Platform), _os_version_at_least),
    "security_patch_within_days": (frozenset({Platform.ANDROID}), _security_patch_within),
    "storage_encrypted": (frozenset(Platform), _encrypted),
    "verified_boot_locked": (frozenset({Platform.ANDROID}), _boot_locked),
    "not_rooted_or_jailbroken": (frozenset(Platform), _not_compromised),
    "developer_options_off": (frozenset({Platform.ANDROID}), _developer_options_off),
    "unknown_sources_off": (frozenset({Platform.ANDROID}), _unknown_sources_off),
    "required_apps": (frozenset(Platform), _required_apps),
    "factory_fresh": (frozenset(Platform), _factory_fresh),
    "supervised": (frozenset({Platform.IOS}), _supervised),
    "blocking_profile_installed": (frozenset({Platform.IOS}), _blocking_profile),
    "no_account_lock": (frozenset(Platform), _no_account_lock),
    "battery_healthy": (frozenset(Platform), _battery_healthy),
}

# action -> the platforms it applies to
ACTIONS: dict[Action, frozenset[Platform]] = {
    Action.REMOVE_BANNED_APPS: frozenset(Platform),
    Action.INSTALL_REQUIRED_APPS: frozenset({Platform.ANDROID}),
    Action.APPLY_SETTINGS: frozenset({Platform.ANDROID}),
    Action.INSTALL_BLOCKING_PROFILE: frozenset({Platform.IOS}),
    Action.WIPE: frozenset(Platform),
    Action.SEAL: frozenset(Platform),
}

# Checks whose expected value is given per platform, and what it must look like.
_EXPECTED: dict[str, tuple[type, str]] = {
    "os_version_at_least": (str, 'a version such as "14" or "17.5"'),
    "security_patch_within_days": (int, "a number of days"),
    "battery_healthy": (int, "the least capacity, in percent of the battery's design, that passes"),
    "required_apps": (list, "a list of app ids"),
    "install_required_apps": (list, "a list of APK files (paths relative to the workflow file)"),
    "apply_settings": (dict, 'a table of "system|secure|global.KEY" = "value"'),
}


# Why a check does not apply, where the reason is more than "not this platform".
_NOT_APPLICABLE = {
    ("blocking_profile_installed", Platform.ANDROID): Saying.NO_PROFILE_ON_ANDROID,
    ("supervised", Platform.ANDROID): Saying.SUPERVISION_ON_ANDROID,
}


def not_applicable(check: str, platform: Platform) -> Verdict:
    saying = _NOT_APPLICABLE.get((check, platform))
    return Verdict(Status.SKIPPED, Said.of(saying) if saying else Said.of(Saying.NOT_APPLICABLE, platform=platform))


def judge(item: Item, evidence: Evidence) -> Verdict:
    platforms, check = CHECKS[item.check or ""]
    platform = evidence.identity.platform
    if platform not in platforms or (item.check in _EXPECTED and item.expected(platform) is None):
        return not_applicable(item.check or "", platform)
    return check(item, evidence)


def applies(item: Item, platform: Platform) -> bool:
    if item.action:
        return platform in ACTIONS[item.action]
    return platform in CHECKS[item.check or ""][0]


def load_workflow(path: str | Path) -> Workflow:
    """Read and validate one workflow file; WorkflowError names the file, item and key on any problem."""
    document = read_toml(path, WorkflowError)
    folder = Path(document.path).parent
    valid = validate(_WorkflowFile, document.data, document.path, WorkflowError, context={"folder": folder})
    head = valid.workflow
    return Workflow(head.id, head.name, Purpose(head.purpose), tuple(entry.to_item(folder) for entry in valid.item), document.path,
                    head.name_fr, Handout(head.handout))


class _WorkflowHead(Table):
    id: Text
    name: Text
    name_fr: Text | None = None
    purpose: Literal["provision", "return"]
    handout: Literal["restore-settings", "guided-reset"] = "restore-settings"


class _ItemEntry(Table):
    label: ClassVar[str] = "id"

    id: Annotated[Text, matching(r"[a-z0-9][a-z0-9-]*", "an id: use lower-case letters, digits and dashes")]
    title: Text
    title_fr: Text | None = None
    check: Annotated[str, one_of(tuple(CHECKS))] | None = None
    action: Annotated[str, one_of(tuple(ACTIONS))] | None = None
    mandatory: bool | None = None  # unset: checks are mandatory, actions are not
    # The expected value per platform: its shape depends on the check or action (see _EXPECTED).
    android: object = None
    ios: object = None

    @property
    def params(self) -> dict[str, object]:
        return {key: value for key, value in (("android", self.android), ("ios", self.ios)) if value is not None}

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> _ItemEntry:
        if (self.check is None) == (self.action is None):
            raise ValueError("give exactly one of check or action")
        named = self.check or self.action or ""
        params = self.params
        if named not in _EXPECTED:
            if params:
                raise KeyProblem((next(iter(params)),), f"{named} takes no expected value")
            return self
        kind, meaning = _EXPECTED[named]
        if not params:
            raise ValueError(f"give the expected value for android and/or ios: {meaning}")
        for key, value in params.items():
            if not isinstance(value, kind) or isinstance(value, bool):
                raise KeyProblem((key,), f"must be {meaning}")
        android = self.android
        if named == "install_required_apps" and isinstance(android, list):
            folder = Path(str(info.context["folder"])) if info.context else Path()
            for position, apk in enumerate(android):
                if not isinstance(apk, str) or not (folder / apk).is_file():
                    raise KeyProblem(("android", position), f"no such APK file: {apk!r} (paths are relative to the workflow file)")
        if named == "apply_settings" and isinstance(android, dict):
            for key, value in android.items():
                if key.partition(".")[0] not in ("system", "secure", "global") or not isinstance(value, str):
                    raise KeyProblem(("android", key), 'write "system|secure|global.KEY" = "value"')
        return self

    def to_item(self, folder: Path) -> Item:
        params: dict[str, Any] = self.params
        if self.action == "install_required_apps":
            params = {"android": [str((folder / apk).resolve()) for apk in params["android"]]}
        mandatory = self.check is not None if self.mandatory is None else self.mandatory
        return Item(self.id, self.title, mandatory, self.check, None if self.action is None else Action(self.action), params,
                    self.title_fr)


def _distinct_ids(items: list[_ItemEntry]) -> list[_ItemEntry]:
    unique([item.id for item in items], "used by an earlier item", key="id")
    return items


def _seal_last(items: list[_ItemEntry]) -> list[_ItemEntry]:
    """Sealing ends the station's access to the phone: nothing could run after it."""
    for position, item in enumerate(items[:-1]):
        if item.action == Action.SEAL:
            raise KeyProblem((position, "action"), "seal ends the station's access to the phone: make it the workflow's last item")
    return items


class _WorkflowFile(Table):
    workflow: _WorkflowHead
    item: Annotated[list[_ItemEntry], Field(min_length=1), AfterValidator(_distinct_ids), AfterValidator(_seal_last)]
