"""A small /system/bin/sh over a SimAndroidPhone, printing what a real Android 8-15 phone prints.

Only what the station (and an engineer poking with `adb shell`) needs: `;`, `&&`, `||`, `$?`,
quoting, and the pm/cmd/getprop/settings/dumpsys/id/rm/ls commands. Every change goes to the
phone's state, so the next command sees it.
"""

from __future__ import annotations

import datetime
import shlex
import stat
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from station.sim.android.phone import SETTINGS_NAMESPACES, SimAndroidPhone, SimPackage, user_apk_path

APK_MAGIC = b"SIMAPK:"
SHELL_ID = (
    "uid=2000(shell) gid=2000(shell) groups=2000(shell),1004(input),1007(log),1011(adb),1015(sdcard_rw),"
    "1028(sdcard_r),3001(net_bt_admin),3002(net_bt),3003(inet),3006(net_bw_stats),3009(readproc),3011(uhid) "
    "context=u:r:shell:s0"
)
FILE_MODE = stat.S_IFREG | 0o644
DIR_MODE = stat.S_IFDIR | 0o771
BOOT_MTIME = 1705311000  # 2024-01-15: every file the fleet file did not push
_OPERATORS = (";", "&&", "||")
_PM_ERROR = 255
ALL_USERS = -1  # Android's UserHandle.USER_ALL: what pm acts on without --user


class _UsageError(Exception):
    """A command line pm or settings rejects; the message goes to stderr, exit 255."""


@dataclass
class ShellResult:
    """What one `shell` command line produced. ``merged`` keeps stdout and stderr interleaved as a
    terminal (and the legacy `shell:` service) would show them."""

    stdout: bytes
    stderr: bytes
    exit_code: int
    merged: bytes = b""


@dataclass
class _Output:
    stdout: list[bytes] = field(default_factory=list)
    stderr: list[bytes] = field(default_factory=list)
    merged: list[bytes] = field(default_factory=list)

    def out(self, text: str) -> None:
        data = text.encode()
        self.stdout.append(data)
        self.merged.append(data)

    def err(self, text: str) -> None:
        data = text.encode()
        self.stderr.append(data)
        self.merged.append(data)


Command = Callable[[list[str], _Output], int]


