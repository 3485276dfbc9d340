from __future__ import annotations

import pytest

from station.devices.android_parse import parse_getprop, parse_package_list, parse_uninstall, parse_users
from station.sim.android.files import stat_path
from station.sim.android.phone import TEST_HARNESS_GLOBAL, TEST_HARNESS_PROPERTY, SimAndroidPhone
from station.sim.android.shell import AndroidShell, ShellResult
from station.sim.fleet import Fleet


@pytest.fixture
def phone(fleet: Fleet) -> SimAndroidPhone:
    return fleet.android[0]


@pytest.fixture
def shell(phone: SimAndroidPhone) -> AndroidShell:
    return AndroidShell(phone)


def out(shell: AndroidShell, command: str) -> str:
    return shell.run(command).stdout.decode()


def names(shell: AndroidShell, command: str) -> list[str]:
    return [line.name for line in parse_package_list(out(shell, command))]


def test_list_packages_filters(shell: AndroidShell) -> None:
    assert names(shell, "pm list packages") == ["com.android.settings", "com.kmsjp", "com.tencent.mm", "com.android.chrome"]
    assert names(shell, "pm list packages -s") == ["com.android.settings", "com.kmsjp"]
    assert names(shell, "pm list packages -3") == ["com.tencent.mm", "com.android.chrome"]
    assert names(shell, "pm list packages -d") == ["com.android.chrome"]
    assert names(shell, "pm list packages -e -3") == ["com.tencent.mm"]
    assert names(shell, "pm list packages tencent") == ["com.tencent.mm"]
    assert names(shell, "pm list packages --user 10 -3") == ["com.tencent.mm", "com.whatsapp"]


def test_list_packages_full_line_format(shell: AndroidShell, phone: SimAndroidPhone) -> None:
    text = out(shell, "pm list packages -f -i -U --show-versioncode -3")
    chrome = phone.packages["com.android.chrome"]
    assert text.splitlines()[1] == (f"package:{chrome.apk_path}=com.android.chrome versionCode:6099"
                                    f"  installer=com.android.vending uid:{chrome.app_uid}")
    system = out(shell, "pm list packages -i -s --user 10").splitlines()[0]
    assert system == "package:com.android.settings  installer=null"
    line = parse_package_list(out(shell, "pm list packages -U --user 10 whatsapp"))[0]
    assert line.uid == 10 * 100000 + phone.packages["com.whatsapp"].app_uid


def test_list_users(shell: AndroidShell) -> None:
    text = out(shell, "pm list users")
    assert text == "Users:\n\tUserInfo{0:Owner:4c13} running\n\tUserInfo{10:Work profile:1030} running\n"
    assert parse_users(text) == [(0, "Owner"), (10, "Work profile")]


def test_uninstall_user_app_removes_it_for_every_user(shell: AndroidShell, phone: SimAndroidPhone) -> None:
    result = shell.run("pm uninstall com.tencent.mm")
    assert (result.stdout, result.exit_code) == (b"Success\n", 0)
    assert "com.tencent.mm" not in names(shell, "pm list packages")
    assert "com.tencent.mm" not in names(shell, "pm list packages --user 10")
    assert "com.tencent.mm" not in phone.packages


def test_uninstall_keep_data_leaves_it_listed_with_u(shell: AndroidShell) -> None:
    assert shell.run("pm uninstall -k com.tencent.mm").exit_code == 0
    assert "com.tencent.mm" not in names(shell, "pm list packages")
    assert "com.tencent.mm" in names(shell, "pm list packages -u")


def test_uninstall_per_user(shell: AndroidShell) -> None:
    assert out(shell, "pm uninstall --user 10 com.tencent.mm") == "Success\n"
    assert "com.tencent.mm" in names(shell, "pm list packages")
    assert "com.tencent.mm" not in names(shell, "pm list packages --user 10")
    failure = shell.run("pm uninstall --user 10 com.tencent.mm")
    assert (failure.stderr, failure.exit_code) == (b"Failure [not installed for 10]\n", 1)


