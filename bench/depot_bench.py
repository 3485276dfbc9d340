"""The depot at scale, measured on a throw-away PostgreSQL server (Debian's postgresql package).

    python bench/depot_bench.py [--stations 8] [--phones 64] [--backlog 100000] [--verify-records 1000000] [--day-records 4000]

Prints, as JSON lines:
- commit-to-depot latency: 8 stations, each with its bench (the window's device process) pushing on its
  own every second while 64 phones' provisioning records (14 a phone, a few tenths of a second apart) are
  committed to its log at once; latency = the depot's arrival time minus the record's commit time
  (median, p99; the target is p99 <= 2 s);
- the drain rate of a backlog: records written while offline, then one `depot sync`;
- `station depot verify` over many records (10 stations, records made by the station's own hashing
  and signing, copied in with COPY), as the CLI twice from one folder: the first run checks every
  record and signature; then a working day's records are added and the second run (the daily check)
  has the server fingerprint the records the first checked and reads and checks only the new ones;
  then a `--quick` run reads and hashes every record and checks the signed heads only (target <= 30 s
  for 1M);
- `station history` of one phone among them (target <= 50 ms): in-process (connection included) and
  the whole CLI process.
Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from station.audit.records import RecordKind
from station.audit.signing import GENESIS, StationKey, public_pem, record_hash
from station.audit.store import Store
from station.cli import main
from station.core.models import DeviceIdentity, Platform
from station.core.policy import default_policy_path, load_policy
from station.workbench import depot_link
from station.workbench.bench import Bench
from tests.depot.pg_server import STATION_PASSWORD, STATION_ROLE, SUPER_PASSWORD, Server, start_server


def new_depot(server: Server, name: str) -> str:
    with server.admin() as conn:
        conn.execute(f"CREATE DATABASE {name}")
    os.environ["PGPASSWORD"] = SUPER_PASSWORD
    assert main(["depot", "init", server.admin_dsn(name), "--grant", STATION_ROLE]) == 0
    os.environ["PGPASSWORD"] = STATION_PASSWORD
    return server.station_dsn(name)


def phone(number: int) -> DeviceIdentity:
    return DeviceIdentity(Platform.ANDROID, f"R58N{number:07d}", "samsung", "SM-S911W", "14", imei=f"35693803{number:07d}")


def write(store: Store, count: int) -> None:
    run = store.start_run("bench", None)
    for number in range(count):
        store.record(run, RecordKind.SCAN, address="127.0.0.1:5555", platform="android",
                     identity=phone(number % 500), data={"n": number})


RECORDS_PER_PHONE = 14  # what provisioning one phone writes (readings, actions, checklist), as the engine does


def latency(server: Server, stations: int, phones: int, work: Path) -> dict[str, object]:
    """``stations`` stations, each with its bench pushing every second as the window's device process does,
    each writing ``phones`` phones' provisioning records at once (one writer thread a phone)."""
    dsn = new_depot(server, "latency")
    benches, folders = [], []
    for index in range(stations):
        data_dir = work / f"latency-{index + 1}"
        data_dir.mkdir()
        assert main(["--data-dir", str(data_dir), "depot", "join", dsn, "--name", f"bench-{index + 1}"]) == 0
        bench = Bench(load_policy(default_policy_path()), data_dir, lambda event: None)
        bench.start()
        benches.append(bench)
        folders.append(data_dir)

    def provision(data_dir: Path, first: int) -> None:
        """One station's engine: one thread commits every phone's records, each phone's a few tenths of a
        second apart (its next command's answer), the phones interleaved."""
        steps = []
        for number in range(first, first + phones):
            at = 0.0
            for _ in range(RECORDS_PER_PHONE):
                at += random.uniform(0.05, 0.25)
                steps.append((at, number))
        store = Store.open(data_dir)
        try:
            run = store.start_run("bench", None)
            started = time.monotonic()
            for at, number in sorted(steps):
                time.sleep(max(0.0, started + at - time.monotonic()))
                store.record(run, RecordKind.SCAN, address="a", platform="android", identity=phone(number), data={"n": number})
        finally:
            store.close()

    total = stations * phones * RECORDS_PER_PHONE
    try:
        threads = [threading.Thread(target=provision, args=(folder, index * phones)) for index, folder in enumerate(folders)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        deadline = time.monotonic() + 120
        with server.admin("latency") as conn:
            while time.monotonic() < deadline:
                row = conn.execute("SELECT count(*) FROM records").fetchone()
                if row and int(row[0]) >= total:
                    break
                time.sleep(0.05)
            rows = conn.execute("SELECT time, pushed FROM records").fetchall()
    finally:
        for bench in benches:
            bench.close()
    delays = sorted((pushed - dt.datetime.fromisoformat(str(committed))).total_seconds() for committed, pushed in rows
                    if isinstance(pushed, dt.datetime))
    return {"measure": "commit-to-depot latency", "stations": stations, "phones_per_station": phones, "records": len(delays),
            "push_interval_s": depot_link.PUSH_INTERVAL_S, "median_s": round(statistics.median(delays), 3),
            "p99_s": round(delays[int(len(delays) * 0.99) - 1], 3), "max_s": round(delays[-1], 3)}


def drain(server: Server, backlog: int, work: Path) -> dict[str, object]:
    dsn = new_depot(server, "drain")
    data_dir = work / "drain"
    data_dir.mkdir()
    assert main(["--data-dir", str(data_dir), "depot", "join", dsn, "--name", "bench-1"]) == 0
    store = Store.open(data_dir)
    try:
        started = time.perf_counter()
        write(store, backlog)
        written = time.perf_counter() - started
        started = time.perf_counter()
        outcome = depot_link.sync_now(data_dir, store)
        drained = time.perf_counter() - started
    finally:
        store.close()
    return {"measure": "backlog drain", "records": outcome.pushed, "drain_s": round(drained, 2),
            "records_per_s": round(outcome.pushed / drained), "local_write_s": round(written, 2)}


@dataclass
class Filler:
    """Stations whose records are hashed, chained and signed as a station does, then copied in."""

    key: StationKey
    station_id: str
    previous: str = GENESIS
    seq: int = 0


COLUMNS = ("station_id", "seq", "prev_hash", "time", "run_id", "kind", "address", "serial", "platform",
           "identity", "data", "station_version", "policy_sha256", "operator", "key_id", "hash", "signature")


def new_stations(server: Server, dbname: str, stations: int) -> list[Filler]:
    fillers = []
    with server.admin(dbname) as conn:
        for index in range(stations):
            filler = Filler(StationKey.load_or_create(Path(tempfile.mkdtemp(prefix="depot-bench-key-"))), str(uuid.uuid4()))
            conn.execute("INSERT INTO stations (station_id, name) VALUES (%s, %s)", [filler.station_id, f"bench-{index + 1:02d}"])
            conn.execute("INSERT INTO station_keys (station_id, key_id, public_pem) VALUES (%s, %s, %s)",
                         [filler.station_id, filler.key.id, public_pem(filler.key.public)])
            fillers.append(filler)
    return fillers


def fill(server: Server, dbname: str, fillers: list[Filler], total: int) -> None:
    """``total`` more records, shared among the stations."""
    with server.admin(dbname) as conn:
        for filler in fillers:
            run = str(uuid.uuid4())
            with conn.cursor().copy(f"COPY records ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for _ in range(total // len(fillers)):
                    filler.seq += 1
                    who = phone(random.randrange(50_000))
                    fields: dict[str, object] = {
                        "seq": filler.seq, "prev_hash": filler.previous,
                        "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
                        "run_id": run, "kind": "scan", "address": "127.0.0.1:5555", "serial": who.serial, "platform": "android",
                        "identity": json.dumps({"serial": who.serial, "imei": who.imei}, sort_keys=True),
                        "data": json.dumps({"n": filler.seq}), "station_id": filler.station_id, "station_version": "0.1.0",
                        "policy_sha256": None, "operator": "Ana", "key_id": filler.key.id,
                    }
                    digest = record_hash(fields)
                    copy.write_row([*(fields[c] for c in COLUMNS[:-2]), digest, filler.key.sign(digest)])
                    filler.previous = digest
        conn.execute("ANALYZE records")


def verify_and_history(server: Server, total: int, day: int, work: Path) -> list[dict[str, object]]:
    dsn = new_depot(server, "scale")
    started = time.perf_counter()
    fillers = new_stations(server, "scale", 10)
    fill(server, "scale", fillers, total)
    made = time.perf_counter() - started
    print(json.dumps({"measure": "made records for verify", "records": total, "seconds": round(made, 1)}), flush=True)
    results: list[dict[str, object]] = []
    verifier = work / "verifier"
    verifier.mkdir()
    started = time.perf_counter()
    cli = subprocess.run([sys.executable, "-m", "station", "--data-dir", str(verifier), "depot", "verify", dsn],
                         check=False, capture_output=True, text=True, cwd=ROOT)
    first = time.perf_counter() - started
    assert cli.returncode == 0, cli.stdout + cli.stderr
    fill(server, "scale", fillers, day)  # the next day's records, then the next day's verify from the same folder
    started = time.perf_counter()
    cli = subprocess.run([sys.executable, "-m", "station", "--data-dir", str(verifier), "depot", "verify", dsn],
                         check=False, capture_output=True, text=True, cwd=ROOT)
    second = time.perf_counter() - started
    assert cli.returncode == 0, cli.stdout + cli.stderr
    started = time.perf_counter()  # every record read and hashed, the signed heads' signatures only, no checkpoint
    cli = subprocess.run([sys.executable, "-m", "station", "--data-dir", str(verifier), "depot", "verify", dsn, "--quick"],
                         check=False, capture_output=True, text=True, cwd=ROOT)
    quick = time.perf_counter() - started
    assert cli.returncode == 0, cli.stdout + cli.stderr
    results.append({"measure": "station depot verify (the CLI)", "records": total, "stations": len(fillers),
                    "first_run_every_signature_s": round(first, 1), "records_per_s": round(total / first),
                    "next_day_records": day, "next_day_run_s": round(second, 1), "quick_run_s": round(quick, 1)})
    data_dir = work / "history"
    data_dir.mkdir()
    assert main(["--data-dir", str(data_dir), "depot", "join", dsn, "--name", "reader"]) == 0
    with server.admin("scale") as conn:
        row = conn.execute("SELECT serial FROM records WHERE seq = 1 LIMIT 1").fetchone()
    serial = str(row[0]) if row else phone(0).serial
    store = Store.open(data_dir)
    try:
        times = []
        found = depot_link.history(data_dir, store, serial)
        for _ in range(20):
            started = time.perf_counter()
            found = depot_link.history(data_dir, store, serial)
            times.append(time.perf_counter() - started)
    finally:
        store.close()
    started = time.perf_counter()
    cli = subprocess.run([sys.executable, "-m", "station", "--data-dir", str(data_dir), "history", serial, "--json"],
                         check=False, capture_output=True, text=True, cwd=ROOT)
    cli_s = time.perf_counter() - started
    assert cli.returncode == 0 and len(json.loads(cli.stdout)) == len(found.entries)
    results.append({"measure": "station history of one phone", "among": total, "found": len(found.entries),
                    "in_process_median_ms": round(statistics.median(times) * 1000, 1),
                    "in_process_max_ms": round(max(times) * 1000, 1), "cli_process_ms": round(cli_s * 1000)})
    return results


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stations", type=int, default=8, help="stations pushing at once for the latency figure")
    parser.add_argument("--phones", type=int, default=64, help="phones each station provisions at once")
    parser.add_argument("--backlog", type=int, default=100_000)
    parser.add_argument("--verify-records", type=int, default=1_000_000)
    parser.add_argument("--day-records", type=int, default=4_000,
                        help="records added between the two verify runs (a working day of a 1M-record year)")
    parser.add_argument("--only", choices=("latency", "drain", "verify"), action="append", help="measure only this (repeatable)")
    args = parser.parse_args()
    only = set(args.only or ("latency", "drain", "verify"))
    server = start_server()
    work = Path(tempfile.mkdtemp(prefix="depot-bench-"))
    try:
        if "latency" in only:
            print(json.dumps(latency(server, args.stations, args.phones, work)), flush=True)
        if "drain" in only:
            print(json.dumps(drain(server, args.backlog, work)), flush=True)
        if "verify" in only:
            for result in verify_and_history(server, args.verify_records, args.day_records, work):
                print(json.dumps(result), flush=True)
    finally:
        server.remove()


if __name__ == "__main__":
    run()
