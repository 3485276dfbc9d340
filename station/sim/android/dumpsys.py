"""`dumpsys package PKG`, `dumpsys account` and `dumpsys battery` on a simulated Android phone, printed as
a real Android phone prints them (AOSP's PackageManagerService, AccountManagerService and BatteryService
dumps; Samsung's extra battery lines on a samsung phone)."""

from __future__ import annotations

import zlib

from station.sim.android.command import Output
from station.sim.android.phone import SimAndroidPhone, SimPackage
from station.sim.battery import ANDROID_HEALTH_CODES

_STATUS_CHARGING, _STATUS_DISCHARGING, _STATUS_FULL = 2, 3, 5  # BatteryManager.BATTERY_STATUS_*


def dumpsys(phone: SimAndroidPhone, args: list[str], out: Output) -> int:
    """`dumpsys package PKG`, `dumpsys account`, `dumpsys battery`: the services the simulator dumps."""
    if args == ["account"]:
        out.out(_account_dump(phone))
        return 0
    if args == ["battery"]:
        out.out(_battery_dump(phone))
        return 0
    if len(args) != 2 or args[0] != "package":
        out.err("dumpsys: the simulator only knows 'dumpsys package PKG', 'dumpsys account' and 'dumpsys battery'\n")
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


def _account_dump(phone: SimAndroidPhone) -> str:
    """AccountManagerService.dump: per user ``User UserInfo{id:name:flags}:``, its accounts, then the
    sessions and the authenticators (the station reads only the accounts)."""
    lines = []
    for user in sorted(phone.users.values(), key=lambda u: u.id):
        mine = [a for a in phone.accounts if a.user == user.id]
        lines += [f"User UserInfo{{{user.id}:{user.name}:{user.flags}}}:", f"  Accounts: {len(mine)}"]
        lines += [f"    Account {{name={a.name}, type={a.type}}}" for a in mine]
        lines += ["", "  Active Sessions: 0", "",
                  f"  RegisteredServicesCache: {len({a.type for a in mine})} services"]
        lines += [f"    ServiceInfo: AuthenticatorDescription {{type={kind}}}, ComponentInfo{{{kind}/.Authenticator}}, uid 10{index:03d}"
                  for index, kind in enumerate(sorted({a.type for a in mine}))]
        lines.append("")
    return "\n".join(lines) + "\n"


def _battery_dump(phone: SimAndroidPhone) -> str:
    """BatteryService.dumpInternal: as Android 14 prints it, or as a Samsung phone does (Android 11-13's
    AOSP lines, then Samsung's own)."""
    battery = phone.battery
    samsung = phone.manufacturer.lower() == "samsung"
    status = _STATUS_FULL if battery.charging and battery.level == 100 else _STATUS_CHARGING if battery.charging else _STATUS_DISCHARGING
    counter = battery.level * 40 * battery.capacity_percent  # µAh of a ~4000 mAh battery
    lines = [
        "Current Battery Service state:",
        "  AC powered: false",
        f"  USB powered: {str(battery.charging).lower()}",
        "  Wireless powered: false",
        *([] if samsung else ["  Dock powered: false"]),
        f"  Max charging current: {500000 if battery.charging else 0}",
        f"  Max charging voltage: {5000000 if battery.charging else 0}",
        f"  Charge counter: {counter}",
        f"  status: {status}",
        f"  health: {ANDROID_HEALTH_CODES[battery.health]}",
        "  present: true",
        f"  level: {battery.level}",
        "  scale: 100",
        "  voltage: 4312",
        f"  temperature: {round(battery.temperature_c * 10)}",
        "  technology: Li-ion",
    ]
    if samsung:
        lines += ["  current now: 0", f"  charge counter: {counter}", "  Adaptive Fast Charging Settings: true",
                  "USE_FAKE_BATTERY: false", "BatteryInfoBackUp", f"  mSavedBatteryAsoc: {battery.capacity_percent}",
                  "  mSavedBatteryMaxTemp: 534", f"  mSavedBatteryUsage: {battery.cycle_count}",
                  "  FEATURE_SAVE_BATTERY_CYCLE: true"]
    else:
        lines += ["  Charging state: 1", "  Charging policy: 1"]
    return "\n".join(lines) + "\n"
