"""The detail panel's rows for what a reading said besides the apps: lock, accounts, managers, battery."""

from __future__ import annotations

from station.core.account_lock import account_lock
from station.core.models import Account, Battery, BatteryHealth, DeviceFacts, Platform
from station.gui.detail_panel import facts_rows
from station.gui.state import PhoneState


def test_rows_show_the_lock_the_accounts_the_owner_and_the_battery() -> None:
    facts = DeviceFacts(accounts=(Account("com.google", "jane.doe@gmail.com"),),
                        management=("device owner com.example.mdm/.AdminReceiver (user 0)",),
                        battery=Battery(level=64, health=BatteryHealth.GOOD, capacity_percent=88))
    state = PhoneState("a", Platform.ANDROID, facts=facts, account_lock=account_lock(Platform.ANDROID, facts))
    rows = facts_rows(state)
    assert rows["Account lock"] == "locked: signed in with jane.doe@gmail.com"
    assert rows["Accounts"] == "jane.doe@gmail.com (com.google)"
    assert rows["Managed by"] == "device owner com.example.mdm/.AdminReceiver (user 0)"
    assert rows["Battery"] == "charged 64%, health good, holds 88% of its design capacity"


def test_what_the_phone_did_not_say_is_shown_as_not_known() -> None:
    rows = facts_rows(PhoneState("a", Platform.IOS, facts=DeviceFacts(management=()), account_lock=None))
    assert (rows["Managed by"], rows["Battery"], rows["Accounts"]) == ("nobody", "not reported", "")
    assert facts_rows(PhoneState("a", Platform.ANDROID, facts=DeviceFacts()))["Accounts"] == "not listed"
