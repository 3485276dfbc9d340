"""The architecture's rules, checked: only gui/ may use Qt widgets; only devices/ talks to device libraries."""

from __future__ import annotations

import ast
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


# What each package may import of station/ (besides itself); the README's code map says the same.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "audit": {"core"},
    "devices": {"core"},
    "sim": {"core"},
    "report": {"core", "audit"},
    "depot": {"core", "audit"},
    "workbench": {"core", "audit", "devices", "sim", "report", "depot"},
    "gui": {"core", "audit", "workbench", "report"},
    "cli": {"core", "audit", "devices", "sim", "report", "workbench", "gui", "depot"},
}


def package_of(path: Path) -> str:
    return path.relative_to(STATION).parts[0].removesuffix(".py")


def station_imports(path: Path) -> set[str]:
    """The station modules ``path`` imports, wherever in the file (imports inside functions count too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("station.")}


SOURCES = sorted(p for p in STATION.rglob("*.py") if package_of(p) in ALLOWED)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(STATION)))
def test_each_package_imports_only_the_packages_below_it(path: Path) -> None:
    package = package_of(path)
    reached = {name.split(".")[1] for name in station_imports(path)} - {package, "__init__"}
    assert reached <= ALLOWED[package], f"{path.relative_to(STATION)} imports {sorted(reached - ALLOWED[package])}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(STATION)))
def test_only_audit_touches_the_logs_tables(path: Path) -> None:
    if package_of(path) == "audit":
        return
    touches = [node.lineno for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(node, ast.Attribute) and node.attr == "db"]
    assert not touches, f"{path.relative_to(STATION)} reaches the log's database directly at line(s) {touches}"


@pytest.mark.parametrize("path", sorted((STATION / "core").rglob("*.py")), ids=lambda p: p.name)
def test_core_runs_no_loop_no_process_and_no_database(path: Path) -> None:
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
    assert not imported & {"asyncio", "multiprocessing", "threading", "subprocess", "socket", "sqlite3", "sqlite_utils"}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(STATION)))
def test_only_the_depot_imports_psycopg(path: Path) -> None:
    if package_of(path) == "depot":
        return
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
    assert "psycopg" not in imported, f"{path.relative_to(STATION)} imports psycopg: the depot's server is station/depot's business"
