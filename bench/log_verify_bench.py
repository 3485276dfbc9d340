"""How long `station log verify` takes on logs of 10k, 100k and 1M records, full and quick.

    python bench/log_verify_bench.py [--sizes 10000 100000 1000000]

Builds each log through the station's own Store.record (hashed, chained, signed and committed one record
at a time, as a station writes them; a million takes minutes to build), then times `verify_log` in this
process: every signature (`station log verify`), and the signed heads only (`station log verify --quick`:
every hash and link, the signatures of every 1000th record and the last). Prints JSON lines.
Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from station.audit.records import RecordKind
from station.audit.store import Store
from station.audit.verify import verify_log
from station.core.models import DeviceIdentity, Platform


def build(folder: Path, count: int) -> float:
    store = Store.open(folder)
    started = time.perf_counter()
    try:
        run = store.start_run("bench", None)
        for number in range(count):
            phone = DeviceIdentity(Platform.ANDROID, f"BENCH{number % 5000:05d}", "Google", "Pixel 8", "15")
            store.record(run, RecordKind.SCAN, address="127.0.0.1:5555", platform="android", identity=phone,
                         data={"apps": 300, "n": number}, operator="Ana Tremblay (badge 1001, supervisor)")
    finally:
        store.close()
    return time.perf_counter() - started


def timed(folder: Path, quick: bool) -> tuple[float, float, int]:
    store = Store.open(folder)
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        verdict = verify_log(store, quick=quick)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        store.close()
    assert verdict.ok, verdict
    return wall, cpu, verdict.signatures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="log-verify-bench-") as folder:
            built = build(Path(folder), size)
            for quick in (False, True):
                wall, cpu, signatures = timed(Path(folder), quick)
                print(json.dumps({"records": size, "mode": "quick" if quick else "every signature", "wall_s": round(wall, 2),
                                  "cpu_s": round(cpu, 2), "signatures": signatures, "build_s": round(built, 1),
                                  "load": round(os.getloadavg()[0], 2)}), flush=True)


if __name__ == "__main__":
    main()