class AndroidShell:
    """Runs shell command lines against one phone's state."""

    def __init__(self, phone: SimAndroidPhone) -> None:
        self.phone = phone
        self._commands: dict[str, Command] = {
            "echo": self._echo, "pm": self._pm, "cmd": self._cmd, "getprop": self._getprop,
            "settings": self._settings, "dumpsys": self._dumpsys, "id": self._id, "rm": self._rm,
            "ls": self._ls, "reboot": self._reboot, "true": lambda args, out: 0, "false": lambda args, out: 1,
        }

    def run(self, command: str) -> ShellResult:
        out = _Output()
        status = 0
        try:
            sequence = _split(command)
        except ValueError as exc:
            out.err(f"/system/bin/sh: syntax error: {exc}\n")
            return _result(out, 2)
        for operator, words in sequence:
            if (operator == "&&" and status != 0) or (operator == "||" and status == 0):
                continue
            words = [word.replace("$?", str(status)) for word in words]
            status = self._run_one(words, out) if words else status
        return _result(out, status)

    def _run_one(self, words: list[str], out: _Output) -> int:
        handler = self._commands.get(words[0])
        if handler is None:
            out.err(f"/system/bin/sh: {words[0]}: not found\n")
            return 127
        try:
            return handler(words[1:], out)
        except _UsageError as exc:
            out.err(f"{exc}\n")
            return _PM_ERROR

    # ---- simple commands -------------------------------------------------------------------

    def _echo(self, args: list[str], out: _Output) -> int:
        newline = True
        if args[:1] == ["-n"]:
            newline, args = False, args[1:]
        out.out(" ".join(args) + ("\n" if newline else ""))
        return 0

    def _id(self, args: list[str], out: _Output) -> int:
        out.out(SHELL_ID + "\n")
        return 0

    def _getprop(self, args: list[str], out: _Output) -> int:
        props = self.phone.properties
        if args:
            out.out(props.get(args[0], args[1] if len(args) > 1 else "") + "\n")
        else:
            out.out("".join(f"[{key}]: [{props[key]}]\n" for key in sorted(props)))
        return 0

    def _settings(self, args: list[str], out: _Output) -> int:
        if len(args) < 2 or args[0] not in ("get", "put", "list"):
            raise _UsageError("usage:  settings [--user <USER_ID> | current] get namespace key\n"
                              "        settings [--user <USER_ID> | current] put namespace key value\n"
                              "        settings [--user <USER_ID> | current] list namespace")
        verb, namespace, rest = args[0], args[1], args[2:]
        if namespace not in SETTINGS_NAMESPACES:
            raise _UsageError(f"Invalid namespace '{namespace}'")
        values = self.phone.settings[namespace]
        if verb == "get" and len(rest) == 1:
            out.out(values.get(rest[0], "null") + "\n")
        elif verb == "put" and len(rest) == 2:
            values[rest[0]] = rest[1]
        elif verb == "list" and not rest:
            out.out("".join(f"{key}={values[key]}\n" for key in sorted(values)))
        else:
            raise _UsageError(f"Bad arguments for settings {verb}")
        return 0

    def _dumpsys(self, args: list[str], out: _Output) -> int:
        if len(args) != 2 or args[0] != "package":
            out.err("dumpsys: the simulator only knows 'dumpsys package PKG'\n")
            return 1
        package = self.phone.packages.get(args[1])
        if package is None:
            out.out(f"Unable to find package: {args[1]}\n")
            return 0
        out.out(_dumpsys_package(package, self.phone.sdk, sorted(self.phone.users)))
        return 0

    def _rm(self, args: list[str], out: _Output) -> int:
        flags = [arg for arg in args if arg.startswith("-")]
        force = any("f" in flag for flag in flags)
        status = 0
        for path in (arg for arg in args if not arg.startswith("-")):
            if path in self.phone.files:
                del self.phone.files[path]
            elif path in self.phone.directories:
                out.err(f"rm: {path}: is a directory\n")
                status = 1
            elif not force:
                out.err(f"rm: {path}: No such file or directory\n")
                status = 1
        return status

    def _ls(self, args: list[str], out: _Output) -> int:
        status = 0
        for path in [arg for arg in args if not arg.startswith("-")] or ["/"]:
            path = path.rstrip("/") or "/"
            if path in self.phone.files:
                out.out(path + "\n")
            elif path in self.phone.directories:
                out.out("".join(name + "\n" for name in list_dir(self.phone, path)))
            else:
                out.err(f"ls: {path}: No such file or directory\n")
                status = 1
        return status

    # ---- pm and cmd package -----------------------------------------------------------------

    def _cmd(self, args: list[str], out: _Output) -> int:
        if args[:1] == ["testharness"]:
            return self._testharness(args[1:], out)
        if args[:1] != ["package"]:
            out.err(f"cmd: Can't find service: {args[0] if args else ''}\n")
            return 20
        return self._pm(args[1:], out)

    def _testharness(self, args: list[str], out: _Output) -> int:
        """`cmd testharness enable` (Android 10+): a factory reset that keeps adb on and the adb keys."""
        if args != ["enable"] or self.phone.sdk < 29:
            out.err("cmd: Can't find service: testharness\n" if self.phone.sdk < 29 else "Unknown command\n")
            return 20 if self.phone.sdk < 29 else 255
        if self.phone.lock_screen:
            out.err("Test Harness Mode cannot be enabled if there is a lock credential (pattern, pin, or password) set.\n")
            return 1
        self.phone.factory_reset()
        self.phone.reboot_requested = "system"
        return 0

    def _reboot(self, args: list[str], out: _Output) -> int:
        """`reboot [recovery|bootloader]`; the shell user may restart the phone."""
        if args[:1] not in ([], ["recovery"]):
            out.err(f"reboot: {args[0]}: not supported by this phone\n")
            return 1
        self.phone.reboot_requested = args[0] if args else "system"
        return 0

    def _pm(self, args: list[str], out: _Output) -> int:
        verbs: dict[str, Command] = {
            "list": self._pm_list, "uninstall": self._pm_uninstall, "path": self._pm_path,
            "install": self._pm_install, "install-existing": self._pm_install_existing,
        }
        handler = verbs.get(args[0]) if args else None
        if handler is None:
            raise _UsageError(f"Unknown command: {args[0]}" if args else "usage: pm [list|path|install|uninstall] ...")
        return handler(args[1:], out)

    def _pm_list(self, args: list[str], out: _Output) -> int:
        if args[:1] == ["users"]:
            out.out("Users:\n" + "".join(
                f"\tUserInfo{{{user.id}:{user.name}:{user.flags}}} running\n" for user in self.phone.users.values()
            ))
            return 0
        if args[:1] != ["packages"]:
            raise _UsageError(f"Error: unknown list type '{args[0] if args else ''}'")
        options, user, positional = _options(args[1:], "fiUsd3eu", ("--show-versioncode",))
        if len(positional) > 1:
            raise _UsageError(f"Error: unexpected argument: {positional[1]}")
        name_filter = positional[0] if positional else ""
        lines = []
        for package in self.phone.packages.values():
            installed = user in package.users
            enabled = package.users.get(user, False)
            if not installed and "u" not in options:
                continue
            if ("s" in options and not package.system) or ("3" in options and package.system):
                continue
            if ("d" in options and (enabled or not installed)) or ("e" in options and not enabled):
                continue
            if name_filter not in package.id:
                continue
            line = "package:" + (f"{package.apk_path}=" if "f" in options else "") + package.id
            if "--show-versioncode" in options:
                line += f" versionCode:{package.version_code}"
            if "i" in options:
                line += f"  installer={package.installer or 'null'}"
            if "U" in options:
                line += f" uid:{package.uid_for(user)}"
            lines.append(line + "\n")
        out.out("".join(lines))
        return 0

    def _pm_uninstall(self, args: list[str], out: _Output) -> int:
        options, user, positional = _options(args, "k", (), default_user=ALL_USERS)
        if len(positional) != 1:
            raise _UsageError("Error: package name not specified")
        package = self.phone.packages.get(positional[0])
        target = 0 if user == ALL_USERS else user
        if package is None or target not in package.users:
            out.err(f"Failure [not installed for {target}]\n")
            return 1
        if user == ALL_USERS and package.system:
            out.err("Failure [DELETE_FAILED_INTERNAL_ERROR]\n")
            return 1
        if package.id in self.phone.sticky_apps:
            out.out("Success\n")  # the fault being simulated: the phone claims success and keeps the app
            return 0
        for removed in ([user] if user != ALL_USERS else list(package.users)):
            del package.users[removed]
        if not package.users and not package.system and "k" not in options:
            del self.phone.packages[package.id]
        out.out("Success\n")
        return 0

    def _pm_path(self, args: list[str], out: _Output) -> int:
        _, user, positional = _options(args, "", ())
        package = self.phone.packages.get(positional[0]) if len(positional) == 1 else None
        if package is None or user not in package.users:
            return 1
        out.out(f"package:{package.apk_path}\n")
        return 0

    def _pm_install(self, args: list[str], out: _Output) -> int:
        _, user, positional = _options(args, "rtgd", (), default_user=ALL_USERS)
        if len(positional) != 1:
            raise _UsageError("Error: must either specify a package size or an APK file")
        path = positional[0]
        data = self.phone.files.get(path)
        if data is None:
            out.err(f"Error: Unable to open file: {path}\nConsider using a file under /data/local/tmp/\n")
            return 1
        package_id = _apk_package(data)
        if package_id is None:
            out.err("Failure [INSTALL_FAILED_INVALID_APK]\n")
            return 1
        now = _now()
        package = self.phone.packages.get(package_id)
        if package is None:
            package = SimPackage(
                id=package_id, system=False, version_code=1, version_name="1.0", installer=None,
                apk_path=user_apk_path(package_id), app_uid=self.phone.next_app_uid(),
                first_install_time=now, last_update_time=now,
            )
            self.phone.packages[package_id] = package
        else:
            package.last_update_time = now
        for target in ([user] if user != ALL_USERS else list(self.phone.users)):
            package.users.setdefault(target, True)
        out.out("Success\n")
        return 0

    def _pm_install_existing(self, args: list[str], out: _Output) -> int:
        _, user, positional = _options(args, "", ("--wait", "--restrict-permissions", "--full", "--instant"))
        package = self.phone.packages.get(positional[0]) if len(positional) == 1 else None
        if package is None:
            name = positional[0] if positional else ""
            out.err(f"android.content.pm.PackageManager$NameNotFoundException: Package {name} doesn't exist\n")
            return _PM_ERROR
        package.users.setdefault(user, True)
        out.out(f"Package {package.id} installed for user: {user}\n")
        return 0


