"""`locksettings get-disabled|set-disabled` on a simulated Android phone, printed as AOSP's
LockSettingsShellCommand (runGetDisabled, runSetDisabled) prints them. Test Harness Mode disables the lock
screen (LockPatternUtils.setLockScreenDisabled); this is how the station puts it back."""

from __future__ import annotations

from station.sim.android.command import Output
from station.sim.android.phone import SimAndroidPhone


def locksettings(phone: SimAndroidPhone, args: list[str], out: Output) -> int:
    words = [arg for arg in args if not arg.startswith("--user")]  # the station names no other user
    if words == ["get-disabled"]:
        out.out(f"{str(phone.lock_screen_disabled).lower()}\n")
        return 0
    if len(words) == 2 and words[0] == "set-disabled":
        phone.lock_screen_disabled = words[1].lower() == "true"  # Boolean.parseBoolean
        out.out(f"Lock screen disabled set to {str(phone.lock_screen_disabled).lower()}\n")
        return 0
    out.err("Error: unknown command; try locksettings help\n")
    return 255
