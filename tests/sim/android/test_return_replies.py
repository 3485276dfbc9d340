"""What a simulated Android phone answers to dumpsys account, dumpsys battery and dpm list-owners: in the
shape real phones print (the captures in tests/data/android/), read by the station's own parsers, and
what a factory reset does to a phone tied to a Google account."""

from __future__ import annotations

import re
from pathlib import Path

from station.core.models import Account, BatteryHealth
from station.devices import android_parse as parse
from station.sim.android.phone import SimAccount, SimAndroidPhone
from station.sim.android.shell import AndroidShell
from station.sim.fleet import load_fleet
from tests.support import captured

PHONE = """
[[device]]
platform = "android"
serial = "{serial}"
manufacturer = "{maker}"
model = "Phone"
os_version = "{release}"
accounts = [{{ type = "com.google", name = "jane.doe@gmail.com" }}, {{ type = "com.whatsapp", name = "Jane Doe" }},
            {{ type = "com.google", name = "jane.doe@example.org", user = 10 }}]
{extra}
[[device.user]]
id = 10
name = "Work profile"
"""


def phone(tmp_path: Path, maker: str = "Google", release: str = "14", extra: str = "") -> SimAndroidPhone:
    path = tmp_path / "fleet.toml"
    path.write_text(PHONE.format(serial="SIM0001", maker=maker, release=release, extra=extra), encoding="utf-8")
    (loaded,) = load_fleet(path).android
    return loaded


def say(sim: SimAndroidPhone, command: str) -> str:
    return AndroidShell(sim).run(command).merged.decode()


def skeleton(text: str) -> set[str]:
    """The lines' shapes: braces' contents and numbers blanked, so two dumps of different phones compare."""
    return {re.sub(r"\d+", "0", re.sub(r"\{[^{}]*\}", "{}", line)).rstrip() for line in text.splitlines() if line.strip()}


def battery_keys(text: str) -> list[str]:
    return [line.split(":")[0].strip() for line in text.splitlines() if ":" in line]


def test_accounts_dump_has_the_real_dumps_shape_and_reads_back(tmp_path: Path) -> None:
    sim = phone(tmp_path)
    text = say(sim, "dumpsys account")
    assert skeleton(text) <= skeleton(captured("android/dumpsys-account-android14-google-work-profile.txt"))
    assert parse.parse_accounts(text) == parse.parse_accounts(captured("android/dumpsys-account-android14-google-work-profile.txt"))


def test_battery_dump_has_the_real_dumps_keys_in_order_and_reads_back(tmp_path: Path) -> None:
    pixel = say(phone(tmp_path, extra='battery = { level = 78, health = "overheat", charging = false, temperature_c = 46.2 }'),
                "dumpsys battery")
    assert battery_keys(pixel) == battery_keys(captured("android/dumpsys-battery-android14.txt"))
    got = parse.parse_battery(pixel)
    assert (got.level, got.health, got.temperature_c, got.charging) == (78, BatteryHealth.OVERHEAT, 46.2, False)
    samsung = say(phone(tmp_path, maker="samsung", release="13", extra="battery = { capacity_percent = 91 }"), "dumpsys battery")
    real = battery_keys(captured("android/dumpsys-battery-samsung-a-series.txt"))
    keys = battery_keys(samsung)
    assert keys == [key for key in real if key in keys]  # the capture's lines, in its order
    assert parse.parse_battery(samsung).capacity_percent == 91


def test_dpm_list_owners_as_android_12_and_later_and_before(tmp_path: Path) -> None:
    owned = phone(tmp_path, extra='device_owner = "com.google.android.apps.work.clouddpc/.receivers.CloudDeviceAdminReceiver"')
    assert parse.parse_owners(say(owned, "dpm list-owners")) == [
        "device owner com.google.android.apps.work.clouddpc/.receivers.CloudDeviceAdminReceiver (user 0)"]
    assert say(phone(tmp_path), "dpm list-owners") == captured("android/dpm-list-owners-none.txt")
    assert say(phone(tmp_path, release="11"), "dpm list-owners") == captured("android/dpm-list-owners-android11.txt")


def test_a_reset_keeps_the_google_account_in_factory_reset_protection(tmp_path: Path) -> None:
    """Why a returned phone is not wiped with its user's account on it: the reset phone asks for that
    account at setup, and the depot cannot give it."""
    sim = phone(tmp_path, maker="samsung", extra='device_owner = "com.example.mdm/.Admin"')
    sim.accounts.append(SimAccount("com.osp.app.signin", "jane@example.com"))
    say(sim, "cmd testharness enable")
    assert parse.parse_accounts(say(sim, "dumpsys account")) == []  # the accounts went with the data ...
    assert {a.name for a in sim.frp_accounts} == {"jane.doe@gmail.com", "jane.doe@example.org", "jane@example.com"}
    assert say(sim, "settings get secure user_setup_complete").strip() == "0"  # ... and setup stops at FRP
    assert parse.parse_owners(say(sim, "dpm list-owners")) == []
    sim.accounts = []
    say(sim, "cmd testharness enable")  # a second reset does not free it
    assert sim.frp_accounts and Account("com.google", "jane.doe@gmail.com") not in parse.parse_accounts(say(sim, "dumpsys account"))
