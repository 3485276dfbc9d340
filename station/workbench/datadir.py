"""Where the station keeps its log and keys: one folder, owner-only."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from station.core.errors import StationError

ENV_VAR = "STATION_DATA_DIR"


def resolve_data_dir(explicit: str | Path | None = None) -> Path:
    """The data folder: ``--data-dir``, else $STATION_DATA_DIR, else the platform's user data folder.

    It is created on first use with mode 0700 (the log and the station's keys live there).
    """
    chosen = explicit or os.environ.get(ENV_VAR) or platformdirs.user_data_dir("depot-station", appauthor=False)
    path = Path(chosen).expanduser()
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise StationError(f"data folder {path}: cannot be created ({exc.strerror or exc})") from None
    if not path.is_dir():
        raise StationError(f"data folder {path}: exists but is not a folder")
    return path
