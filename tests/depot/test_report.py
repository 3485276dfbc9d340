"""The depot's report: per day, station and operator, counted from every station's records."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
from pathlib import Path

import pytest

from station.audit.records import RecordKind
from station.audit.store import Store
from tests.depot.conftest import Depot
from tests.depot.helpers import OTHER, PHONE, cli, init, station

TIKTOK = {"rule": "tiktok", "app_id": "com.zhiliaoapp.musically"}
WECHAT = {"rule": "wechat", "app_id": "com.tencent.mm"}


def record(data_dir: Path, *entries: tuple[RecordKind, dict[str, object], str]) -> None:
    """Records as one run of the station: (kind, data, operator) about PHONE, or OTHER for a retire."""
    store = Store.open(data_dir)
    try:
        run = store.start_run("provision", None)
        for kind, data, operator in entries:
            identity = OTHER if kind is RecordKind.RETIRED else PHONE
            store.record(run, kind, address="a", platform="android", identity=identity, data=data, operator=operator)
    finally:
        store.close()


def test_report_counts_each_station_and_operator_per_day(depot_db: Depot, tmp_path: Path) -> None:
    init(depot_db)
    bench1 = station(tmp_path, depot_db, "bench-1")
    bench2 = station(tmp_path, depot_db, "bench-2")
    record(bench1,
           (RecordKind.SCAN, {"findings": [TIKTOK, WECHAT]}, "Ana"),
           (RecordKind.SCAN, {"findings": [TIKTOK]}, "Ana"),  # the same app on the same phone: counted once
           (RecordKind.CHECKLIST, {"workflow": "provision", "ready": True}, "Ana"),
           (RecordKind.SIGN_OFF, {"override": None}, "Ana"),
           (RecordKind.CHECKLIST, {"workflow": "provision", "ready": False}, "Ana"),
           (RecordKind.SIGN_OFF, {"override": {"reason": "field test unit", "supervisor": "Bo"}}, "Ana"))
    record(bench2,
           (RecordKind.RETURN_INTAKE, {"findings": []}, "Cy"),
           (RecordKind.INTAKE, {"findings": [TIKTOK]}, "Cy"),
           (RecordKind.CHECKLIST, {"workflow": "return", "ready": True}, "Cy"),
           (RecordKind.RETIRED, {"reason": "cracked screen"}, "Cy"))
    for data_dir in (bench1, bench2):
        assert cli(data_dir, "depot", "sync") == 0
    out = tmp_path / "report.csv"
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert cli(bench1, "depot", "report", "--since", today, "-o", str(out)) == 0
    rows = {(r["station"], r["operator"]): r for r in csv.DictReader(out.read_text(encoding="utf-8").splitlines())}
    assert rows[("bench-1", "Ana")] == {
        "day": today, "station": "bench-1", "operator": "Ana", "provisioned": "2", "returned": "0", "signed_off": "2",
        "not_ready": "1", "overridden": "1", "retired": "0", "found:tiktok": "1", "found:wechat": "1"}
    assert rows[("bench-2", "Cy")] == {
        "day": today, "station": "bench-2", "operator": "Cy", "provisioned": "0", "returned": "1", "signed_off": "0",
        "not_ready": "0", "overridden": "0", "retired": "1", "found:tiktok": "1", "found:wechat": "0"}
    tomorrow = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)).isoformat()
    assert cli(bench1, "depot", "report", "--since", tomorrow, "-o", str(out)) == 0
    assert len(out.read_text().splitlines()) == 1  # the header alone


def test_the_report_prints_as_a_pdf_with_the_same_counts(depot_db: Depot, tmp_path: Path, qapp: object) -> None:
    """(``qapp``: the one QApplication the tests share exists before the command makes its own document.)"""
    init(depot_db)
    bench1 = station(tmp_path, depot_db, "bench-1")
    record(bench1, (RecordKind.SCAN, {"findings": [TIKTOK, WECHAT]}, "Ana"),
           (RecordKind.CHECKLIST, {"workflow": "provision", "ready": True}, "Ana"),
           (RecordKind.SIGN_OFF, {"override": None}, "Ana"))
    assert cli(bench1, "depot", "sync") == 0
    today = dt.datetime.now(dt.UTC).date().isoformat()
    out = tmp_path / "week.pdf"
    assert cli(bench1, "depot", "report", "--since", today, "-o", str(out)) == 0
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True, timeout=60).stdout
    assert f"Depot report since {today}" in text
    done, *found = [line.split() for line in text.splitlines() if "bench-1" in line]
    # day, station, operator, provisioned, returned, signed off, not ready, overridden, retired
    assert done == [today, "bench-1", "Ana", "1", "0", "1", "0", "0", "0"]
    assert found == [[today, "bench-1", "Ana", "tiktok", "1"], [today, "bench-1", "Ana", "wechat", "1"]]


def test_a_report_named_neither_pdf_nor_csv_is_refused(depot_db: Depot, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    init(depot_db)
    bench1 = station(tmp_path, depot_db, "bench-1")
    assert cli(bench1, "depot", "report", "--since", "2026-01-01", "-o", str(tmp_path / "r.xlsx")) == 2
    assert ".pdf" in capsys.readouterr().err
