"""`station report SERIAL` at a joined station prints the phone's story across the depot: a phone
provisioned at bench 1 and returned at bench 2 shows both stations' records on bench 2's checklist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.depot.conftest import Depot
from tests.depot.helpers import cli, init
from tests.report.test_pdf import pdf_text

SERIAL = "R58N12ABCDE"
FLEET = f"""
[[device]]
platform = "android"
serial = "{SERIAL}"
manufacturer = "samsung"
model = "SM-S911W"
os_version = "14"
security_patch = "2026-10-01"
apps = ["com.tencent.mm"]
reboot_s = 0.3
"""


def bench(tmp_path: Path, depot: Depot, name: str, badge: str) -> Path:
    """A station joined to ``depot`` as ``name``, with a supervisor of its own."""
    data_dir = tmp_path / name
    assert cli(data_dir, "operator", "add", f"Supervisor {name}", "--badge", badge, "--role", "supervisor") == 0
    assert cli(data_dir, "depot", "join", depot.dsn, "--name", name) == 0
    return data_dir


def test_the_checklist_of_a_phone_returned_here_tells_its_story_at_every_station(
        depot_db: Depot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], qapp: object) -> None:
    monkeypatch.setenv("STATION_PIN", "246810")
    init(depot_db)
    fleet = tmp_path / "fleet.toml"
    fleet.write_text(FLEET, encoding="utf-8")
    bench1, bench2 = bench(tmp_path, depot_db, "bench-1", "1001"), bench(tmp_path, depot_db, "bench-2", "2002")
    cli(bench1, "provision", "--sim", str(fleet), "--operator", "1001", "--sign-off", "--yes")  # pushed after the command
    cli(bench2, "return", "--sim", str(fleet), "--operator", "2002", "--yes")
    out = tmp_path / "checklist.pdf"
    capsys.readouterr()
    assert cli(bench2, "report", SERIAL, "-o", str(out), "--lang", "en") == 0
    assert capsys.readouterr().err == ""  # the depot answered: no note that only this station's records are printed
    text = " ".join(pdf_text(out).split())
    story = text.split("History of this phone in the depot:")[1]
    provisioned = re.search(r"bench-1, [^,]+ UTC, Supervisor bench-1: .*?checklist #(\d+), sign_off #(\d+)", story)
    returned = re.search(r"bench-2, [^,]+ UTC, Supervisor bench-2: .*?return_intake #\d+.*?checklist #(\d+)", story)
    assert provisioned is not None and returned is not None, story
    assert story.index("bench-1,") < story.index("bench-2,")  # oldest first
    assert f"Log record {returned.group(1)};" in text  # the page is bench 2's return checklist
