"""The station's Android parsers on real phones' output (tests/data/android/, each file citing its source):
getprop of Samsung, Xiaomi, Huawei and Pixel phones from Android 9 to 16, pm list users and pm list packages."""

from __future__ import annotations

import pytest

from station.devices import android_parse as parse
from tests.support import captured

# file -> (manufacturer, model, release, sdk, security patch, verified boot state, bootloader locked)
GETPROP = {
    "getprop-android9-samsung-galaxy-s8.txt": ("samsung", "SM-G9500", "9", "28", "2020-12-01", "orange", "0"),
    "getprop-android10-samsung-galaxy-s9.txt": ("samsung", "SM-G9600", "10", "29", "2022-01-01", "green", "1"),
    "getprop-android16-samsung-galaxy-z-fold7.txt": ("samsung", "SM-F9660", "16", "36", "2025-07-01", "green", "1"),
    "getprop-android11-xiaomi-redmi-note-8-pro.txt": ("Xiaomi", "Redmi Note 8 Pro", "11", "30", "2021-08-01", "orange", "0"),
    "getprop-android9-huawei-p30.txt": ("HUAWEI", "ELE-AL00", "9", "28", "2019-05-05", "green", "1"),
    "getprop-android15-google-pixel-6.txt": ("Google", "Pixel 6", "15", "35", "2025-05-05", "orange", "0"),
}


@pytest.mark.parametrize("name", sorted(GETPROP))
def test_getprop_of_real_phones_gives_identity_and_security_state(name: str) -> None:
    props = parse.parse_getprop(captured(f"android/{name}"))
    maker, model, release, sdk, patch, boot, locked = GETPROP[name]
    assert props["ro.serialno"] == props["ro.boot.serialno"] == "FAKE0SERIAL0001"
    assert (props["ro.product.manufacturer"], props["ro.product.model"]) == (maker, model)
    assert (props["ro.build.version.release"], props["ro.build.version.sdk"]) == (release, sdk)
    assert props["ro.build.version.security_patch"] == patch
    assert (props["ro.boot.verifiedbootstate"], props["ro.boot.flash.locked"]) == (boot, locked)
    assert (props["ro.crypto.state"], props["ro.debuggable"], props["ro.build.tags"]) == ("encrypted", "0", "release-keys")


def test_getprop_keeps_a_value_that_runs_over_several_lines() -> None:
    """persist.sys.boot.reason.history holds newlines: its continuation lines are part of its value, not
    properties of their own nor lost."""
    props = parse.parse_getprop(captured("android/getprop-android11-xiaomi-redmi-note-8-pro.txt"))
    assert props["persist.sys.boot.reason.history"].splitlines() == [
        "cold,1767452221", "cold,1766917069", "reboot,1766709117", "cold,powerkey,1764120970"]
    assert props["persist.vendor.sys.pq.picmode"] == "0\n"
    assert props["ro.boot.flash.locked"] == "0"


@pytest.mark.parametrize(("name", "users"), [
    ("pm-list-users-samsung-work-profile-secure-folder.txt", [(0, "Jane"), (11, "Arbeitsprofil"), (151, "Secure Folder")]),
    ("pm-list-users-android10-two-users.txt", [(0, "Owner"), (10, "jane")]),
    ("pm-list-users-android14-null-name.txt", [(0, "null")]),
])
def test_pm_list_users_of_real_phones(name: str, users: list[tuple[int, str]]) -> None:
    assert parse.parse_users(captured(f"android/{name}")) == users


def test_pm_list_packages_with_paths_installers_uids_and_version_codes() -> None:
    lines = parse.parse_package_list(captured("android/pm-list-packages-f-i-U-versioncode-android11.txt"))
    by_name = {line.name: line for line in lines}
    calculator = by_name["com.google.android.calculator"]
    assert calculator.apk_path == ("/data/app/~~xSy7YPp-Dl1DeQIUB8XJMA==/"
                                   "com.google.android.calculator-qbVqw-KmdgSqSB0HPsNr7g==/base.apk")
    assert (calculator.version_code, calculator.installer, calculator.uid) == ("80840013", "com.android.vending", 10164)
    assert (by_name["android"].installer, by_name["android"].uid) == (None, 1000)
    assert by_name["org.fdroid.fdroid"].installer == "com.google.android.packageinstaller"


def test_pm_list_packages_f_of_an_older_phone() -> None:
    lines = parse.parse_package_list(captured("android/pm-list-packages-f-android6-genymotion.txt"))
    assert [line.name for line in lines][:3] == ["com.android.providers.downloads", "com.android.messaging", "com.phonegap.camerasample"]
    assert lines[2].apk_path == "/data/app/com.phonegap.camerasample-2/base.apk"
    assert all(line.version_code is None and line.uid is None for line in lines)
