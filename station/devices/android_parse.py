"""Pure parsers of what Android's shell prints. Each takes the text and raises ValueError on garbage."""

from __future__ import annotations

import re
from dataclasses import dataclass

from station.core.models import Account, Battery, BatteryHealth

_GETPROP_LINE = re.compile(r"^\[(?P<key>[^\]]*)\]: \[(?P<value>.*)\]$")
_GETPROP_START = re.compile(r"^\[(?P<key>[^\]]*)\]: \[(?P<value>[^\]]*)$")  # a value that goes on below
_USER_LINE = re.compile(r"^\s*UserInfo\{(?P<id>\d+):(?P<name>[^:]*):(?P<flags>[0-9a-fA-F]+)\}")
_PACKAGE_NAME = re.compile(r"^[A-Za-z0-9_]+(\.[A-Za-z0-9_-]+)*$")


@dataclass(frozen=True)
class PackageLine:
    """One line of ``pm list packages -f -i -U --show-versioncode``."""

    name: str
    apk_path: str | None = None
    version_code: str | None = None
    installer: str | None = None
    uid: int | None = None


def _lines(text: str) -> list[str]:
    """Lines without the carriage returns an old phone's pty adds, and without blank ones."""
    return [line.rstrip("\r") for line in text.splitlines() if line.strip("\r\n\t ")]


def parse_getprop(text: str) -> dict[str, str]:
    """Bare ``getprop`` output: ``[key]: [value]`` lines. A value holding newlines (real phones'
    persist.sys.boot.reason.history) runs on until a line ending with ``]``: those lines are its value, not
    properties of their own. Other lines are skipped, but output with no property at all is an error."""
    props: dict[str, str] = {}
    open_key: str | None = None
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        if open_key is not None:
            if line.endswith("]"):
                props[open_key] += "\n" + line[:-1]
                open_key = None
            else:
                props[open_key] += "\n" + line
            continue
        match = _GETPROP_LINE.match(line)
        if match:
            props[match["key"]] = match["value"]
            continue
        start = _GETPROP_START.match(line)
        if start:
            open_key = start["key"]
            props[open_key] = start["value"]
    if not props:
        raise ValueError(f"getprop printed no properties: {text[:120]!r}")
    return props


def parse_users(text: str) -> list[tuple[int, str]]:
    """``pm list users``: the user ids (0 is the owner; work profiles and second users follow)."""
    lines = _lines(text)
    if not lines or lines[0].strip() != "Users:":
        raise ValueError(f"pm list users did not start with 'Users:': {text[:120]!r}")
    users = []
    for line in lines[1:]:
        match = _USER_LINE.match(line)
        if not match:
            raise ValueError(f"pm list users: unexpected line {line[:120]!r}")
        users.append((int(match["id"]), match["name"]))
    if not users:
        raise ValueError("pm list users listed no user")
    return users


_SHELL_DENIED = re.compile(r"SecurityException: Shell does not have permission to access user (\d+)")


def shell_denied_user(text: str) -> int | None:
    """The user whose apps the shell was refused (a Samsung Secure Folder, user 150, or a work profile):
    pm prints the exception instead of a list (mozilla/web-ext#2904, cocool97/adb_client#99)."""
    found = _SHELL_DENIED.search(text)
    return int(found.group(1)) if found else None


def parse_package_list(text: str) -> list[PackageLine]:
    """``pm list packages`` with any of -f, -i, -U, --show-versioncode.

    Line shape: ``package:[<apk path>=]<name>[ versionCode:N][  installer=<pkg|null>][ uid:N]``.
    The apk path itself may contain '=' (e.g. base64 folder names), so the name is after the last '='
    of the first field.
    """
    packages = []
    for line in _lines(text):
        if not line.startswith("package:"):
            raise ValueError(f"pm list packages: unexpected line {line[:120]!r}")
        fields = line[len("package:"):].split()
        if not fields:
            raise ValueError(f"pm list packages: empty entry {line[:120]!r}")
        first, rest = fields[0], fields[1:]
        apk_path, _, name = first.rpartition("=")
        if not _PACKAGE_NAME.match(name):
            raise ValueError(f"pm list packages: {name[:120]!r} is not a package name")
        version_code = installer = None
        uid = None
        for field in rest:
            key, sep, value = field.partition(":") if field.startswith(("versionCode:", "uid:")) else field.partition("=")
            if not sep:
                raise ValueError(f"pm list packages: unexpected field {field[:120]!r}")
            if key == "versionCode":
                version_code = value
            elif key == "installer":
                installer = None if value == "null" else value
            elif key == "uid":
                uid = int(value.split(",")[0])
            else:
                raise ValueError(f"pm list packages: unexpected field {field[:120]!r}")
        packages.append(PackageLine(name, apk_path or None, version_code, installer, uid))
    return packages


def parse_uninstall(text: str) -> str | None:
    """``pm uninstall``: None on Success, else the phone's failure text."""
    lines = _lines(text)
    if lines and lines[-1].strip() == "Success":
        return None
    return " ".join(line.strip() for line in lines) or "the phone printed nothing"


def present_paths(ls_output: str, paths: tuple[str, ...]) -> list[str]:
    """Which of ``paths`` ``ls`` listed (it prints an existing file's path alone on its line, and an
    error line naming a missing one)."""
    listed = {line.strip() for line in _lines(ls_output)}
    return [path for path in paths if path in listed]


def parse_setting(value: str) -> bool | None:
    """``settings get`` of an on/off setting: True, False, or None when unset ("null")."""
    text = value.strip()
    if text in {"1", "0"}:
        return text == "1"
    if text in {"null", ""}:
        return None
    raise ValueError(f"settings get printed {text[:60]!r}, not 0, 1 or null")


