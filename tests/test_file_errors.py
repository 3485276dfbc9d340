"""Every file kind words its errors the same way: file, entry and key, then the problem, from one code path."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path

import pytest

from station.core import tomlfile
from station.core.checklist import WorkflowError, load_workflow
from station.core.errors import FleetError, InputFileError, PolicyError
from station.core.policy import load_policy
from station.sim.fleet import load_fleet

POLICY = """
[policy]
id = "p"
name = "P"
version = "1"
authority = "A"

[[rule]]
id = "wechat"
app = "WeChat"
reason = "risk"
source = "https://example.org/ban"
effective = 2023-10-30
android_packages = ["com.tencent.mm"]
"""

WORKFLOW = """
[workflow]
id = "w"
name = "W"
purpose = "provision"

[[item]]
id = "wipe"
title = "Wipe"
action = "wipe"
"""

ANDROID = """
[[device]]
platform = "android"
serial = "SER1"
manufacturer = "samsung"
model = "SM-A525F"
os_version = "12"
apps = [{id = "com.x.y"}]
"""

IPHONE = """
[[device]]
platform = "ios"
serial = "00008030-001A2B3C4D5E802E"
apps = [{id = "com.tencent.xin"}]
"""

Loader = Callable[[Path], object]
RULE_KEYS = ("android_packages, android_prefixes, android_signers, app, effective, id, ios_bundle_ids, ios_prefixes, "
             "ios_team_ids, notes, publisher, reason, reason_fr, source, source_fr")

CASES: list[tuple[str, Loader, type[InputFileError], str, str, str]] = [
    # (file text, loader, error, where, what)
    ("policy missing", load_policy, PolicyError, POLICY.replace('app = "WeChat"\n', ""),
     "rule[0] (wechat) app", "missing (required)"),
    ("policy unknown", load_policy, PolicyError, POLICY.replace('app = "WeChat"\n', 'app = "WeChat"\ncolour = "red"\n'),
     "rule[0] (wechat) colour", f"unknown key (expected one of: {RULE_KEYS})"),
    ("policy bad", load_policy, PolicyError, POLICY.replace('["com.tencent.mm"]', '["com tencent mm"]'),
     "rule[0] (wechat) android_packages[0]", "'com tencent mm' is not a package name such as com.example.app"),
    ("policy head", load_policy, PolicyError, POLICY.replace('version = "1"', "version = 1"),
     "[policy] version", "must be text, not 1"),
    ("workflow missing", load_workflow, WorkflowError, WORKFLOW.replace('title = "Wipe"\n', ""),
     "item[0] (wipe) title", "missing (required)"),
    ("workflow unknown", load_workflow, WorkflowError, WORKFLOW + 'colour = "red"\n',
     "item[0] (wipe) colour", "unknown key (expected one of: action, android, check, id, ios, mandatory, title, title_fr)"),
    ("workflow bad", load_workflow, WorkflowError, WORKFLOW + 'mandatory = "yes"\n',
     "item[0] (wipe) mandatory", "must be true or false, not 'yes'"),
    ("workflow head", load_workflow, WorkflowError, WORKFLOW.replace('"provision"', '"lend"'),
     "[workflow] purpose", "'lend' is not one of: provision, return"),
    ("android missing", load_fleet, FleetError, ANDROID.replace('model = "SM-A525F"\n', ""),
     "device[0] (SER1) model", "missing (required)"),
    ("android unknown", load_fleet, FleetError, ANDROID.replace('{id = "com.x.y"}', '{id = "com.x.y", size = 3}'),
     "device[0] (SER1) apps[0] size", "unknown key (expected one of: id, installer, version_code, version_name)"),
    ("android bad", load_fleet, FleetError, ANDROID.replace('{id = "com.x.y"}', '{id = "com.x.y", version_code = "7"}'),
     "device[0] (SER1) apps[0] version_code", "must be a whole number, not '7'"),
    ("iphone missing", load_fleet, FleetError, IPHONE.replace('{id = "com.tencent.xin"}', '{name = "WeChat"}'),
     "device[0] (00008030-001A2B3C4D5E802E) apps[0] id", "missing (required)"),
    ("iphone unknown", load_fleet, FleetError, IPHONE.replace('{id = "com.tencent.xin"}', '{id = "com.tencent.xin", size = 3}'),
     "device[0] (00008030-001A2B3C4D5E802E) apps[0] size", "unknown key (expected one of: id, name, team_id, version)"),
    ("iphone bad", load_fleet, FleetError, IPHONE + 'product_type = "Pixel 6"\n',
     "device[0] (00008030-001A2B3C4D5E802E) product_type", "'Pixel 6' is not a product type like iPhone15,2"),
    ("fleet platform", load_fleet, FleetError, ANDROID.replace('"android"', "3"),
     "device[0] (SER1) platform", "3 is not one of: android, ios"),
    ("fleet not tables", load_fleet, FleetError, "device = 3\n", "[[device]]", "must be a list, not 3"),
    ("policy no table", load_policy, PolicyError, "[[rule]]" + POLICY.split("[[rule]]")[1],
     "[policy]", "missing (required): a table with id, name, version, authority"),
]


@pytest.mark.parametrize(("case", "loader", "error", "text", "where", "what"), CASES, ids=[c[0] for c in CASES])
def test_each_kind_names_file_entry_and_key(tmp_path: Path, case: str, loader: Loader, error: type[InputFileError],
                                            text: str, where: str, what: str) -> None:
    path = tmp_path / "input.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(error) as caught:
        loader(path)
    assert (caught.value.path, caught.value.where, caught.value.what) == (str(path), where, what)
    assert str(caught.value) == f"{path}: {where}: {what}"
    frames = [frame.f_code for frame, _ in traceback.walk_tb(caught.value.__traceback__)]
    assert tomlfile.validate.__code__ in frames, "every kind is validated by tomlfile.validate"


LOADERS: list[tuple[Loader, type[InputFileError]]] = [(load_policy, PolicyError), (load_workflow, WorkflowError),
                                                      (load_fleet, FleetError)]


@pytest.mark.parametrize(("loader", "error"), LOADERS, ids=["policy", "workflow", "fleet"])
def test_unreadable_files_are_worded_alike(tmp_path: Path, loader: Loader, error: type[InputFileError]) -> None:
    with pytest.raises(error) as caught:
        loader(tmp_path / "absent.toml")
    assert str(caught.value) == f"{tmp_path / 'absent.toml'}: no such file"
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b'x = "\xff"')
    with pytest.raises(error) as caught:
        loader(binary)
    assert str(caught.value) == f"{binary}: byte 5: is not UTF-8 text"
    broken = tmp_path / "broken.toml"
    broken.write_text("[[rule]\n", encoding="utf-8")
    with pytest.raises(error, match=r"broken\.toml: not valid TOML: .*line 1"):
        loader(broken)
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    with pytest.raises(error, match=r"folder\.toml: cannot be read \(Is a directory\)"):
        loader(folder)
