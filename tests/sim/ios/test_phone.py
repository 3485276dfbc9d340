"""Fleet-file iPhone entries: what they default to, what they refuse, and how the phone's state changes."""

from __future__ import annotations

from typing import Any

import pytest

from station.core.errors import FleetError
from station.sim.ios.phone import SimIPhone, SimProfile, parse_ios_device, team_id_for

UDID = "00008110-001A2B3C4D5E801E"


def parse(**keys: Any) -> SimIPhone:
    return parse_ios_device({"platform": "ios", "serial": UDID, **keys}, "device[2] (serial X)", "fleet.toml")


def test_defaults() -> None:
    phone = parse(apps=["com.tencent.xin"])
    assert (phone.udid, phone.product_type, phone.os_version, phone.build_version) == (UDID, "iPhone15,2", "17.5.1", "21F90")
    assert len(phone.serial_number) == 10 and phone.serial_number == parse().serial_number
    assert (phone.paired, phone.supervised, phone.passcode_locked, phone.pairing) == (True, False, False, "trust")
    app = phone.apps["com.tencent.xin"]
    assert (app.name, app.version, app.system, app.team_id) == ("xin", "1.0", False, team_id_for("com.tencent.xin"))
    assert phone.imei is None and phone.latency_ms is None and phone.profiles == {}


def test_full_entry() -> None:
    phone = parse(
        product_type="iPhone14,5", device_name="Depot 7", os_version="16.7.8", serial_number="F2LXK0ABCD",
        imei="356789012345678", apps=[{"id": "com.zhiliaoapp.musically", "name": "TikTok", "version": "34.1",
                                        "team_id": "5RB7W8D9PZ"}],
        system_apps=["com.apple.mobilesafari"], supervised=True, paired=False, passcode_locked=True, pairing=2.5,
        latency_ms=40, profiles=[{"identifier": "org.depot.wifi", "display_name": "Depot Wi-Fi",
                                  "payload_types": ["com.apple.wifi.managed"]}],
    )
    assert (phone.build_version, phone.pairing, phone.latency_ms, phone.imei) == ("20H343", 2.5, 40.0, "356789012345678")
    assert phone.apps["com.zhiliaoapp.musically"].team_id == "5RB7W8D9PZ"
    assert phone.apps["com.apple.mobilesafari"].system and phone.apps["com.apple.mobilesafari"].team_id is None
    assert phone.profiles["org.depot.wifi"].payload_types == ["com.apple.wifi.managed"]


def test_team_id_is_shared_by_a_publisher() -> None:
    assert team_id_for("com.tencent.xin") == team_id_for("com.tencent.qq") != team_id_for("com.whatsapp.WhatsApp")
    assert len(team_id_for("com.tencent.xin")) == 10


@pytest.mark.parametrize(("keys", "key", "what"), [
    ({"udid": UDID}, "udid", "unknown key"),
    ({"serial": "R58N12ABCDE"}, "serial", "is not a UDID"),
    ({"os_version": "6.1"}, "os_version", "too old"),
    ({"os_version": 17}, "os_version", "must be text, not 17"),
    ({"product_type": "Pixel 6"}, "product_type", "is not a product type"),
    ({"apps": ["not a bundle"]}, "apps[0] id", "is not a bundle id"),
    ({"apps": [{"id": "com.a.b", "size": 3}]}, "apps[0] size", "unknown key (expected one of: id, name, team_id, version)"),
    ({"apps": ["com.a.b"], "system_apps": ["com.a.b"]}, "apps[0]", "more than once"),
    ({"apps": [{"id": "com.a.b", "team_id": "abc"}]}, "apps[0] team_id", "10 capital letters"),
    ({"pairing": "maybe"}, "pairing", "must be \"trust\""),
    ({"paired": "yes"}, "paired", "true or false"),
    ({"imei": 356789012345678}, "imei", "must be text, not 356789012345678"),
    ({"imei": "3567"}, "imei", "'3567' is not 15 digits"),
    ({"latency_ms": -1}, "latency_ms", "must be 0 or more"),
    ({"profiles": [{"identifier": "a", "kind": "x"}]}, "profiles[0] kind", "unknown key"),
    ({"profiles": [{"identifier": "a"}, {"identifier": "a"}]}, "profiles[1] identifier", "'a' is listed twice"),
])
def test_bad_entries_name_the_key(keys: dict[str, Any], key: str, what: str) -> None:
    entry = {"platform": "ios", "serial": UDID, **keys}
    if "udid" in keys:
        del entry["serial"]
    with pytest.raises(FleetError) as caught:
        parse_ios_device(entry, "device[2] (X)", "fleet.toml")
    assert caught.value.path == "fleet.toml"
    assert caught.value.where == f"device[2] (X) {key}"
    assert what in caught.value.what


def test_erase_keeps_only_system_apps_and_forgets_hosts() -> None:
    phone = parse(apps=["com.tencent.xin"], system_apps=["com.apple.mobilesafari"], supervised=True, passcode_locked=True)
    phone.trust_host("HOST", b"cert")
    phone.install_profile(SimProfile("org.depot.r", "R", ["com.apple.applicationaccess"], "U"))
    phone.erase()
    assert list(phone.apps) == ["com.apple.mobilesafari"]
    assert (phone.profiles, phone.trusted_hosts, phone.paired, phone.passcode_locked) == ({}, {}, False, False)
    assert not phone.activated and phone.erase_count == 1


def test_pairing_dialog_answers_after_the_delay() -> None:
    phone = parse(paired=False, pairing=5)
    assert phone.pairing_answer(now=100.0) == "pending"
    assert phone.pairing_answer(now=104.9) == "pending"
    assert phone.pairing_answer(now=105.0) == "trust"
    assert parse(pairing="deny").pairing_answer() == "deny"
