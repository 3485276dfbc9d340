"""The tile's state folded from events: what the operator reads while a phone is away or signed off."""

from __future__ import annotations

from station.core import events
from station.core.models import DeviceIdentity, Platform
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
