"""A simulated Android phone's files and folders as `ls` and the sync service (STAT, LIST) see them."""

from __future__ import annotations

import stat

from station.sim.android.phone import SimAndroidPhone

FILE_MODE = stat.S_IFREG | 0o644
DIR_MODE = stat.S_IFDIR | 0o771
BOOT_MTIME = 1705311000  # 2024-01-15: every file the fleet file did not push


def list_dir(phone: SimAndroidPhone, path: str) -> list[str]:
    """Names directly inside ``path``, sorted, from the phone's files and folders."""
    prefix = path.rstrip("/") + "/"
    names = {
        entry[len(prefix):].split("/", 1)[0]
        for entry in (*phone.files, *phone.directories)
        if entry.startswith(prefix) and len(entry) > len(prefix)
    }
    return sorted(names)


def stat_path(phone: SimAndroidPhone, path: str) -> tuple[int, int, int] | None:
    """(mode, size, mtime) as sync STAT reports them, or None when nothing is there."""
    normalised = path.rstrip("/") or "/"
    if normalised in phone.files:
        return FILE_MODE, len(phone.files[normalised]), BOOT_MTIME
    if normalised in phone.directories:
        return DIR_MODE, 4096, BOOT_MTIME
    return None
