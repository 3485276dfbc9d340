"""A small /system/bin/sh over a SimAndroidPhone, printing what a real Android 8-15 phone prints.

Only what the station (and an engineer poking with `adb shell`) needs: `;`, `&&`, `||`, `$?`,
quoting, and the pm/cmd/getprop/settings/dumpsys/dpm/id/rm/ls commands. Every change goes to the
phone's state, so the next command sees it. pm (pm.py) and dumpsys (dumpsys.py) live beside it.
"""

from __future__ import annotations

import functools
import shlex
from dataclasses import dataclass

from station.sim.android.command import PM_ERROR, Command, Output, UsageError
from station.sim.android.dpm import dpm
from station.sim.android.dumpsys import dumpsys
from station.sim.android.files import list_dir
from station.sim.android.locksettings import locksettings
from station.sim.android.phone import SETTINGS_NAMESPACES, SimAndroidPhone
from station.sim.android.pm import PackageManager

SHELL_ID = (
    "uid=2000(shell) gid=2000(shell) groups=2000(shell),1004(input),1007(log),1011(adb),1015(sdcard_rw),"
    "1028(sdcard_r),3001(net_bt_admin),3002(net_bt),3003(inet),3006(net_bw_stats),3009(readproc),3011(uhid) "
    "context=u:r:shell:s0"
)
_OPERATORS = (";", "&&", "||")


@dataclass
class ShellResult:
    """What one `shell` command line produced. ``merged`` keeps stdout and stderr interleaved as a
    terminal (and the legacy `shell:` service) would show them."""

    stdout: bytes
    stderr: bytes
    exit_code: int
    merged: bytes = b""


class AndroidShell:
    """Runs shell command lines against one phone's state."""

    def __init__(self, phone: SimAndroidPhone) -> None:
        self.phone = phone
        self._pm = PackageManager(phone)
        self._commands: dict[str, Command] = {
            "echo": self._echo, "pm": self._pm.run, "cmd": self._cmd, "getprop": self._getprop,
            "settings": self._settings, "dumpsys": functools.partial(dumpsys, phone), "id": self._id, "rm": self._rm,
            "ls": self._ls, "reboot": self._reboot, "dpm": functools.partial(dpm, phone),
            "locksettings": functools.partial(locksettings, phone),
            "true": lambda args, out: 0, "false": lambda args, out: 1,
        }

    def run(self, command: str) -> ShellResult:
        out = Output()
        status = 0
        try:
            sequence = _split(command)
        except ValueError as exc:
            out.err(f"/system/bin/sh: syntax error: {exc}\n")
            return _result(out, 2)
        for operator, raw_words in sequence:
            if (operator == "&&" and status != 0) or (operator == "||" and status == 0):
                continue
            words = [word.replace("$?", str(status)) for word in raw_words]
            status = self._run_one(words, out) if words else status
        return _result(out, status)

    def _run_one(self, words: list[str], out: Output) -> int:
        handler = self._commands.get(words[0])
        if handler is None:
            out.err(f"/system/bin/sh: {words[0]}: not found\n")
            return 127
        try:
            return handler(words[1:], out)
        except UsageError as exc:
            out.err(f"{exc}\n")
            return PM_ERROR

    # ---- simple commands -------------------------------------------------------------------

    def _echo(self, args: list[str], out: Output) -> int:
        newline = True
        if args[:1] == ["-n"]:
            newline, args = False, args[1:]
        out.out(" ".join(args) + ("\n" if newline else ""))
        return 0

    def _id(self, args: list[str], out: Output) -> int:
        out.out(SHELL_ID + "\n")
        return 0

    def _getprop(self, args: list[str], out: Output) -> int:
        props = self.phone.properties
        if args:
            out.out(props.get(args[0], args[1] if len(args) > 1 else "") + "\n")
        else:
            out.out("".join(f"[{key}]: [{props[key]}]\n" for key in sorted(props)))
        return 0

    def _settings(self, args: list[str], out: Output) -> int:
        if len(args) < 2 or args[0] not in ("get", "put", "delete", "list"):
            raise UsageError("usage:  settings [--user <USER_ID> | current] get namespace key\n"
                             "        settings [--user <USER_ID> | current] put namespace key value\n"
                             "        settings [--user <USER_ID> | current] delete namespace key\n"
                             "        settings [--user <USER_ID> | current] list namespace")
        verb, namespace, rest = args[0], args[1], args[2:]
        if namespace not in SETTINGS_NAMESPACES:
            raise UsageError(f"Invalid namespace '{namespace}'")
        values = self.phone.settings[namespace]
        if verb == "get" and len(rest) == 1:
            out.out(values.get(rest[0], "null") + "\n")
        elif verb == "put" and len(rest) == 2:
            values[rest[0]] = rest[1]
        elif verb == "delete" and len(rest) == 1:
            out.out(f"Deleted {int(values.pop(rest[0], None) is not None)} rows\n")
        elif verb == "list" and not rest:
            out.out("".join(f"{key}={values[key]}\n" for key in sorted(values)))
        else:
            raise UsageError(f"Bad arguments for settings {verb}")
        return 0

    def _rm(self, args: list[str], out: Output) -> int:
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

    def _ls(self, args: list[str], out: Output) -> int:
        status = 0
        for given in [arg for arg in args if not arg.startswith("-")] or ["/"]:
            path = given.rstrip("/") or "/"
            if path in self.phone.files:
                out.out(path + "\n")
            elif path in self.phone.directories:
                out.out("".join(name + "\n" for name in list_dir(self.phone, path)))
            else:
                out.err(f"ls: {path}: No such file or directory\n")
                status = 1
        return status

    # ---- cmd (package, testharness) and reboot ---------------------------------------------

    def _cmd(self, args: list[str], out: Output) -> int:
        if args[:1] == ["testharness"]:
            return self._testharness(args[1:], out)
        if args[:1] != ["package"]:
            out.err(f"cmd: Can't find service: {args[0] if args else ''}\n")
            return 20
        return self._pm.run(args[1:], out)

    def _testharness(self, args: list[str], out: Output) -> int:
        """`cmd testharness enable` (Android 10+): a factory reset that keeps adb on and the adb keys."""
        if args != ["enable"] or self.phone.sdk < 29:
            out.err("cmd: Can't find service: testharness\n" if self.phone.sdk < 29 else "Unknown command\n")
            return 20 if self.phone.sdk < 29 else 255
        if self.phone.lock_screen:
            out.err("Test Harness Mode cannot be enabled if there is a lock credential (pattern, pin, or password) set.\n")
            return 1
        self.phone.enter_test_harness()
        self.phone.reboot_requested = "system"
        return 0

    def _reboot(self, args: list[str], out: Output) -> int:
        """`reboot [recovery|bootloader]`; the shell user may restart the phone."""
        if args[:1] not in ([], ["recovery"]):
            out.err(f"reboot: {args[0]}: not supported by this phone\n")
            return 1
        self.phone.reboot_requested = args[0] if args else "system"
        return 0


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


def _result(out: Output, status: int) -> ShellResult:
    return ShellResult(b"".join(out.stdout), b"".join(out.stderr), status, b"".join(out.merged))
