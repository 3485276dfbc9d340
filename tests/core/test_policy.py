from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from station.core.errors import PolicyError
from station.core.models import InstalledApp, Platform
from station.core.policy import default_policy_path, load_policy, matches_prefix

POLICIES = sorted((Path(__file__).resolve().parents[2] / "policies").glob("*.toml"))

GOOD = """
[policy]
id = "test-policy"
name = "Test"
version = "1"
authority = "Test authority"

[[rule]]
id = "wechat"
app = "WeChat"
reason = "risk"
source = "https://example.org/ban"
effective = 2023-10-30
android_packages = ["com.tencent.mm"]
ios_bundle_ids = ["com.tencent.xin"]

[[rule]]
id = "kaspersky"
app = "Kaspersky suite"
reason = "risk"
source = "https://example.org/ban"
effective = 2023-10-30
android_prefixes = ["com.kaspersky"]
ios_team_ids = ["2Y8XE5CQ94"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("path", POLICIES, ids=[p.name for p in POLICIES])
def test_every_shipped_policy_loads_with_reasons_and_sources(path: Path) -> None:
    policy = load_policy(path)
    assert policy.rules
    for rule in policy.rules:
        assert rule.reason and rule.source.startswith("https://")
        assert rule.effective >= dt.date(2017, 1, 1)


def test_default_policy_is_the_canadian_directive() -> None:
    policy = load_policy(default_policy_path())
    assert policy.id == "canada-tbs-2023"
    ids = {rule.id for rule in policy.rules}
    assert len(ids) == len(policy.rules)


@pytest.mark.parametrize(
    ("platform", "app_id"),
    [
        (Platform.ANDROID, "com.zhiliaoapp.musically"),
        (Platform.ANDROID, "com.ss.android.ugc.trill"),
        (Platform.ANDROID, "com.tencent.mm"),
        (Platform.ANDROID, "com.kms.free"),
        (Platform.ANDROID, "com.kaspersky.security.cloud"),
        (Platform.IOS, "com.zhiliaoapp.musically"),
        (Platform.IOS, "com.tencent.xin"),
        (Platform.IOS, "com.kaspersky.securityadvisor"),
    ],
)
def test_canadian_policy_bans_the_known_identifiers(platform: Platform, app_id: str) -> None:
    policy = load_policy(default_policy_path())
    assert [f.app_id for f in policy.findings(platform, [InstalledApp(app_id)])] == [app_id]


@pytest.mark.parametrize(
    ("platform", "app_id"),
    [
        (Platform.ANDROID, "com.tencent.mobileqq"),  # QQ: same publisher, not banned
        (Platform.ANDROID, "com.tencent.mmx"),  # look-alike of com.tencent.mm
        (Platform.ANDROID, "com.tencent"),
        (Platform.ANDROID, "com.kasperskyfan.app"),  # prefix without a dot boundary
        (Platform.ANDROID, "com.kmsjp"),
        (Platform.ANDROID, "com.zhiliaoapp.musicallyfan"),
        (Platform.ANDROID, "com.ss.android.ugc.aweme"),  # Douyin is not TikTok
        (Platform.ANDROID, "com.android.chrome"),
        (Platform.IOS, "com.tencent.mm"),  # an Android id on an iPhone is not WeChat
        (Platform.IOS, "com.tencent.mqq"),
        (Platform.ANDROID, "com.tencent.xin"),
    ],
)
def test_canadian_policy_leaves_look_alikes_alone(platform: Platform, app_id: str) -> None:
    policy = load_policy(default_policy_path())
    assert policy.findings(platform, [InstalledApp(app_id)]) == []


def test_prefix_stops_at_a_dot_boundary() -> None:
    assert matches_prefix("com.kaspersky", "com.kaspersky")
    assert matches_prefix("com.kaspersky.vpn", "com.kaspersky")
    assert not matches_prefix("com.kasperskyx", "com.kaspersky")
    assert not matches_prefix("com.kasper", "com.kaspersky")


def test_finding_names_rule_reason_source_and_how_it_matched(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, GOOD))
    apps = [InstalledApp("com.android.chrome"), InstalledApp("com.kaspersky.vpn", user=10, enabled=False)]
    (finding,) = policy.findings(Platform.ANDROID, apps)
    assert (finding.app_id, finding.app.user, finding.rule_id) == ("com.kaspersky.vpn", 10, "kaspersky")
    assert (finding.matched_by, finding.matched_value) == ("prefix", "com.kaspersky")
    assert finding.reason == "risk" and finding.source == "https://example.org/ban"


def test_team_id_matches_any_bundle_of_that_publisher(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, GOOD))
    app = InstalledApp("com.example.renamed", team_id="2Y8XE5CQ94")
    (finding,) = policy.findings(Platform.IOS, [app])
    assert (finding.matched_by, finding.rule_id) == ("team id", "kaspersky")
    assert policy.findings(Platform.IOS, [InstalledApp("com.example.renamed", team_id="ABCDE12345")]) == []


def test_findings_match_rule_by_rule_across_many_apps(tmp_path: Path) -> None:
    """The screen that passes over unmatched apps finds exactly what trying every rule on every app finds."""
    signer = "ab" * 32
    policy = load_policy(write(tmp_path, GOOD.replace('android_prefixes = ["com.kaspersky"]',
                                                      f'android_prefixes = ["com.kaspersky"]\nandroid_signers = ["{signer}"]')))
    apps = [InstalledApp(f"com.vendor.app{n}") for n in range(50)] + [
        InstalledApp("com.kaspersky"), InstalledApp("com.kaspersky.vpn.beta"), InstalledApp("com.kasperskyfan.app"),
        InstalledApp("com.tencent.mm"), InstalledApp("com.tencent.mm.lite"), InstalledApp("org.renamed", signer_sha256=signer),
        InstalledApp("com.tencent.xin", team_id="2Y8XE5CQ94"),
    ]
    for platform in Platform:
        first_rule = []
        for app in apps:
            matched = [(app.app_id, rule.id, how) for rule in policy.rules if (how := rule.match(platform, app)) is not None]
            first_rule += matched[:1]
        found = [(f.app_id, f.rule_id, (f.matched_by, f.matched_value)) for f in policy.findings(platform, apps)]
        assert found == first_rule
    assert [f.app_id for f in policy.findings(Platform.ANDROID, apps)] == [
        "com.kaspersky", "com.kaspersky.vpn.beta", "com.tencent.mm", "org.renamed"]


def test_policy_hash_changes_with_the_file(tmp_path: Path) -> None:
    first = load_policy(write(tmp_path, GOOD)).sha256
    second = load_policy(write(tmp_path, GOOD.replace('version = "1"', 'version = "2"'))).sha256
    assert first != second and len(first) == 64


@pytest.mark.parametrize(
    ("change", "where", "what"),
    [
        (lambda t: t.replace('id = "test-policy"\n', ""), "[policy] id", "missing"),
        (lambda t: t.replace("[policy]", "[polcy]"), "polcy", "unknown key"),
        (lambda t: t.replace('reason = "risk"\nsource', 'source', 1), "rule[0] (wechat) reason", "missing"),
        (lambda t: t.replace("effective = 2023-10-30\nandroid_packages", 'effective = "soon"\nandroid_packages'),
         "rule[0] (wechat) effective", "date"),
        (lambda t: t.replace('["com.tencent.mm"]', '["com tencent mm"]'), "rule[0] (wechat) android_packages[0]", "not a package name"),
        (lambda t: t.replace('"2Y8XE5CQ94"', '"2y8xe5"'), "rule[1] (kaspersky) ios_team_ids[0]", "10 upper-case"),
        (lambda t: t.replace('id = "kaspersky"', 'id = "wechat"'), "rule[1] (wechat) id", "'wechat' is used by an earlier rule"),
        (lambda t: t.replace("android_packages", "android_package"), "android_package", "unknown key"),
        (lambda t: t.replace('source = "https://example.org/ban"', 'source = "a newspaper"', 1), "source", "http(s) address"),
        (lambda t: t.split("[[rule]]")[0], "[[rule]]", "missing (required): tables with id, app, reason, source, effective"),
        (lambda t: t.replace('android_prefixes = ["com.kaspersky"]\nios_team_ids = ["2Y8XE5CQ94"]', ""),
         "rule[1] (kaspersky)", "matches nothing"),
        (lambda t: t + "\n[[rule]\n", "", "not valid TOML"),
    ],
)
def test_broken_policy_names_file_key_and_problem(tmp_path: Path, change: Callable[[str], str], where: str, what: str) -> None:
    path = write(tmp_path, change(GOOD))
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    message = str(caught.value)
    assert str(path) in message
    assert where in message
    assert what in message


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('name = "Test"', 'name = "Test'))
    with pytest.raises(PolicyError, match=r"line 4"):
        load_policy(path)


def test_missing_and_binary_files_get_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="no such file"):
        load_policy(tmp_path / "absent.toml")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(PolicyError, match="not UTF-8"):
        load_policy(binary)
