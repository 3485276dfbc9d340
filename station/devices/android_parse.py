"""Pure parsers of what Android's shell prints. Each takes the text and raises ValueError on garbage."""

from __future__ import annotations

import re
from dataclasses import dataclass

_GETPROP_LINE = re.compile(r"^\[(?P<key>[^\]]*)\]: \[(?P<value>.*)\]$")
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
    """Bare ``getprop`` output: ``[key]: [value]`` lines. Lines of any other shape are skipped
    (a multi-line value's continuation), but output with no property at all is an error."""
    props: dict[str, str] = {}
    for line in _lines(text):
        match = _GETPROP_LINE.match(line)
        if match:
            props[match["key"]] = match["value"]
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
