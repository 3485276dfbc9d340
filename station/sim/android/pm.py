"""The package manager of a simulated Android phone: `pm` (and `cmd package`) list, path, install,
install-existing and uninstall, printing what a real Android 8-15 phone prints.
"""

from __future__ import annotations

import datetime

from station.sim.android.command import PM_ERROR, Command, Output, UsageError
from station.sim.android.phone import SimAndroidPhone, SimPackage, user_apk_path

APK_MAGIC = b"SIMAPK:"
ALL_USERS = -1  # Android's UserHandle.USER_ALL: what pm acts on without --user


class PackageManager:
    """Runs pm command lines against one phone's packages and users."""

    def __init__(self, phone: SimAndroidPhone) -> None:
        self.phone = phone

    def run(self, args: list[str], out: Output) -> int:
        """One `pm` (or `cmd package`) command line, without the leading pm."""
        verbs: dict[str, Command] = {
            "list": self._list, "uninstall": self._uninstall, "path": self._path,
            "install": self._install, "install-existing": self._install_existing,
        }
        handler = verbs.get(args[0]) if args else None
        if handler is None:
            raise UsageError(f"Unknown command: {args[0]}" if args else "usage: pm [list|path|install|uninstall] ...")
        return handler(args[1:], out)

    def _list(self, args: list[str], out: Output) -> int:
        if args[:1] == ["users"]:
            out.out("Users:\n" + "".join(
                f"\tUserInfo{{{user.id}:{user.name}:{user.flags}}} running\n" for user in self.phone.users.values()
            ))
            return 0
        if args[:1] != ["packages"]:
            raise UsageError(f"Error: unknown list type '{args[0] if args else ''}'")
        options, user, positional = _options(args[1:], "fiUsd3eu", ("--show-versioncode",))
        denied = self.phone.users.get(user)
        if denied is not None and not denied.shell_access:
            # As a Samsung phone with a Secure Folder answers (mozilla/web-ext#2904, cocool97/adb_client#99):
            # the shell is refused the profile, and pm prints the exception instead of a list.
            out.err(f"\nException occurred while executing 'list':\njava.lang.SecurityException: Shell does not have "
                    f"permission to access user {user}\n com.android.server.am.ActivityManagerService.handleIncomingUser:14983 "
                    "android.app.ActivityManager.handleIncomingUser:4805 "
                    "com.android.server.pm.PackageManagerShellCommand.translateUserId:3517\n")
            return PM_ERROR
        if len(positional) > 1:
            raise UsageError(f"Error: unexpected argument: {positional[1]}")
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

    def _uninstall(self, args: list[str], out: Output) -> int:
        options, user, positional = _options(args, "k", (), default_user=ALL_USERS)
        if len(positional) != 1:
            raise UsageError("Error: package name not specified")
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

    def _path(self, args: list[str], out: Output) -> int:
        _, user, positional = _options(args, "", ())
        package = self.phone.packages.get(positional[0]) if len(positional) == 1 else None
        if package is None or user not in package.users:
            return 1
        out.out(f"package:{package.apk_path}\n")
        return 0

    def _install(self, args: list[str], out: Output) -> int:
        _, user, positional = _options(args, "rtgd", (), default_user=ALL_USERS)
        if len(positional) != 1:
            raise UsageError("Error: must either specify a package size or an APK file")
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

    def _install_existing(self, args: list[str], out: Output) -> int:
        _, user, positional = _options(args, "", ("--wait", "--restrict-permissions", "--full", "--instant"))
        package = self.phone.packages.get(positional[0]) if len(positional) == 1 else None
        if package is None:
            name = positional[0] if positional else ""
            out.err(f"android.content.pm.PackageManager$NameNotFoundException: Package {name} doesn't exist\n")
            return PM_ERROR
        package.users.setdefault(user, True)
        out.out(f"Package {package.id} installed for user: {user}\n")
        return 0


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
                raise UsageError("Error: no user id specified")
            value = args[index + 1]
            if value == "current":
                value = "0"
            if not value.isdigit():
                raise UsageError(f"Error: bad user id: {value}")
            user = int(value)
            index += 1
        elif arg in long_options:
            options.add(arg)
        elif arg.startswith("-") and len(arg) > 1 and not positional:
            for letter in arg[1:]:
                if letter not in letters:
                    raise UsageError(f"Error: Unknown option: -{letter}")
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
    # The phone's own clock: local time, as dumpsys prints it.
    return datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S")
