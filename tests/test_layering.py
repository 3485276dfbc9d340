"""The architecture's rules, checked: only gui/ may use Qt widgets; only devices/ talks to device libraries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

STATION = Path(__file__).resolve().parents[1] / "station"


def modules(package: str) -> list[str]:
    return sorted(
        "station." + ".".join(path.relative_to(STATION).with_suffix("").parts).removesuffix(".__init__")
        for path in (STATION / package).rglob("*.py")
    )


def imported_after(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    return set(out.stdout.split())


@pytest.mark.parametrize("module", modules("core") + modules("audit"))
def test_core_and_audit_use_no_qt_and_no_device_library(module: str) -> None:
    loaded = imported_after(module)
    assert not {name for name in loaded if name.startswith(("PySide6", "adb_shell", "pymobiledevice3"))}


@pytest.mark.parametrize("module", modules("devices") + modules("sim"))
def test_devices_and_simulators_use_no_qt(module: str) -> None:
    assert not {name for name in imported_after(module) if name.startswith("PySide6")}
