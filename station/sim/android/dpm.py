"""`dpm list-owners` on a simulated Android phone: the device owner, printed as Android 12+ prints it
(DevicePolicyManagerServiceShellCommand.runListOwners); an older phone's dpm does not know the command."""

from __future__ import annotations

from station.sim.android.command import Output
from station.sim.android.phone import SimAndroidPhone

LIST_OWNERS_SDK = 31  # Android 12: dpm hands list-owners to the device policy service's shell command
_USAGE = ("usage: dpm [subcommand] [options]\n"
          "usage: dpm set-active-admin [ --user <USER_ID> | current ] <COMPONENT>\n"
          "usage: dpm set-device-owner [ --user <USER_ID> | current *EXPERIMENTAL* ] [ --name <NAME> ] <COMPONENT>\n"
          "usage: dpm set-profile-owner [ --user <USER_ID> | current ] [ --name <NAME> ] <COMPONENT>\n"
          "usage: dpm remove-active-admin [ --user <USER_ID> | current ] [ --name <NAME> ] <COMPONENT>\n")


def dpm(phone: SimAndroidPhone, args: list[str], out: Output) -> int:
    if args != ["list-owners"] or phone.sdk < LIST_OWNERS_SDK:
        out.err(_USAGE + f"\nError: unknown command '{args[0] if args else ''}'\n")
        return 1
    if phone.device_owner is None:
        out.out("no owners\n")
        return 0
    out.out(f"1 owner:\nUser  0: admin={phone.device_owner},DeviceOwner\n")
    return 0
