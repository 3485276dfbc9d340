from __future__ import annotations

from pathlib import Path

import pytest

from station.core.errors import FleetError
from station.sim.android.phone import sdk_for_release, user_apk_path
from station.sim.fleet import Fleet, load_fleet
from tests.sim.conftest import write_fleet

MINIMAL = """
[[device]]
platform = "android"
serial = "SER1"
manufacturer = "samsung"
model = "SM-A525F"
os_version = "12"
"""


def test_good_file(fleet: Fleet) -> None:
    assert [phone.serial for phone in fleet.android] == ["R58N12ABCDE", "PENDING01", "REJECT01"]
    assert [(phone.udid, phone.product_type) for phone in fleet.ios] == [("00008030-001A2B3C4D5E802E", "iPhone15,2")]
    phone = fleet.android[0]
    assert (phone.manufacturer, phone.model, phone.os_version, phone.sdk) == ("samsung", "SM-S911W", "14", 34)
    assert sorted(phone.users) == [0, 10]
    assert phone.users[10].name == "Work profile"
    chrome = phone.packages["com.android.chrome"]
    assert (chrome.version_code, chrome.installer, chrome.system, chrome.users) == (6099, "com.android.vending", False, {0: False})
    assert phone.packages["com.tencent.mm"].users == {0: True, 10: True}
    assert phone.packages["com.whatsapp"].users == {10: True}
    settings = phone.packages["com.android.settings"]
    assert settings.system and settings.installer is None and settings.users == {0: True, 10: True}
    assert settings.apk_path.startswith("/system/")
    assert phone.packages["com.tencent.mm"].apk_path == user_apk_path("com.tencent.mm")
    assert phone.settings["global"]["development_settings_enabled"] == "1"
    assert (phone.auth, phone.auth_delay_s, phone.latency_ms) == ("accept", 0.0, None)
    assert fleet.android[2].auth == "reject" and fleet.android[2].auth_delay_s == 0.05


def test_defaults(tmp_path: Path) -> None:
    phone = load_fleet(write_fleet(tmp_path, MINIMAL + "latency_ms = 5\n")).android[0]
    assert phone.sdk == 31
    assert phone.latency_ms == 5.0
    props = phone.properties
    assert props["ro.product.model"] == "SM-A525F"
    assert props["ro.serialno"] == "SER1"
    assert props["ro.build.version.sdk"] == "31"
    assert props["ro.build.version.security_patch"] == "2024-01-05"
    for key, value in {
        "ro.crypto.state": "encrypted", "ro.boot.verifiedbootstate": "green", "ro.boot.flash.locked": "1",
        "ro.build.tags": "release-keys", "ro.debuggable": "0",
    }.items():
        assert props[key] == value
    assert phone.settings["global"]["adb_enabled"] == "1"
    assert list(phone.users) == [0] and phone.packages == {}


@pytest.mark.parametrize(("release", "sdk"), [("14", 34), ("13", 33), ("12", 31), ("11", 30), ("10", 29),
                                              ("9", 28), ("8.1", 27), ("8", 26), ("8.0", 26), ("8.1.0", 27), ("42", None)])
def test_sdk_for_release(release: str, sdk: int | None) -> None:
    assert sdk_for_release(release) == sdk


def test_properties_override_and_numeric_os_version(tmp_path: Path) -> None:
    text = (MINIMAL.replace('os_version = "12"', "os_version = 11")
            + '[device.properties]\n"ro.boot.verifiedbootstate" = "orange"\nro.debuggable = "1"\n'
            + '[device.settings]\nglobal.adb_enabled = "0"\n"secure.x" = "y"\n')
    phone = load_fleet(write_fleet(tmp_path, text)).android[0]
    assert phone.os_version == "11" and phone.sdk == 30
    assert phone.properties["ro.boot.verifiedbootstate"] == "orange"
    assert phone.properties["ro.debuggable"] == "1"  # unquoted dotted keys are nested tables in TOML
    assert phone.settings["global"]["adb_enabled"] == "0" and phone.settings["secure"]["x"] == "y"


