"""The tile's state folded from events: what the operator reads while a phone is away or signed off."""

from __future__ import annotations

from station.core import events
from station.core.account_lock import account_lock
from station.core.checklist import Handout, Item, ItemResult, SealOutcome, SealState, Status
from station.core.models import Account, DeviceFacts, DeviceIdentity, Platform
from station.core.sayings import Said, Saying
from station.gui.state import BenchState, TileStatus

PHONE = DeviceIdentity(Platform.ANDROID, "LOCKED0001", "Google", "Pixel 7a", "14")


def test_a_phone_sent_to_recovery_keeps_its_instructions_while_it_is_away() -> None:
    bench = BenchState()
    bench.apply(events.Arrived("a", Platform.ANDROID))
    bench.apply(events.Wiped("a", PHONE, "choose 'Wipe data/factory reset'", by_hand=True))
    away = bench.apply(events.Left("a"))
    assert away is not None and away.status is TileStatus.WIPING and not away.present
    assert away.step == "in recovery: reset it by hand" and away.message == "choose 'Wipe data/factory reset'"

    bench.apply(events.Wiped("a", PHONE, "resetting"))
    restarting = bench.apply(events.Left("a"))
    assert restarting is not None and restarting.step == "restarting after the wipe"


def test_a_sign_off_applies_only_to_the_checklist_it_was_given_for() -> None:
    bench = BenchState()
    bench.apply(events.Arrived("a", Platform.ANDROID))
    bench.apply(events.ChecklistDone("a", PHONE, "provision", (), True, seq=7))
    assert bench.sign_off("a", 6, 40, "Ana Tremblay") is None  # an older checklist
    signed = bench.sign_off("a", 7, 41, "Ana Tremblay")
    assert signed is not None and signed.status is TileStatus.SIGNED_OFF and signed.signed_off == 41
    assert signed.step == "signed off by Ana Tremblay, record 41"
    again = bench.apply(events.ChecklistDone("a", PHONE, "provision", (), True, seq=9))
    assert again is not None and again.signed_off is None and again.status is TileStatus.READY


def test_a_returned_phone_tied_to_its_users_account_is_marked_with_what_the_user_must_do() -> None:
    lock = account_lock(Platform.ANDROID, DeviceFacts(accounts=(Account("com.google", "jane.doe@gmail.com"),)))
    gate = Item("account-lock", "Not tied to the user's account", True, check="no_account_lock")
    other = Item("factory-fresh", "Only preinstalled apps remain", True, check="factory_fresh")
    bench = BenchState()
    bench.apply(events.Arrived("a", Platform.ANDROID))
    failed = (ItemResult(gate, Status.FAIL, lock.said),
              ItemResult(other, Status.FAIL, Said.of(Saying.USER_APPS_REMAIN, count=1, apps="com.example.game")))
    marked = bench.apply(events.ChecklistDone("a", PHONE, "return", failed, False, account_lock=lock))
    assert marked is not None and marked.status is TileStatus.ACCOUNT_LOCKED
    assert "remove the Google account jane.doe@gmail.com" in marked.message
    # A phone failing for another reason alone is "not ready", not "account locked".
    unrelated = bench.apply(events.ChecklistDone("a", PHONE, "return", failed[1:], False, account_lock=lock))
    assert unrelated is not None and unrelated.status is TileStatus.NOT_READY and unrelated.message == ""


def test_a_sealed_phone_that_leaves_stays_sealed_and_ready_for_sign_off_not_unplugged() -> None:
    seal = SealOutcome(SealState.SEALED, Said.of(Saying.SEALED, done=Said.of(Saying.DEBUGGING_OFF), went=Said.of(Saying.STOPPED_ANSWERING)),
                       "2026-11-30T01:44:43.411+00:00", Handout.RESTORE_SETTINGS)
    bench = BenchState()
    bench.apply(events.Arrived("a", Platform.ANDROID))
    bench.apply(events.StepChanged("a", Platform.ANDROID, events.Step.SEALING, "LOCKED0001"))
    gone = bench.apply(events.Left("a"))  # the watch sees it go before the checklist is recorded
    assert gone is not None and gone.status is TileStatus.SEALING and not gone.present
    done = bench.apply(events.ChecklistDone("a", PHONE, "provision", (), True, seq=7, seal=seal))
    assert done is not None and done.status is TileStatus.SEALED and done.seal == seal and not done.present
    assert bench.apply(events.Left("a")) is not None and bench.phones["a"].status is TileStatus.SEALED
    signed = bench.sign_off("a", 7, 8, "Ana Tremblay")
    assert signed is not None and signed.status is TileStatus.SIGNED_OFF and signed.seal == seal
