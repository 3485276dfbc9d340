"""Every file format the station reads, fed arbitrary input: a clear InputFileError or a result, never a crash."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.core.checklist import load_workflow
from station.core.errors import InputFileError
from station.core.policy import load_policy
from station.sim.fleet import load_fleet

LOADERS: list[tuple[str, Callable[[Path], object]]] = [("policy", load_policy), ("workflow", load_workflow), ("fleet", load_fleet)]

# TOML-shaped text: keys, tables and values the real files use, mixed at random.
_KEYS = st.sampled_from(["id", "name", "version", "authority", "app", "reason", "source", "effective", "android_packages",
                         "ios_team_ids", "platform", "serial", "apps", "check", "action", "android", "ios", "mandatory", "purpose",
                         "title", "model", "os_version", "manufacturer", "auth", "user", "x"])
_VALUES = st.one_of(
    st.integers(-5, 10**6).map(str), st.booleans().map(lambda b: str(b).lower()),
    st.text(max_size=20).map(lambda t: '"' + t.replace("\\", "").replace('"', "") + '"'),
    st.just("2023-02-28"), st.just('["com.tencent.mm", 3]'), st.just("[]"), st.just('"https://example.org"'),
    st.just('"android"'), st.just('"ios"'), st.just('"no_banned_apps"'), st.just("{ id = 1 }"),
)
_LINES = st.one_of(
    st.tuples(_KEYS, _VALUES).map(lambda kv: f"{kv[0]} = {kv[1]}"),
    st.sampled_from(["[policy]", "[[rule]]", "[workflow]", "[[item]]", "[[device]]", "[[device.user]]", "[device.properties]", "[", "= 3"]),
)
TOMLISH = st.lists(_LINES, max_size=25).map("\n".join)


def _check(loader: Callable[[Path], object], data: bytes) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "input.toml"
        path.write_bytes(data)
        try:
            loader(path)
        except InputFileError as exc:  # a file it cannot use is fine, said with the file's name
            said = str(exc)
        else:
            return
    assert str(path) in said


@pytest.mark.parametrize(("kind", "loader"), LOADERS, ids=[k for k, _ in LOADERS])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TOMLISH)
def test_toml_shaped_input_loads_or_is_named_clearly(kind: str, loader: Callable[[Path], object], text: str) -> None:
    _check(loader, text.encode("utf-8"))


@pytest.mark.parametrize(("kind", "loader"), LOADERS, ids=[k for k, _ in LOADERS])
@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes_are_refused_clearly(kind: str, loader: Callable[[Path], object], data: bytes) -> None:
    _check(loader, data)