BAD_INPUTS = [
    ('sdk = "34"', "sdk", "must be a whole number, not '34'"),
    ("sdk = 0", "sdk", "API level"),
    ("colour = 1", "colour", "unknown key (expected one of: accounts, apps, auth, auth_delay_s, battery,"),
    ('auth = "maybe"', "auth", "'maybe' is not one of: accept, pending, reject"),
    ("auth_delay_s = -1", "auth_delay_s", "must be 0 or more"),
    ("latency_ms = true", "latency_ms", "must be a number, not True"),
    ('security_patch = "2024-13-01"', "security_patch", "YYYY-MM-DD"),
    ('apps = ["not a package"]', "apps[0] id", "not a package name"),
    ('apps = [{id = "com.x.y", colour = 1}]', "apps[0] colour", "unknown key"),
    ('apps = [{id = "com.x.y", version_code = "7"}]', "apps[0] version_code", "whole number"),
    ('apps = [{id = "com.x.y", version_code = -1}]', "apps[0] version_code", "must be 0 or more"),
    ('apps = [3]', "apps[0]", "package name or a table"),
    ('apps = "com.x.y"', "apps", "must be a list"),
    ('apps = ["com.x.y"]\nsystem_apps = ["com.x.y"]', "apps[0]", "more than once"),
    ('disabled = ["com.x.y"]', "disabled[0]", "not in apps"),
    ('disabled = [{a = 1}]', "disabled[0]", "must be text"),
    ('settings = {"nowhere.x" = "1"}', "settings nowhere.x", "system|secure|global"),
    ('settings = {"global" = 1}', "settings global", "system|secure|global"),
    ('properties = {"ro.x" = 1}', "properties ro.x", "must be text"),
    ("[[device.user]]\nid = 0", "user[0] id", "user id > 0"),
    ('[[device.user]]\nid = 10\nname = "a:b"', "user[0] name", "without ':'"),
    ("[[device.user]]\nid = 10\napps = [1]", "user[0] apps[0]", "package name or a table"),
    ("[[device.user]]\nid = 10\n[[device.user]]\nid = 10", "user[1] id", "listed twice"),
]


@pytest.mark.parametrize(("extra", "key", "what"), BAD_INPUTS)
def test_bad_values_name_device_and_key(tmp_path: Path, extra: str, key: str, what: str) -> None:
    path = write_fleet(tmp_path, MINIMAL + extra + "\n")
    with pytest.raises(FleetError) as caught:
        load_fleet(path)
    assert caught.value.where == f"device[0] (SER1) {key}"
    assert what in caught.value.what
    assert str(caught.value).startswith(str(path))


@pytest.mark.parametrize(("missing", "key"), [("serial", "serial"), ("model", "model"), ("os_version", "os_version"),
                                              ("platform", "platform")])
def test_missing_required_key(tmp_path: Path, missing: str, key: str) -> None:
    text = "\n".join(line for line in MINIMAL.splitlines() if not line.startswith(missing))
    with pytest.raises(FleetError) as caught:
        load_fleet(write_fleet(tmp_path, text))
    assert caught.value.where == ("device[0] " if missing == "serial" else "device[0] (SER1) ") + key
    assert caught.value.what == "missing (required)"


def test_unknown_release_needs_sdk(tmp_path: Path) -> None:
    with pytest.raises(FleetError, match="device\\[0\\] \\(SER1\\) os_version: unknown Android release '42': give 'sdk'"):
        load_fleet(write_fleet(tmp_path, MINIMAL.replace('"12"', '"42"')))
    assert load_fleet(write_fleet(tmp_path, MINIMAL.replace('"12"', '"42"') + "sdk = 40\n")).android[0].sdk == 40


def test_second_device_is_named(tmp_path: Path) -> None:
    text = MINIMAL + MINIMAL.replace("SER1", "SER2") + 'sdk = "x"\n'
    with pytest.raises(FleetError) as caught:
        load_fleet(write_fleet(tmp_path, text))
    assert caught.value.where == "device[1] (SER2) sdk"


def test_duplicate_serial(tmp_path: Path) -> None:
    with pytest.raises(FleetError, match="duplicate serial: 'SER1' is already used by device\\[0\\]") as caught:
        load_fleet(write_fleet(tmp_path, MINIMAL + MINIMAL))
    assert caught.value.where == "device[1] (SER1) serial"


def test_unknown_platform_and_top_level_key(tmp_path: Path) -> None:
    with pytest.raises(FleetError, match=r"device\[0\] \(SER1\) platform: 'symbian' is not one of: android, ios"):
        load_fleet(write_fleet(tmp_path, MINIMAL.replace('"android"', '"symbian"')))
    with pytest.raises(FleetError, match=r"phones: unknown key \(expected one of: device\)"):
        load_fleet(write_fleet(tmp_path, "phones = 1\n" + MINIMAL))


def test_toml_syntax_error_names_line(tmp_path: Path) -> None:
    with pytest.raises(FleetError, match=r"not valid TOML: .*line 4"):
        load_fleet(write_fleet(tmp_path, MINIMAL.replace('serial = "SER1"', "serial = SER1")))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FleetError, match=r"absent\.toml: no such file"):
        load_fleet(tmp_path / "absent.toml")
