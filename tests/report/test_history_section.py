"""The printed checklist's section on the phone's history: a line per session at a station, the records
that tell the story named and the others counted, and never a second page however long the story."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

from station.audit.history import History, HistoryEntry
from station.audit.store import Store
from station.cli import main
from station.core.language import ReportLanguage
from station.report.document import HistoryLine, history_lines, latest_checklist
from station.report.pdf import write_pdf
from tests.report import test_pdf
from tests.report.test_pdf import UDID, pdf_text

signed_store = test_pdf.signed_store  # the fixture: an iPhone provisioned and signed off, in tmp_path's log

ANA = "Ana Tremblay (badge 1001, supervisor)"
STEPS = ("intake", "intake_facts", "action_started", "action_result", "verification", "checklist")


def session(station: str, run: str, day: int, first_seq: int) -> list[HistoryEntry]:
    """A provisioning as the log has it: its steps and readings, its checklist, then the sign-off."""
    entries = [HistoryEntry(station, first_seq + n, kind, f"2026-11-{day:02}T10:00:0{n}+00:00", UDID, None, ANA, run)
               for n, kind in enumerate(STEPS)]
    return [*entries, HistoryEntry(station, first_seq + len(STEPS), "sign_off", f"2026-11-{day:02}T10:05:00+00:00", UDID, None,
                                   "Ana Tremblay", run)]


def test_a_line_per_session_names_its_story_and_counts_the_rest() -> None:
    history = History([*session("bench-1", "r1", 2, 10), *session("bench-2", "r2", 9, 4)], "bench-2")
    lines, earlier = history_lines(history)
    assert earlier == 0
    assert lines == [
        HistoryLine("bench-1", "2026-11-02T10:00:00+00:00", (("Ana Tremblay", "checklist #15, sign_off #16"),), 5),
        HistoryLine("bench-2", "2026-11-09T10:00:00+00:00", (("Ana Tremblay", "checklist #9, sign_off #10"),), 5),
    ]
    scans = [HistoryEntry("bench-1", seq, "scan", "2026-11-02T10:00:00+00:00", UDID, None, None, "r3") for seq in (3, 5, 8, 13)]
    (line,), _ = history_lines(History(scans, "bench-1"))
    assert line.said == ((None, "scan #3, #5 … #13 (4)"),) and line.others == 0
    kept, earlier = history_lines(History([e for day in range(1, 7) for e in session("bench-1", f"r{day}", day, day * 10)], "bench-1"), 2)
    assert earlier == 4 and [line.time[:10] for line in kept] == ["2026-11-05", "2026-11-06"]


def test_a_long_story_keeps_the_checklist_on_one_page_in_every_language(signed_store: Store, tmp_path: Path, qapp: object) -> None:
    doc = latest_checklist(signed_store, UDID, "Depot")
    story = History([e for day in range(1, 13) for e in session(f"bench-{day % 3 + 1}", f"r{day}", day, day * 10)], "bench-1")
    for language in ReportLanguage:
        out = tmp_path / f"{language}.pdf"
        write_pdf([replace(doc, history=story)], out, language)
        info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
        assert "Pages:           1" in info, language
        text = " ".join(pdf_text(out).split())
        assert "sign_off #126" in text, language  # the newest session is printed
        said = {ReportLanguage.EN: "earlier sessions not printed:", ReportLanguage.FR: "séances antérieures non imprimées :",
                ReportLanguage.BOTH: "earlier sessions not printed:"}
        assert said[language] in text, language


def test_the_report_of_a_station_in_no_depot_prints_its_own_history(signed_store: Store, tmp_path: Path, qapp: object) -> None:
    out = tmp_path / "checklist.pdf"
    assert main(["--data-dir", str(tmp_path), "report", UDID, "-o", str(out), "--lang", "en"]) == 0
    text = " ".join(pdf_text(out).split())
    story = text.split("History of this phone at this station:")[1]
    assert story.lstrip().startswith("local, ") and "Ana Tremblay: checklist #" in story and ", sign_off #" in story