_USER_HEADER = re.compile(r"^User UserInfo\{(?P<id>\d+):")
_ACCOUNT_COUNT = re.compile(r"^Accounts: (?P<count>\d+)$")
_ACCOUNT_LINE = re.compile(r"^Account \{name=(?P<rest>.*)\}$")


def parse_accounts(text: str) -> list[Account]:
    """``dumpsys account``: for each user ``User UserInfo{0:Owner:c13}:``, then ``Accounts: N`` and N lines
    ``Account {name=NAME, type=TYPE}`` (AccountManagerService.dumpUser, Account.toString). The count must
    match the lines that follow, so a reply cut short is an error rather than fewer accounts."""
    accounts: list[Account] = []
    user, expected, seen, counted = 0, 0, 0, False
    for raw in _lines(text):
        line = raw.strip()
        header = _USER_HEADER.match(line)
        if header:
            user = int(header["id"])
            continue
        count = _ACCOUNT_COUNT.match(line)
        if count:
            if seen != expected:
                raise ValueError(f"dumpsys account: {expected} accounts announced, {seen} listed")
            expected, seen, counted = int(count["count"]), 0, True
            continue
        account = _ACCOUNT_LINE.match(line)
        if account and seen < expected:
            name, sep, kind = account["rest"].rpartition(", type=")
            if not sep:
                raise ValueError(f"dumpsys account: unexpected line {line[:120]!r}")
            accounts.append(Account(kind, name, user))
            seen += 1
    if not counted:
        raise ValueError(f"dumpsys account listed no accounts section: {text[:120]!r}")
    if seen != expected:
        raise ValueError(f"dumpsys account: {expected} accounts announced, {seen} listed")
    return accounts


_OWNER_LINE = re.compile(r"^User\s+(?P<user>\d+): admin=(?P<admin>[^,\s]+)(?P<flags>(,\S+)*)$")
_OWNER_KINDS = {"DeviceOwner": "device owner", "ProfileOwner": "profile owner"}


def parse_owners(text: str) -> list[str]:
    """``dpm list-owners`` (Android 12+, DevicePolicyManagerServiceShellCommand.runListOwners): ``no owners``
    (``none`` before Android 13), or ``N owner(s):`` then ``User %2d: admin=PKG/.Receiver,DeviceOwner,...``.
    Each owner becomes a sentence; anything else (an older dpm's usage text) is a ValueError."""
    lines = [line.strip() for line in _lines(text)]
    if lines in (["no owners"], ["none"]):
        return []
    if not lines or not re.fullmatch(r"\d+ owners?:", lines[0]):
        raise ValueError(f"dpm list-owners: unexpected reply {text[:120]!r}")
    owners = []
    for line in lines[1:]:
        match = _OWNER_LINE.match(line)
        if not match:
            raise ValueError(f"dpm list-owners: unexpected line {line[:120]!r}")
        flags = match["flags"].strip(",").split(",") if match["flags"] else []
        kinds = [_OWNER_KINDS[flag] for flag in flags if flag in _OWNER_KINDS]
        if any(flag.startswith("ManagedProfileOwner") for flag in flags):
            kinds = ["work profile owner"]
        owners.append(f"{' and '.join(kinds) or 'owner'} {match['admin']} (user {match['user']})")
    if len(owners) != int(lines[0].split()[0]):
        raise ValueError(f"dpm list-owners: {lines[0]!r} but {len(owners)} listed")
    return owners


_BATTERY_FIELD = re.compile(r"^\s+(?P<key>[A-Za-z][A-Za-z ]*?):\s*(?P<value>.*)$")
# BatteryManager.BATTERY_HEALTH_*: 1 unknown, 2 good, 3 overheat, 4 dead, 5 over voltage, 6 failure, 7 cold
_HEALTH = {1: BatteryHealth.UNKNOWN, 2: BatteryHealth.GOOD, 3: BatteryHealth.OVERHEAT, 4: BatteryHealth.DEAD,
           5: BatteryHealth.OVER_VOLTAGE, 6: BatteryHealth.FAILURE, 7: BatteryHealth.COLD}
_CHARGING = 2  # BatteryManager.BATTERY_STATUS_CHARGING


def parse_battery(text: str) -> Battery:
    """``dumpsys battery`` (BatteryService.dumpInternal): ``Current Battery Service state:`` then indented
    ``key: value`` lines. The first of a repeated key counts (Samsung adds a lower-case ``charge counter``);
    Samsung's ``mSavedBatteryAsoc`` is the capacity it still holds, in percent of its design."""
    lines = _lines(text)
    if not lines or lines[0].strip() != "Current Battery Service state:":
        raise ValueError(f"dumpsys battery: unexpected reply {text[:120]!r}")
    fields: dict[str, str] = {}
    for line in lines[1:]:
        match = _BATTERY_FIELD.match(line)
        if match:
            fields.setdefault(match["key"].lower(), match["value"].strip())

    def number(key: str) -> int | None:
        value = fields.get(key)
        if value is None:
            return None
        if not re.fullmatch(r"-?\d+", value):
            raise ValueError(f"dumpsys battery: {key} is {value[:40]!r}, not a number")
        return int(value)

    level, health = number("level"), number("health")
    if level is None or health is None:
        raise ValueError("dumpsys battery: no level or health")
    temperature, status, counter = number("temperature"), number("status"), number("charge counter")
    return Battery(
        level=level,
        health=_HEALTH.get(health, BatteryHealth.UNKNOWN),
        charging=None if status is None else status == _CHARGING,
        temperature_c=None if temperature is None else temperature / 10,
        cycle_count=number("cycle count"),
        capacity_percent=number("msavedbatteryasoc"),
        charge_counter_uah=counter if counter and counter > 0 else None,
    )