def test_system_app_needs_user_and_can_be_restored(shell: AndroidShell) -> None:
    refused = shell.run("pm uninstall com.kmsjp")
    assert (refused.stderr, refused.exit_code) == (b"Failure [DELETE_FAILED_INTERNAL_ERROR]\n", 1)
    assert parse_uninstall(out(shell, "pm uninstall --user 0 com.kmsjp")) is None
    assert "com.kmsjp" not in names(shell, "pm list packages")
    assert "com.kmsjp" in names(shell, "pm list packages --user 10")
    assert "com.kmsjp" in names(shell, "pm list packages -s -u")
    assert out(shell, "cmd package install-existing com.kmsjp") == "Package com.kmsjp installed for user: 0\n"
    assert "com.kmsjp" in names(shell, "pm list packages")


def test_uninstall_absent(shell: AndroidShell) -> None:
    result = shell.run("pm uninstall com.not.there")
    assert (result.merged, result.exit_code) == (b"Failure [not installed for 0]\n", 1)
    assert parse_uninstall(result.merged.decode()) == "Failure [not installed for 0]"


def test_install_existing_unknown(shell: AndroidShell) -> None:
    result = shell.run("cmd package install-existing --user 10 com.not.there")
    assert result.exit_code != 0 and b"doesn't exist" in result.stderr


def test_pm_path(shell: AndroidShell, phone: SimAndroidPhone) -> None:
    assert out(shell, "pm path com.tencent.mm") == f"package:{phone.packages['com.tencent.mm'].apk_path}\n"
    assert shell.run("pm path com.whatsapp").exit_code == 1
    assert shell.run("pm path --user 10 com.whatsapp").exit_code == 0


def test_install_pushed_apk(shell: AndroidShell, phone: SimAndroidPhone) -> None:
    phone.write_file("/data/local/tmp/app.apk", b"SIMAPK:com.example.tool\nrest of the apk")
    assert out(shell, "pm install -r /data/local/tmp/app.apk && rm /data/local/tmp/app.apk") == "Success\n"
    assert "com.example.tool" in names(shell, "pm list packages -3 --user 10")
    assert parse_package_list(out(shell, "pm list packages -i tool"))[0].installer is None
    assert "/data/local/tmp/app.apk" not in phone.files
    phone.write_file("/data/local/tmp/w.apk", b"SIMAPK:com.example.work\n")
    assert shell.run("pm install --user 10 /data/local/tmp/w.apk").exit_code == 0
    assert phone.packages["com.example.work"].users == {10: True}


def test_install_bad_apk_and_missing_file(shell: AndroidShell, phone: SimAndroidPhone) -> None:
    phone.write_file("/data/local/tmp/bad.apk", b"PK\x03\x04 a real zip, not a simulated apk")
    bad = shell.run("pm install /data/local/tmp/bad.apk")
    assert (bad.stderr, bad.exit_code) == (b"Failure [INSTALL_FAILED_INVALID_APK]\n", 1)
    missing = shell.run("pm install /data/local/tmp/none.apk")
    assert missing.exit_code == 1 and b"Unable to open file" in missing.stderr


def test_getprop(shell: AndroidShell) -> None:
    assert out(shell, "getprop ro.product.model") == "SM-S911W\n"
    assert out(shell, "getprop ro.not.set") == "\n"
    text = out(shell, "getprop")
    props = parse_getprop(text)
    assert props["ro.build.version.security_patch"] == "2024-09-01"
    assert props["ro.build.version.sdk"] == "34"
    keys = [line.split("]")[0] for line in text.splitlines()]
    assert keys == sorted(keys)


def test_settings(shell: AndroidShell) -> None:
    assert out(shell, "settings get global adb_enabled") == "1\n"
    assert out(shell, "settings get secure nothing_here") == "null\n"
    assert shell.run("settings put global development_settings_enabled 0").exit_code == 0
    assert out(shell, "settings get global development_settings_enabled") == "0\n"
    assert "adb_enabled=1\n" in out(shell, "settings list global")
    assert shell.run("settings get nowhere key").exit_code != 0
    assert out(shell, "settings delete global development_settings_enabled") == "Deleted 1 rows\n"
    assert out(shell, "settings delete global development_settings_enabled") == "Deleted 0 rows\n"
    assert out(shell, "settings get global development_settings_enabled") == "null\n"


