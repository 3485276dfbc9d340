"""`dumpsys package PKG` on a simulated Android phone, printed as a real Android 8-15 phone prints it."""

from __future__ import annotations

import zlib

from station.sim.android.command import Output
from station.sim.android.phone import SimAndroidPhone, SimPackage


def dumpsys(phone: SimAndroidPhone, args: list[str], out: Output) -> int:
    """`dumpsys package PKG`: the only service the simulator dumps."""
    if len(args) != 2 or args[0] != "package":
        out.err("dumpsys: the simulator only knows 'dumpsys package PKG'\n")
        return 1
    package = phone.packages.get(args[1])
    if package is None:
        out.out(f"Unable to find package: {args[1]}\n")
        return 0
    out.out(_package_dump(package, phone.sdk, sorted(phone.users)))
    return 0


def _package_dump(package: SimPackage, sdk: int, users: list[int]) -> str:
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