def list_dir(phone: SimAndroidPhone, path: str) -> list[str]:
    """Names directly inside ``path``, sorted, from the phone's files and folders."""
    prefix = path.rstrip("/") + "/"
    names = {
        entry[len(prefix):].split("/", 1)[0]
        for entry in (*phone.files, *phone.directories)
        if entry.startswith(prefix) and len(entry) > len(prefix)
    }
    return sorted(names)


def stat_path(phone: SimAndroidPhone, path: str) -> tuple[int, int, int] | None:
    """(mode, size, mtime) as sync STAT reports them, or None when nothing is there."""
    normalised = path.rstrip("/") or "/"
    if normalised in phone.files:
        return FILE_MODE, len(phone.files[normalised]), BOOT_MTIME
    if normalised in phone.directories:
        return DIR_MODE, 4096, BOOT_MTIME
    return None


def _split(command: str) -> list[tuple[str, list[str]]]:
    """Split a command line into (operator before it, words) pairs; the first operator is ';'."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    sequence: list[tuple[str, list[str]]] = []
    operator = ";"
    words: list[str] = []
    for token in lexer:
        if token in _OPERATORS:
            if not words:
                raise ValueError(f"unexpected '{token}'")
            sequence.append((operator, words))
            operator, words = token, []
        elif token and set(token) <= set(";&|"):
            raise ValueError(f"'{token}' is not supported by the simulator")
        else:
            words.append(token)
    if words:
        sequence.append((operator, words))
    elif operator in ("&&", "||"):
        raise ValueError(f"unexpected end after '{operator}'")
    return sequence


def _options(args: list[str], letters: str, long_options: tuple[str, ...], default_user: int = 0) -> tuple[set[str], int, list[str]]:
    """pm-style options: single-letter flags (combinable), long flags, `--user N`, then positionals."""
    options: set[str] = set()
    user = default_user
    positional: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--user":
            if index + 1 >= len(args):
                raise _UsageError("Error: no user id specified")
            value = args[index + 1]
            if value == "current":
                value = "0"
            if not value.isdigit():
                raise _UsageError(f"Error: bad user id: {value}")
            user = int(value)
            index += 1
        elif arg in long_options:
            options.add(arg)
        elif arg.startswith("-") and len(arg) > 1 and not positional:
            for letter in arg[1:]:
                if letter not in letters:
                    raise _UsageError(f"Error: Unknown option: -{letter}")
                options.add(letter)
        else:
            positional.append(arg)
        index += 1
    return options, user, positional


def _apk_package(data: bytes) -> str | None:
    """The package a simulated APK holds: the file starts with SIMAPK:<package id> and a newline."""
    if not data.startswith(APK_MAGIC) or b"\n" not in data:
        return None
    name = data[len(APK_MAGIC):data.index(b"\n")].decode("ascii", "replace").strip()
    return name if name and " " not in name and "." in name else None


def _now() -> str:
    return datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def _dumpsys_package(package: SimPackage, sdk: int, users: list[int]) -> str:
    code_path = package.apk_path.rsplit("/", 1)[0]
    signer = zlib.crc32(package.id.encode())
    flags = "SYSTEM HAS_CODE ALLOW_CLEAR_USER_DATA" if package.system else "HAS_CODE ALLOW_CLEAR_USER_DATA"
    lines = [
        "Packages:",
        f"  Package [{package.id}] ({package.app_uid:x}):",
        f"    userId={package.app_uid}",
        f"    pkg=Package{{{package.app_uid:x} {package.id}}}",
        f"    codePath={code_path}",
        f"    resourcePath={code_path}",
        f"    versionCode={package.version_code} minSdk=23 targetSdk={sdk}",
        f"    versionName={package.version_name}",
        f"    flags=[ {flags} ]",
        f"    timeStamp={package.last_update_time}",
        f"    firstInstallTime={package.first_install_time}",
        f"    lastUpdateTime={package.last_update_time}",
        f"    installerPackageName={package.installer or 'null'}",
        f"    signatures=PackageSignatures{{{signer:x} version:3, signatures:[{signer ^ 0x5A5A5A5:x}], past signatures:[]}}",
    ]
    for user in users:
        installed = user in package.users
        enabled = 0 if package.users.get(user, True) else 3
        lines.append(
            f"    User {user}: ceDataInode=0 installed={str(installed).lower()} hidden=false suspended=false "
            f"distractionFlags=0 stopped=false notLaunched=false enabled={enabled} instant=false virtual=false"
        )
    return "\n".join(lines) + "\n"


def _result(out: _Output, status: int) -> ShellResult:
    return ShellResult(b"".join(out.stdout), b"".join(out.stderr), status, b"".join(out.merged))
