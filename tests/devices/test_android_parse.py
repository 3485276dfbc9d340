from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from station.devices.android_parse import (
    PackageLine,
    parse_getprop,
    parse_package_list,
    parse_uninstall,
    parse_users,
)


def test_package_list_with_every_field() -> None:
    text = (
        "package:/data/app/~~Xy1==/com.tencent.mm-AbC==/base.apk=com.tencent.mm versionCode:2460  installer=com.android.vending uid:10231\n"
        "package:/system/priv-app/Settings/Settings.apk=com.android.settings versionCode:34  installer=null uid:1000\n"
    )
    assert parse_package_list(text) == [
        PackageLine("com.tencent.mm", "/data/app/~~Xy1==/com.tencent.mm-AbC==/base.apk", "2460", "com.android.vending", 10231),
        PackageLine("com.android.settings", "/system/priv-app/Settings/Settings.apk", "34", None, 1000),
    ]


def test_package_list_plain_and_with_carriage_returns() -> None:
    assert [p.name for p in parse_package_list("package:com.a\r\npackage:com.b\r\n\r\n")] == ["com.a", "com.b"]
    assert parse_package_list("") == []


@pytest.mark.parametrize("text", ["Error: java.lang.SecurityException\n", "package:\n", "package:com.a bogus\n", "package:not a name\n"])
def test_package_list_garbage_is_an_error(text: str) -> None:
    with pytest.raises(ValueError, match="pm list packages: "):
        parse_package_list(text)


def test_users_with_work_profile() -> None:
    text = "Users:\n\tUserInfo{0:Owner:c13} running\n\tUserInfo{10:Work profile:1030} running\n"
    assert parse_users(text) == [(0, "Owner"), (10, "Work profile")]


@pytest.mark.parametrize("text", ["", "Users:\n", "Something else\n", "Users:\n\tgarbage\n"])
def test_users_garbage_is_an_error(text: str) -> None:
    with pytest.raises(ValueError, match="pm list users"):
        parse_users(text)


def test_getprop_reads_values_and_skips_continuation_lines() -> None:
    text = "[ro.product.model]: [SM-S911W]\n[ro.serialno]: [R58N12ABCDE]\n[multi]: [first\nsecond]\n[empty]: []\n"
    props = parse_getprop(text)
    assert props["ro.product.model"] == "SM-S911W"
    assert props["ro.serialno"] == "R58N12ABCDE"
    assert props["empty"] == ""


def test_getprop_without_properties_is_an_error() -> None:
    with pytest.raises(ValueError, match="getprop printed no properties"):
        parse_getprop("/system/bin/sh: getprop: not found\n")


def test_uninstall_results() -> None:
    assert parse_uninstall("Success\n") is None
    assert parse_uninstall("Failure [DELETE_FAILED_INTERNAL_ERROR]\n") == "Failure [DELETE_FAILED_INTERNAL_ERROR]"
    assert parse_uninstall("") == "the phone printed nothing"


@given(st.text())
def test_parsers_never_crash_on_arbitrary_text(text: str) -> None:
    for parser in (parse_package_list, parse_users, parse_getprop):
        with contextlib.suppress(ValueError):  # garbage is refused; anything else escaping is the failure
            parser(text)
    assert parse_uninstall(text) is None or isinstance(parse_uninstall(text), str)
