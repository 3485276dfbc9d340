"""Whether this data folder's station has joined a depot, and which: ``depot.toml`` beside the log.

It holds the DSN without any password (libpq finds that in PGPASSWORD or ~/.pgpass) and the station's
name in the depot. No file: the station works alone, exactly as before the depot existed.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from station.audit.store import DEPOT_CONFIG
from station.core.errors import StationError
from station.depot.model import Verified

CONFIG_NAME = DEPOT_CONFIG  # named in audit, whose message for a damaged log mentions the depot
CHECKPOINTS = "depot-verified.json"  # per station of a depot: the last record this folder's verifier checked
DOCUMENTS = "depot"  # the folder beside the log with the depot's policy and workflows, as last pulled


class DocumentKind(StrEnum):
    POLICY = "policy"
    WORKFLOW = "workflow"


@dataclass(frozen=True)
class DepotConfig:
    dsn: str
    name: str


def load_config(data_dir: Path) -> DepotConfig | None:
    path = data_dir / CONFIG_NAME
    if not path.exists():
        return None
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
        dsn, name = table["dsn"], table["name"]
    except (OSError, tomllib.TOMLDecodeError, KeyError) as exc:
        raise StationError(f"{path}: cannot be read as the depot's settings ({exc}); join again with station depot join") from None
    if not isinstance(dsn, str) or not isinstance(name, str):
        raise StationError(f"{path}: dsn and name must be text; join again with station depot join")
    return DepotConfig(dsn, name)


def save_config(data_dir: Path, config: DepotConfig) -> None:
    """Written whole, then renamed into place. A JSON string is also a valid TOML basic string."""
    path = data_dir / CONFIG_NAME
    partial = path.with_name(f".{CONFIG_NAME}.{os.getpid()}.new")
    partial.write_text(f"dsn = {json.dumps(config.dsn)}\nname = {json.dumps(config.name)}\n", encoding="utf-8")
    partial.chmod(0o600)
    partial.replace(path)


def local_path(data_dir: Path, kind: DocumentKind, name: str) -> Path:
    """Where this station keeps the depot's policy (``name`` "policy") or a workflow (its purpose)."""
    folder = data_dir / DOCUMENTS
    return folder / "policy.toml" if kind is DocumentKind.POLICY else folder / "workflows" / f"{name}.toml"


def shared_document(data_dir: Path, kind: DocumentKind, name: str) -> Path | None:
    """The depot's copy of a policy or workflow, when this station has one."""
    path = local_path(data_dir, kind, name)
    return path if path.exists() else None


def load_checkpoints(data_dir: Path) -> dict[str, Verified]:
    """What ``station depot verify`` checked before from this data folder, kept here and not in the
    depot, where whoever could edit the records could edit it too. Unreadable: none (all is checked)."""
    try:
        table = json.loads((data_dir / CHECKPOINTS).read_text(encoding="utf-8"))
        return {str(sid): Verified(int(seq), str(digest), int(row_id), str(fingerprint))
                for sid, (seq, digest, row_id, fingerprint) in table.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def save_checkpoints(data_dir: Path, checkpoints: dict[str, Verified]) -> None:
    path = data_dir / CHECKPOINTS
    partial = path.with_name(f".{CHECKPOINTS}.{os.getpid()}.new")
    table = {sid: [tip.seq, tip.hash, tip.row_id, tip.fingerprint] for sid, tip in checkpoints.items()}
    partial.write_text(json.dumps(table, indent=1), encoding="utf-8")
    partial.chmod(0o600)
    partial.replace(path)
