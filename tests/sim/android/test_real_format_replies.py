"""What a simulated Android phone answers to getprop and pm list users, against real phones' output
(tests/data/android/getprop-*.txt and pm-list-users-*.txt): the same line shapes, the properties the station
reads under the same names, and user 0's flags as the release prints them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from station.devices import android_parse as parse
from tests.sim.android.test_return_replies import phone, say, skeleton
from tests.support import DATA, captured

READ = ("ro.serialno", "ro.boot.serialno", "ro.product.manufacturer", "ro.product.model", "ro.build.version.release",
        "ro.build.version.sdk", "ro.build.version.security_patch", "ro.build.tags", "ro.debuggable", "ro.crypto.state",
        "ro.boot.flash.locked", "ro.boot.verifiedbootstate")
GETPROPS = sorted(path.name for path in (DATA / "android").glob("getprop-*.txt"))


@pytest.mark.parametrize("name", GETPROPS)
def test_getprop_prints_what_real_phones_print_for_what_the_station_reads(tmp_path: Path, name: str) -> None:
    real = parse.parse_getprop(captured(f"android/{name}"))
    sim = phone(tmp_path, maker=real["ro.product.manufacturer"], release=real["ro.build.version.release"])
    text = say(sim, "getprop")
    assert all(re.fullmatch(r"\[[^\]]+\]: \[[^\]]*\]", line) for line in text.splitlines())
    assert text.splitlines() == sorted(text.splitlines())  # getprop sorts, as the captures show
    mine = parse.parse_getprop(text)
    assert [key for key in READ if key in mine] == [key for key in READ if key in real] == list(READ)
    assert mine["ro.build.version.sdk"] == real["ro.build.version.sdk"]
    assert mine["ro.serialno"] == mine["ro.boot.serialno"]


@pytest.mark.parametrize(("release", "name"), [
    ("10", "pm-list-users-android10-two-users.txt"),
    ("14", "pm-list-users-android14-null-name.txt"),
    ("13", "pm-list-users-samsung-work-profile-secure-folder.txt"),
])
def test_pm_list_users_has_the_real_lines_shape_and_owner_flags(tmp_path: Path, release: str, name: str) -> None:
    real = captured(f"android/{name}")
    text = say(phone(tmp_path, release=release), "pm list users")
    assert skeleton(text) <= skeleton(real) | {"\tUserInfo{} running"}
    owner = re.search(r"UserInfo\{0:[^:]*:([0-9a-f]+)\}", real)
    assert owner is not None and f"UserInfo{{0:Owner:{owner[1]}}}" in text
    assert [user for user, _ in parse.parse_users(text)] == [0, 10]
