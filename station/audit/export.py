"""The log for a depot's other systems: CSV or JSON, one row per record, optionally since a date."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any, TextIO

from station.audit.store import Store

COLUMNS = (
    "seq", "time", "kind", "serial", "platform", "operator", "address", "station_id", "station_version",
    "policy_sha256", "run_id", "identity", "data", "hash", "signature", "key_id",
)


def rows_since(store: Store, since: dt.date | None) -> Iterator[dict[str, Any]]:
    where, args = ("time >= ?", [since.isoformat()]) if since else (None, None)
    for row in store.db["records"].rows_where(where, args, order_by="seq"):
        yield {column: row[column] for column in COLUMNS}


def export(store: Store, fmt: str, out: TextIO, since: dt.date | None = None) -> int:
    """Write every record (since ``since``) to ``out``; returns how many."""
    rows = rows_since(store, since)
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
        return count
    records = []
    for row in rows:
        row["identity"] = json.loads(row["identity"]) if row["identity"] else None
        row["data"] = json.loads(row["data"])
        records.append(row)
    json.dump(records, out, indent=2, ensure_ascii=False)
    out.write("\n")
    return len(records)