def test_test_harness_leaves_the_phone_set_up_for_testing_as_aosp_configures_it(shell: AndroidShell, phone: SimAndroidPhone) -> None:
    """TestHarnessModeService.configureSettings, setDeviceProvisioned and disableLockScreen, after the reset."""
    assert shell.run("cmd testharness enable").exit_code == 0
    assert all(out(shell, f"settings get global {key}") == f"{value}\n" for key, value in TEST_HARNESS_GLOBAL.items())
    assert out(shell, "settings get secure user_setup_complete") == "1\n"
    assert out(shell, f"getprop {TEST_HARNESS_PROPERTY}") == "1\n"
    assert out(shell, "locksettings get-disabled") == "true\n"
    assert out(shell, "locksettings set-disabled false") == "Lock screen disabled set to false\n"
    assert out(shell, "locksettings get-disabled") == "false\n"
    assert shell.run("locksettings nonsense").exit_code != 0


def test_a_reset_in_recovery_leaves_the_phone_at_setup_with_usb_debugging_off(phone: SimAndroidPhone) -> None:
    phone.reset_in_recovery(to_setup=True)
    assert phone.settings["global"]["adb_enabled"] == phone.settings["global"]["development_settings_enabled"] == "0"
    assert phone.settings["secure"]["user_setup_complete"] == "0" and phone.settings["global"]["device_provisioned"] == "0"
    phone.reset_in_recovery()  # the operator then skips through setup and turns USB debugging back on
    assert phone.adb_enabled and phone.settings["secure"]["user_setup_complete"] == "1"


def test_dumpsys_package(shell: AndroidShell) -> None:
    text = out(shell, "dumpsys package com.android.chrome")
    for expected in ("versionCode=6099 ", "versionName=1.0", "firstInstallTime=", "lastUpdateTime=",
                     "installerPackageName=com.android.vending", "User 0: ", "enabled=3"):
        assert expected in text
    assert out(shell, "dumpsys package com.nope") == "Unable to find package: com.nope\n"


def test_id(shell: AndroidShell) -> None:
    assert out(shell, "id").startswith("uid=2000(shell) gid=2000(shell)")


def test_files_ls_rm(shell: AndroidShell, phone: SimAndroidPhone) -> None:
    phone.write_file("/data/local/tmp/a.txt", b"a")
    phone.write_file("/sdcard/Download/b.txt", b"bb")
    assert out(shell, "ls /data/local/tmp") == "a.txt\n"
    assert out(shell, "ls /sdcard") == "Download\n"
    assert stat_path(phone, "/sdcard/Download/b.txt") is not None
    assert shell.run("ls /nowhere").exit_code == 1
    assert shell.run("rm /data/local/tmp/a.txt").exit_code == 0
    assert "/data/local/tmp/a.txt" not in phone.files
    gone = shell.run("rm /data/local/tmp/a.txt")
    assert gone.exit_code == 1 and b"No such file" in gone.stderr
    assert shell.run("rm -f /data/local/tmp/a.txt").exit_code == 0


def test_sequences_and_exit_status(shell: AndroidShell) -> None:
    assert out(shell, "pm uninstall com.nope; echo RC=$?") == "RC=1\n"
    assert out(shell, "false && echo no || echo yes") == "yes\n"
    assert out(shell, "true && echo one; echo two") == "one\ntwo\n"
    assert out(shell, "echo 'a;b' \"c  d\"") == "a;b c  d\n"
    assert out(shell, "echo -n x") == "x"
    result = shell.run("pm uninstall com.nope; echo after")
    assert result.merged == b"Failure [not installed for 0]\nafter\n"
    assert result.exit_code == 0


def test_unknown_command_and_bad_syntax(shell: AndroidShell) -> None:
    assert shell.run("frobnicate now") == ShellResult(b"", b"/system/bin/sh: frobnicate: not found\n", 127,
                                                      b"/system/bin/sh: frobnicate: not found\n")
    assert shell.run("echo 'unterminated").exit_code == 2
    assert shell.run("&& echo x").exit_code == 2
    assert shell.run("pm list packages | grep x").exit_code == 2


def test_pm_usage_errors(shell: AndroidShell) -> None:
    assert shell.run("pm list packages -z").stderr == b"Error: Unknown option: -z\n"
    assert shell.run("pm list packages --user").exit_code == 255
    assert shell.run("pm frob").exit_code == 255
    assert shell.run("cmd nothing").exit_code != 0
