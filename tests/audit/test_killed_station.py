"""The station killed with SIGKILL at random moments of a 16-phone provisioning run, again and again on one
data folder: the log must stay whole and verifiable, nothing may be signed off that did not pass, and a
normal run afterwards finishes what was interrupted.

The phones are served by `station simulate` in a process of their own, so they keep what the killed
station did to them (apps removed, profiles installed), as real phones would. Kill moments are drawn
from a seeded random (STATION_KILL_SEED to replay one); each is either a delay from the start of the
process (to hit start-up, connecting and pairing) or a number of log records written in that run plus a
short delay (to land inside the run, wherever it has got to on a slow or fast machine).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from station.audit.signing import KEY_NAME
from station.audit.store import DB_NAME, Store
from station.core.policy import default_policy_path

KILLS = 20
MAX_RUNS = 40  # a run may finish before its kill moment; it then counts as a run, not a kill
SEED = int(os.environ.get("STATION_KILL_SEED", "20261125"))
PIN = "482913"
SUPERVISOR = "1001"
RUN_TIMEOUT_S = 120.0
POLL_S = 0.005
STATION = [sys.executable, "-m", "station"]
BANNED = ["com.tencent.mm", "com.zhiliaoapp.musically", "com.kaspersky.security.cloud", "com.tencent.wework"]
NOT_READY = {"KILL0005", "KILL0009", "00008120-001100000000000C"}


def fleet_toml() -> str:
    """12 Android phones and 4 iPhones: most with banned apps to remove (several each, so that removals
    span several kills), three that can never be ready (old patch, rooted, unsupervised iPhone)."""
    # The depot's local calendar, by which the engine counts a patch's age.
    recent = (dt.datetime.now().astimezone().date() - dt.timedelta(days=10)).isoformat()
    tables = []
    for number in range(12):
        serial = f"KILL{number:04d}"
        apps = [BANNED[(number + k) % len(BANNED)] for k in range(number % 3 + 1)] + ["com.android.chrome"]
        patch = "2023-01-01" if serial == "KILL0005" else recent
        tables.append(
            f'[[device]]\nplatform = "android"\nserial = "{serial}"\nmanufacturer = "Google"\nmodel = "Pixel 8"\n'
            f'os_version = "15"\nsecurity_patch = "{patch}"\napps = {json.dumps(apps)}\n'
            + ("rooted = true\n" if serial == "KILL0009" else "")
        )
    for number, (supervised, apps) in enumerate([
        (True, ["com.tencent.xin", "com.zhiliaoapp.musically"]),
        (True, ["com.zhiliaoapp.musically", "com.example.app"]),
        (False, ["com.tencent.xin"]),
        (True, []),
    ]):
        tables.append(
            f'[[device]]\nplatform = "ios"\nserial = "00008120-00110000000000{number + 10:02X}"\nproduct_type = "iPhone16,1"\n'
            f'os_version = "18.1"\nsupervised = {str(supervised).lower()}\napps = {json.dumps(apps)}\n'
        )
    return "\n".join(tables)


@dataclass
class Bench:
    """`station simulate` running in its own process, and the selectors that reach its phones."""

    selectors: list[str]
    env: dict[str, str]
    data_dir: Path
    workflow: Path


@dataclass
class History:
    """What was done so far, printed with any failure so that it can be replayed."""

    seed: int
    events: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"seed {self.seed} (replay with STATION_KILL_SEED={self.seed}):\n  " + "\n  ".join(self.events)


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Bench]:
    fleet = tmp_path / "fleet.toml"
    fleet.write_text(fleet_toml(), encoding="utf-8")
    env = {**os.environ, "STATION_PIN": PIN}
    env.pop("STATION_DATA_DIR", None)
    server = subprocess.Popen([*STATION, "simulate", str(fleet)], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert server.stdout is not None
        selectors: list[str] = []
        while "--usbmux" not in selectors:
            line = json.loads(server.stdout.readline())
            selectors += ["--adb", line["address"]] if line["platform"] == "android" else ["--usbmux", line["usbmuxd"]]
        yield Bench(selectors, env, tmp_path / "data", unsealed_workflow(tmp_path))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=15)
        if server.stdout is not None:
            server.stdout.close()


def station(bench: Bench, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*STATION, "--data-dir", str(bench.data_dir), *args], capture_output=True, text=True,
                          env=bench.env, timeout=RUN_TIMEOUT_S, check=False)


def unsealed_workflow(folder: Path) -> Path:
    """The shipped provisioning workflow without its last item, the seal: these phones are provisioned
    again and again, and a sealed phone (USB debugging off, as on a real one) no longer answers."""
    shipped = default_policy_path().parent / "workflows" / "provision.toml"
    text = shipped.read_text(encoding="utf-8")
    path = folder / "provision-unsealed.toml"
    path.write_text(text[:text.index('[[item]]\nid = "seal"')], encoding="utf-8")
    return path


def provision_command(bench: Bench) -> list[str]:
    return [*STATION, "--data-dir", str(bench.data_dir), "provision", *bench.selectors, "--workflow", str(bench.workflow),
            "--operator", SUPERVISOR, "--sign-off", "--yes", "--json"]


def record_count(db_path: Path) -> int:
    """Records in the log, read as a second process would (read-only, never blocking the station)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1.0)
    try:
        return int(conn.execute("SELECT count(*) FROM records").fetchone()[0])
    except sqlite3.OperationalError:  # busy or mid-checkpoint: look again on the next poll
        return -1
    finally:
        conn.close()


