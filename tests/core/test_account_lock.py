"""The account-lock gate of a returned phone, and the checks built on it and on the battery."""

from __future__ import annotations

import pytest

from station.core.account_lock import LockGate, account_lock
from station.core.checklist import Status, judge
from station.core.models import Account, Battery, BatteryHealth, DeviceFacts, Platform
from tests.core.test_checklist import check, evidence

GOOGLE = Account("com.google", "jane.doe@gmail.com")
SAMSUNG = Account("com.osp.app.signin", "jane@example.com")
WHATSAPP = Account("com.whatsapp", "Jane")


@pytest.mark.parametrize(("platform", "facts", "gate"), [
    (Platform.ANDROID, DeviceFacts(accounts=()), LockGate.CLEAR),
    (Platform.ANDROID, DeviceFacts(accounts=(WHATSAPP,)), LockGate.CLEAR),
    (Platform.ANDROID, DeviceFacts(accounts=(WHATSAPP, GOOGLE)), LockGate.LOCKED),
    (Platform.ANDROID, DeviceFacts(accounts=(SAMSUNG,)), LockGate.LOCKED),
    (Platform.ANDROID, DeviceFacts(accounts=None), LockGate.UNKNOWN),
    (Platform.ANDROID, DeviceFacts(find_my=False), LockGate.UNKNOWN),  # Find My says nothing of an Android phone
    (Platform.IOS, DeviceFacts(find_my=False), LockGate.CLEAR),
    (Platform.IOS, DeviceFacts(find_my=True), LockGate.LOCKED),
    (Platform.IOS, DeviceFacts(find_my=None, accounts=()), LockGate.UNKNOWN),
])
def test_gate(platform: Platform, facts: DeviceFacts, gate: LockGate) -> None:
    assert account_lock(platform, facts).gate is gate


def test_the_remedy_names_what_the_returning_user_must_do() -> None:
    android = account_lock(Platform.ANDROID, DeviceFacts(accounts=(GOOGLE, SAMSUNG)))
    assert "remove the Google account jane.doe@gmail.com" in android.remedy
    assert "remove the Samsung account jane@example.com" in android.remedy
    assert "sign out of iCloud" in account_lock(Platform.IOS, DeviceFacts(find_my=True)).remedy


def test_no_account_lock_check_fails_on_lock_and_unknown() -> None:
    item = check("no_account_lock")
    assert judge(item, evidence(facts=DeviceFacts(accounts=()))).status is Status.PASS
    locked = judge(item, evidence(facts=DeviceFacts(accounts=(GOOGLE,))))
    assert locked.status is Status.FAIL and "jane.doe@gmail.com" in locked.evidence
    assert judge(item, evidence(facts=DeviceFacts())).status is Status.FAIL
    assert judge(item, evidence(Platform.IOS, facts=DeviceFacts(find_my=True))).status is Status.FAIL


def test_battery_check_uses_the_workflows_threshold() -> None:
    item = check("battery_healthy", android=80, ios=85)
    worn = DeviceFacts(battery=Battery(level=50, health=BatteryHealth.GOOD, capacity_percent=82))
    assert judge(item, evidence(facts=worn)).status is Status.PASS
    assert judge(item, evidence(Platform.IOS, facts=worn)).status is Status.FAIL
    hot = DeviceFacts(battery=Battery(level=50, health=BatteryHealth.OVERHEAT))
    assert judge(item, evidence(facts=hot)).status is Status.FAIL
    assert judge(item, evidence(facts=DeviceFacts())).status is Status.FAIL  # not reported: not proven
    no_capacity = DeviceFacts(battery=Battery(level=50, health=BatteryHealth.GOOD))  # a Pixel does not say
    assert judge(item, evidence(facts=no_capacity)).status is Status.PASS
