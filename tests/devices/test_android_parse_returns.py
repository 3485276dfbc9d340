"""The parsers of what a returned Android phone says about its accounts, its owners and its battery,
against outputs in the formats real phones print (tests/data/android/, each file citing its source)."""

from __future__ import annotations

import pytest

from station.core.models import Account, BatteryHealth
from station.devices import android_parse as parse
from tests.support import captured


def test_google_accounts_of_every_user_are_found_with_their_user() -> None:
    accounts = parse.parse_accounts(captured("android/dumpsys-account-android14-google-work-profile.txt"))
    assert accounts == [
        Account("com.google", "jane.doe@gmail.com", 0),
        Account("com.whatsapp", "Jane Doe", 0),
        Account("com.google", "jane.doe@example.org", 10),
    ]


def test_a_samsung_account_is_listed_beside_the_google_one() -> None:
    accounts = parse.parse_accounts(captured("android/dumpsys-account-samsung.txt"))
    assert [a.type for a in accounts] == ["com.google", "com.osp.app.signin", "com.samsung.android.mobileservice"]


def test_a_phone_without_accounts_says_so() -> None:
    assert parse.parse_accounts(captured("android/dumpsys-account-android9-none.txt")) == []


@pytest.mark.parametrize("text", [
    "",
    "Can't find service: account\n",
    # cut short: two accounts announced, one listed
    "User UserInfo{0:Owner:c13}:\n  Accounts: 2\n    Account {name=a@gmail.com, type=com.google}\n",
])
def test_a_reply_that_does_not_list_the_accounts_is_not_read_as_none(text: str) -> None:
    with pytest.raises(ValueError, match="dumpsys account"):
        parse.parse_accounts(text)


def test_owners_are_named_with_their_kind_and_user() -> None:
    assert parse.parse_owners(captured("android/dpm-list-owners-device-owner.txt")) == [
        "device owner com.google.android.apps.work.clouddpc/.receivers.CloudDeviceAdminReceiver (user 0)"]
    assert parse.parse_owners(captured("android/dpm-list-owners-work-profile.txt")) == [
        "work profile owner com.google.android.apps.work.clouddpc/.receivers.CloudDeviceAdminReceiver (user 10)"]
    assert parse.parse_owners(captured("android/dpm-list-owners-none.txt")) == []
    assert parse.parse_owners("none\n") == []  # Android 12's word for it


def test_an_older_dpm_without_list_owners_is_not_read_as_no_owner() -> None:
    with pytest.raises(ValueError, match="dpm list-owners"):
        parse.parse_owners(captured("android/dpm-list-owners-android11.txt"))


def test_samsung_battery_gives_its_capacity_against_design() -> None:
    battery = parse.parse_battery(captured("android/dumpsys-battery-samsung-a-series.txt"))
    assert (battery.level, battery.health, battery.capacity_percent) == (100, BatteryHealth.GOOD, 96)
    assert (battery.temperature_c, battery.charge_counter_uah, battery.charging) == (30.9, 2967000, False)  # 5: full


def test_an_overheating_pixel_battery_and_an_old_phones_battery() -> None:
    pixel = parse.parse_battery(captured("android/dumpsys-battery-android14.txt"))
    assert (pixel.level, pixel.health, pixel.capacity_percent, pixel.temperature_c) == (78, BatteryHealth.OVERHEAT, None, 46.2)
    old = parse.parse_battery(captured("android/dumpsys-battery-android6.txt"))
    assert (old.level, old.health, old.charging, old.charge_counter_uah) == (89, BatteryHealth.GOOD, True, None)
    stopped = parse.parse_battery(captured("android/dumpsys-battery-android9-updates-stopped.txt"))
    assert (stopped.level, stopped.health) == (54, BatteryHealth.GOOD)


@pytest.mark.parametrize("text", ["", "Can't find service: battery\n", "Current Battery Service state:\n  level: 50\n",
                                  "Current Battery Service state:\n  level: high\n  health: 2\n"])
def test_a_battery_reply_without_level_and_health_is_an_error(text: str) -> None:
    with pytest.raises(ValueError, match="dumpsys battery"):
        parse.parse_battery(text)
