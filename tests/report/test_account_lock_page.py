"""The printed checklist of a returned phone still tied to its user's account says so above everything."""

from __future__ import annotations

from station.core.language import Language
from station.report.document import ChecklistDocument
from station.report.pdf import page_html


def document(lock_status: str) -> ChecklistDocument:
    items = [
        {"id": "account-lock", "title": "Not tied to the user's account", "mandatory": True, "check": "no_account_lock",
         "action": None, "status": lock_status, "evidence": "locked: Find My is on. The returning user must sign out of iCloud"},
        {"id": "wipe", "title": "Wipe", "mandatory": False, "check": None, "action": "wipe", "status": "fail",
         "evidence": "not wiped"},
    ]
    return ChecklistDocument("Depot", "st-1", "1.0", {"serial": "00008030-001A2B3C4D5E802E", "platform": "ios"}, {}, "return",
                             False, items, "2026-11-29T23:00:00", "Ana", 12, "ab" * 32, "cd" * 32, None)


def test_a_locked_phone_gets_an_account_lock_banner_with_what_to_do() -> None:
    english = page_html(document("fail"), "qr.png", (Language.EN,))
    assert "ACCOUNT LOCK: locked: Find My is on. The returning user must sign out of iCloud" in english
    assert english.index("ACCOUNT LOCK") < english.index("<h2>Phone</h2>")
    both = page_html(document("fail"), "qr.png")  # the default: English and French side by side
    assert "ACCOUNT LOCK / VERROUILLAGE PAR COMPTE: locked: Find My is on" in both
    assert "ACCOUNT LOCK" not in page_html(document("pass"), "qr.png")
