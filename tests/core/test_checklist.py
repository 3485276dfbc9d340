"""Checklist items as data, and each check judged on evidence alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from station.core.checklist import Evidence, Handout, Item, Status, WorkflowError, judge, load_workflow
from station.core.models import DeviceFacts, DeviceIdentity, InstalledApp, Inventory, Platform, Profile
from station.core.policy import default_policy_path, load_policy

WORKFLOWS = sorted((Path(__file__).resolve().parents[2] / "policies" / "workflows").glob("*.toml"))
TODAY = dt.date(2026, 11, 22)
POLICY = load_policy(default_policy_path())


def evidence(platform: Platform = Platform.ANDROID, apps: tuple[str, ...] = (), facts: DeviceFacts | None = None,
             **identity: Any) -> Evidence:  # any of DeviceIdentity's fields, to override
    ident = replace(DeviceIdentity(platform, "S1", "Google", "Pixel 8", "15", security_patch="2026-10-05"), **identity)
    inventory = Inventory(ident, tuple(InstalledApp(a) for a in apps))
    return Evidence(ident, inventory, facts or DeviceFacts(), POLICY, TODAY)


def check(name: str, **params: object) -> Item:
    return Item(id=name.replace("_", "-"), title=name, mandatory=True, check=name, params=dict(params))


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_shipped_workflows_load(path: Path) -> None:
    workflow = load_workflow(path)
    assert workflow.checks and workflow.purpose in ("provision", "return")


def test_os_version_compares_numbers_not_text() -> None:
    item = check("os_version_at_least", android="13", ios="17.0")
    assert judge(item, evidence(os_version="9")).status is Status.FAIL
    assert judge(item, evidence(os_version="14")).status is Status.PASS
    assert judge(item, evidence(Platform.IOS, os_version="17.5.1")).status is Status.PASS
    assert judge(item, evidence(Platform.IOS, os_version="16.7.8")).status is Status.FAIL


def test_security_patch_age() -> None:
    item = check("security_patch_within_days", android=90)
    assert judge(item, evidence(security_patch="2026-09-01")).status is Status.PASS
    old = judge(item, evidence(security_patch="2023-01-01"))
    assert old.status is Status.FAIL and "days old" in old.evidence
    assert judge(item, evidence(security_patch=None)).status is Status.FAIL
    assert judge(item, evidence(Platform.IOS)).status is Status.SKIPPED


def test_banned_apps_and_fresh_phone() -> None:
    banned = judge(check("no_banned_apps"), evidence(apps=("com.tencent.mm", "com.tencent.mobileqq")))
    assert banned.status is Status.FAIL and "com.tencent.mm" in banned.evidence and "mobileqq" not in banned.evidence
    assert judge(check("no_banned_apps"), evidence(apps=("com.tencent.mobileqq",))).status is Status.PASS
    assert judge(check("factory_fresh"), evidence(apps=("com.example.user",))).status is Status.FAIL


@pytest.mark.parametrize(
    ("facts", "name", "status"),
    [
        (DeviceFacts(encrypted=True), "storage_encrypted", Status.PASS),
        (DeviceFacts(encrypted=False), "storage_encrypted", Status.FAIL),
        (DeviceFacts(), "storage_encrypted", Status.FAIL),  # the phone could not tell: not proven
        (DeviceFacts(verified_boot="green", bootloader_locked=True), "verified_boot_locked", Status.PASS),
        (DeviceFacts(verified_boot="orange", bootloader_locked=False), "verified_boot_locked", Status.FAIL),
        (DeviceFacts(root_signs=("su binary at /system/xbin/su",)), "not_rooted_or_jailbroken", Status.FAIL),
        (DeviceFacts(), "not_rooted_or_jailbroken", Status.PASS),
        (DeviceFacts(developer_options=True), "developer_options_off", Status.FAIL),
        (DeviceFacts(unknown_sources=True), "unknown_sources_off", Status.FAIL),
    ],
)
def test_android_security_checks(facts: DeviceFacts, name: str, status: Status) -> None:
    assert judge(check(name), evidence(facts=facts)).status is status


def test_iphone_checks_and_plain_words_where_android_cannot() -> None:
    from station.core.checklist import blocking_profile_id

    profile = Profile(blocking_profile_id(POLICY), "Banned apps")
    supervised = evidence(Platform.IOS, facts=DeviceFacts(passcode_set=True, profiles=(profile,)), supervised=True)
    assert judge(check("supervised"), supervised).status is Status.PASS
    assert judge(check("blocking_profile_installed"), supervised).status is Status.PASS
    assert judge(check("storage_encrypted"), supervised).status is Status.PASS
    bare = evidence(Platform.IOS, facts=DeviceFacts(passcode_set=False), supervised=False)
    assert judge(check("supervised"), bare).status is Status.FAIL
    assert judge(check("storage_encrypted"), bare).status is Status.FAIL
    android = judge(check("blocking_profile_installed"), evidence())
    assert android.status is Status.SKIPPED and "MDM" in android.evidence


HEAD = '[workflow]\nid = "x"\nname = "X"\npurpose = "provision"\n'
ITEM = '[[item]]\nid = "a"\ntitle = "A"\n'


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (HEAD, "[[item]]"),
        (HEAD.replace("provision", "lend") + ITEM + 'check = "supervised"\n', "purpose"),
        (HEAD + ITEM + 'check = "warp_drive"\n', "item[0] (a) check"),
        (HEAD + ITEM + 'check = "supervised"\naction = "wipe"\n', "item[0] (a)"),
        (HEAD + ITEM + 'check = "os_version_at_least"\n', "expected value"),
        (HEAD + ITEM + 'check = "security_patch_within_days"\nandroid = "soon"\n', "item[0] (a) android"),
        (HEAD + ITEM + 'check = "supervised"\ncolour = "red"\n', "item[0] (a) colour"),
        (HEAD + ITEM + 'check = "supervised"\n' + ITEM.replace('"A"', '"B"') + 'check = "supervised"\n', "item[1] (a) id"),
    ],
)
def test_broken_workflow_names_file_and_key(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "wf.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WorkflowError) as caught:
        load_workflow(path)
    assert str(path) in str(caught.value) and where in str(caught.value)


def test_unknown_check_is_worded_like_any_other_choice(tmp_path: Path) -> None:
    path = tmp_path / "wf.toml"
    path.write_text(HEAD + ITEM + 'check = "warp_drive"\n',
                    encoding="utf-8")
    with pytest.raises(WorkflowError) as caught:
        load_workflow(path)
    assert caught.value.where == "item[0] (a) check"
    assert caught.value.what.startswith("'warp_drive' is not one of: no_banned_apps, os_version_at_least, ")


def test_the_seal_must_be_the_workflows_last_item_and_handout_is_one_of_two_ways(tmp_path: Path) -> None:
    path = tmp_path / "wf.toml"
    path.write_text(HEAD + ITEM + 'action = "seal"\n' + ITEM.replace('"a"', '"b"') + 'check = "supervised"\n', encoding="utf-8")
    with pytest.raises(WorkflowError) as caught:
        load_workflow(path)
    assert caught.value.where == "item[0] (a) action" and "last item" in caught.value.what
    path.write_text(HEAD.replace('purpose = "provision"', 'purpose = "provision"\nhandout = "leave-as-is"') + ITEM
                    + 'action = "seal"\n', encoding="utf-8")
    with pytest.raises(WorkflowError) as caught:
        load_workflow(path)
    assert caught.value.where == "[workflow] handout" and "restore-settings, guided-reset" in caught.value.what
    path.write_text(HEAD + ITEM + 'check = "supervised"\n' + ITEM.replace('"a"', '"b"') + 'action = "seal"\n', encoding="utf-8")
    workflow = load_workflow(path)
    assert workflow.handout is Handout.RESTORE_SETTINGS and workflow.seal is not None and workflow.seal.id == "b"
    shipped = load_workflow(Path(__file__).resolve().parents[2] / "policies" / "workflows" / "provision.toml")
    assert shipped.seal is not None and shipped.seal.mandatory and shipped.items[-1] is shipped.seal
