"""What one PIN guess costs: milliseconds per scrypt hash for candidate parameters, and the chosen one.

    python bench/pin_bench.py [--repeat 9]

Each candidate (N, r, p) hashes a PIN ``--repeat`` times on one core; the median CPU time is what a guess costs
here, whether the guesser is a station checking a PIN or an attacker holding a copy of the database (see
the README's "Security" section). The station ships the candidate closest to 100 ms (SHIPPED_PIN_COST in
station/audit/operators.py): slow enough that 10^6 six-digit guesses take a core about a day, quick enough
that signing in does not keep an operator waiting. The load average is printed too: on a shared machine
the figures are only as good as its quiet.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from station.audit.operators import LEGACY_PIN_COST, SHIPPED_PIN_COST, ScryptCost, hash_pin
from station.core.refusals import MIN_PIN_DIGITS

CANDIDATES = [
    ScryptCost(2**14, 8, 1),
    ScryptCost(2**15, 8, 1),
    ScryptCost(2**16, 8, 1),
    ScryptCost(2**14, 8, 2),
    ScryptCost(2**15, 8, 2),
]
TARGET_MS = 100.0


def ms_per_hash(cost: ScryptCost, repeat: int) -> tuple[float, float]:
    """Median CPU and wall milliseconds per hash. CPU time is what a guess costs a core; on a busy shared
    machine the wall time also counts the waits for a core, and overstates it."""
    salt = os.urandom(16)
    hash_pin("123456", salt, cost)  # the first call pays for allocating scrypt's memory
    cpu, wall = [], []
    for _ in range(repeat):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        hash_pin("123456", salt, cost)
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start_wall) * 1000)
    return statistics.median(cpu), statistics.median(wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="hashes per candidate; the median is printed")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} cores")
    print(f"{'N':>8} {'r':>3} {'p':>3} {'memory':>8} {'CPU ms':>8} {'wall ms':>8}  note")
    measured = {}
    for cost in CANDIDATES:
        cpu, wall = ms_per_hash(cost, args.repeat)
        measured[cost] = cpu
        notes = [name for name, c in (("shipped", SHIPPED_PIN_COST), ("legacy (no parameters stored)", LEGACY_PIN_COST)) if c == cost]
        print(f"{cost.n:>8} {cost.r:>3} {cost.p:>3} {128 * cost.n * cost.r // 2**20:>6}MB {cpu:>8.1f} {wall:>8.1f}  {', '.join(notes)}")
    closest = min(measured, key=lambda cost: abs(measured[cost] - TARGET_MS))
    shipped = measured[SHIPPED_PIN_COST]
    space = 10**MIN_PIN_DIGITS
    print(f"closest to {TARGET_MS:.0f} ms: N={closest.n} r={closest.r} p={closest.p}; shipped: N={SHIPPED_PIN_COST.n} "
          f"r={SHIPPED_PIN_COST.r} p={SHIPPED_PIN_COST.p} at {shipped:.1f} ms of CPU")
    print(f"every {MIN_PIN_DIGITS}-digit PIN at the shipped cost: {space * shipped / 1000 / 3600:.1f} hours of one core "
          f"(half that on average to find one)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
