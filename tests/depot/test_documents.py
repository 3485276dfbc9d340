"""The depot's policy and workflows: a supervisor publishes one at any station, every station takes the
newest at its next sync and uses it where no file is named; a broken copy is never taken."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from station.core.policy import default_policy_path
from station.depot.config import DocumentKind, shared_document
from tests.depot.conftest import Depot
from tests.depot.helpers import cli, init, station

DEPOT_POLICY_NAME = "Depot 7: the TBS 2023 bans, as published by the depot"


def depot_policy(tmp_path: Path) -> Path:
    text = default_policy_path().read_text(encoding="utf-8")
    original = next(line for line in text.splitlines() if line.startswith("name = "))
    path = tmp_path / "depot-policy.toml"
    path.write_text(text.replace(original, f'name = "{DEPOT_POLICY_NAME}"', 1), encoding="utf-8")
    return path


@pytest.fixture
def two_benches(depot_db: Depot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    init(depot_db)
    bench1 = station(tmp_path, depot_db, "bench-1")
    monkeypatch.setenv("STATION_PIN", "482100")
    assert cli(bench1, "operator", "add", "Ana", "--badge", "100", "--role", "supervisor") == 0
    monkeypatch.setenv("STATION_SUPERVISOR_PIN", "482100")
    return bench1, station(tmp_path, depot_db, "bench-2")


def test_a_published_policy_is_the_one_every_station_scans_with(
    two_benches: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bench1, bench2 = two_benches
    assert cli(bench1, "depot", "publish", "policy", str(depot_policy(tmp_path)), "--supervisor", "100") == 0
    assert cli(bench2, "depot", "sync") == 0
    kept = shared_document(bench2, DocumentKind.POLICY, "policy")
    assert kept is not None and DEPOT_POLICY_NAME in kept.read_text(encoding="utf-8")
    fleet = Path(__file__).resolve().parents[2] / "assets" / "demo-fleet.toml"
    capsys.readouterr()
    cli(bench2, "scan", "--sim", str(fleet))
    assert f"Policy: {DEPOT_POLICY_NAME}" in capsys.readouterr().out


def test_a_workflow_is_kept_under_its_purpose(two_benches: tuple[Path, Path]) -> None:
    bench1, bench2 = two_benches
    workflow = default_policy_path().parent / "workflows" / "return.toml"
    assert cli(bench1, "depot", "publish", "workflow", str(workflow), "--supervisor", "Ana") == 0
    assert cli(bench2, "depot", "sync") == 0
    kept = shared_document(bench2, DocumentKind.WORKFLOW, "return")
    assert kept is not None and kept.read_text(encoding="utf-8") == workflow.read_text(encoding="utf-8")


def test_only_a_supervisor_publishes_and_a_broken_file_is_refused(
    two_benches: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bench1, _ = two_benches
    monkeypatch.setenv("STATION_SUPERVISOR_PIN", "000000")
    assert cli(bench1, "depot", "publish", "policy", str(depot_policy(tmp_path)), "--supervisor", "100") == 2
    assert "wrong PIN" in capsys.readouterr().err
    broken = tmp_path / "broken.toml"
    broken.write_text("[policy]\nid = 3\n", encoding="utf-8")
    monkeypatch.setenv("STATION_SUPERVISOR_PIN", "482100")
    assert cli(bench1, "depot", "publish", "policy", str(broken), "--supervisor", "100") == 2
    assert shared_document(bench1, DocumentKind.POLICY, "policy") is None


def test_a_broken_copy_in_the_depot_is_never_taken(two_benches: tuple[Path, Path], depot_db: Depot, tmp_path: Path) -> None:
    bench1, bench2 = two_benches
    assert cli(bench1, "depot", "publish", "policy", str(depot_policy(tmp_path)), "--supervisor", "100") == 0
    assert cli(bench2, "depot", "sync") == 0
    with depot_db.admin() as conn:  # a superuser writes a broken policy straight into the table
        conn.execute("INSERT INTO documents (kind, name, sha256, content, station_id, published_by) "
                     "SELECT 'policy', 'policy', 'x', '[policy]\nid = 3\n', station_id, 'mallory' FROM stations LIMIT 1")
    assert cli(bench2, "depot", "sync") == 0
    kept = shared_document(bench2, DocumentKind.POLICY, "policy")
    assert kept is not None and DEPOT_POLICY_NAME in kept.read_text(encoding="utf-8")
    assert not [p for p in kept.parent.iterdir() if p.name.startswith(".new-")]


def test_a_policy_written_into_the_depot_without_a_signed_publication_is_not_taken(
    two_benches: tuple[Path, Path], depot_db: Depot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bench1, bench2 = two_benches
    assert cli(bench1, "depot", "publish", "policy", str(depot_policy(tmp_path)), "--supervisor", "100") == 0
    # A valid policy, inserted as any station's database login may: no supervisor published it.
    forged = depot_policy(tmp_path).read_text(encoding="utf-8").replace(DEPOT_POLICY_NAME, "Mallory's own policy")
    with psycopg.connect(depot_db.dsn, autocommit=True) as conn:
        conn.execute("INSERT INTO documents (kind, name, sha256, content, station_id, published_by) "
                     "SELECT 'policy', 'policy', 'x', %s, station_id, 'Ana' FROM stations WHERE name = 'bench-1'", [forged])
    with caplog.at_level("WARNING"):
        assert cli(bench2, "depot", "sync") == 0
    kept = shared_document(bench2, DocumentKind.POLICY, "policy")
    assert kept is not None and DEPOT_POLICY_NAME in kept.read_text(encoding="utf-8")
    assert "no signed record of a supervisor publishing it" in caplog.text