def run_and_kill(bench: Bench, rng: random.Random, history: History, number: int) -> bool:
    """Start a provisioning run and SIGKILL it at a random moment; True if it was killed mid-run."""
    db_path = bench.data_dir / DB_NAME
    before = record_count(db_path)
    by_time = rng.random() < 0.25
    delay = rng.uniform(0.0, 1.5) if by_time else rng.uniform(0.0, 0.05)
    records = 0 if by_time else rng.randint(1, 140)  # a whole run writes about 135
    started = time.monotonic()
    process = subprocess.Popen(provision_command(bench), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=bench.env)
    try:
        while process.poll() is None and (records and record_count(db_path) < before + records):
            time.sleep(POLL_S)
        if process.poll() is None:
            time.sleep(delay)
        killed = process.poll() is None
        if killed:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=RUN_TIMEOUT_S)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    written = record_count(db_path) - before
    moment = f"{delay:.3f} s after start" if by_time else f"{delay:.3f} s after record +{records}"
    outcome = f"killed at {time.monotonic() - started:.3f} s" if killed else f"finished first (exit {process.returncode})"
    history.events.append(f"run {number}: kill {moment}: {outcome}, {written} records written")
    return killed


def check_log(bench: Bench, history: History) -> list[dict[str, object]]:
    """The log opens, is intact per `station log verify`, and every sign-off vouches for a ready checklist."""
    verdict = station(bench, "log", "verify")
    assert verdict.returncode == 0, f"log verify failed: {verdict.stdout}{verdict.stderr}\n{history}"
    conn = sqlite3.connect(bench.data_dir / DB_NAME)
    conn.row_factory = sqlite3.Row
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", f"database damaged\n{history}"
        rows = [dict(row) for row in conn.execute("SELECT * FROM records ORDER BY seq")]
    finally:
        conn.close()
    by_seq = {row["seq"]: row for row in rows}
    for row in rows:
        json.loads(str(row["data"]))  # no half-written record: every one is complete JSON
        if row["kind"] != "sign_off":
            continue
        data = json.loads(str(row["data"]))
        checklist = by_seq.get(data["checklist_seq"])
        assert checklist is not None and checklist["kind"] == "checklist", f"sign-off {row['seq']} names no checklist\n{history}"
        assert checklist["hash"] == data["checklist_hash"] and checklist["serial"] == row["serial"], f"sign-off {row['seq']}\n{history}"
        assert json.loads(str(checklist["data"]))["ready"] is True, (
            f"{row['serial']} was signed off (record {row['seq']}) on a checklist that was not ready\n{history}")
        assert row["serial"] not in NOT_READY, f"{row['serial']} can never be ready but was signed off\n{history}"
    return rows


@pytest.mark.slow
@pytest.mark.kill
def test_station_killed_twenty_times_loses_nothing_and_signs_off_nothing_wrong(bench: Bench) -> None:
    added = station(bench, "operator", "add", "Ana Tremblay", "--badge", SUPERVISOR, "--role", "supervisor")
    assert added.returncode == 0, added.stderr
    rng = random.Random(SEED)
    history = History(SEED)
    kills = runs = 0
    while kills < KILLS:
        assert runs < MAX_RUNS, f"only {kills} of {runs} runs could be killed mid-run\n{history}"
        runs += 1
        kills += run_and_kill(bench, rng, history, runs)
        check_log(bench, history)

    final = subprocess.run(provision_command(bench), capture_output=True, text=True, env=bench.env, timeout=RUN_TIMEOUT_S, check=False)
    history.events.append(f"final run: exit {final.returncode}")
    assert final.returncode == 1, f"{final.stderr}\n{history}"  # 1: the three phones that cannot be ready
    phones = {phone["serial"]: phone for phone in json.loads(final.stdout)}
    assert len(phones) == 16 and all(phone["error"] is None for phone in phones.values()), f"{final.stdout}\n{history}"
    assert {serial for serial, phone in phones.items() if not phone["ready"]} == NOT_READY, f"{final.stdout}\n{history}"
    assert all(phone["signed_off"] is not None for serial, phone in phones.items() if serial not in NOT_READY), f"{final.stdout}\n{history}"
    rows = check_log(bench, history)
    signed = {row["serial"] for row in rows if row["kind"] == "sign_off"}
    assert signed == set(phones) - NOT_READY, history
    print(history)  # shown with -rP: where the kills landed


def test_a_station_killed_while_creating_its_key_starts_again(tmp_path: Path) -> None:
    (tmp_path / KEY_NAME).touch(mode=0o600)  # what SIGKILL between os.open(O_EXCL) and the write leaves
    Store.open(tmp_path).close()
