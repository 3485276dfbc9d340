"""The two official languages, the printed checklist's choice of them, and a policy's French reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.core.checklist import load_workflow
from station.core.errors import PolicyError
from station.core.language import Language, ReportLanguage
from station.core.models import InstalledApp, Platform
from station.core.policy import default_policy_path, load_policy, missing_french
from tests.core.test_policy import GOOD


def test_languages_are_stored_by_code_and_read_in_canadian_locales() -> None:
    assert [str(language) for language in Language] == ["en", "fr"]
    assert Language.FR.locale_name == "fr_CA" and Language.FR.native_name == "Français"
    assert Language.FR.qm_file().is_file() and Language.EN.qm_file().is_file()
    assert ReportLanguage.BOTH.languages == (Language.EN, Language.FR)
    assert ReportLanguage("fr").languages == (Language.FR,)


def test_the_shipped_policy_gives_every_reason_in_french() -> None:
    policy = load_policy(default_policy_path())
    assert missing_french(policy) == []
    wechat = next(rule for rule in policy.rules if rule.id == "wechat")
    assert wechat.reason_in(Language.FR).startswith("La dirigeante principale de l'information du Canada a déterminé que WeChat")
    assert "niveau de risque inacceptable pour la vie privée et la sécurité\u00a0:" in wechat.reason_in(Language.FR)
    assert wechat.reason_in(Language.EN) == wechat.reason


def test_a_rule_without_french_is_valid_and_warned_about(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(GOOD, encoding="utf-8")
    policy = load_policy(path)
    rule = policy.rules[0]
    assert rule.reason_fr is None and rule.reason_in(Language.FR) == rule.reason  # English rather than nothing
    assert missing_french(policy) == [f"{path}: rule[{i}] ({rule}) reason_fr: missing; French-speaking operators see the English reason"
                                      for i, rule in enumerate(("wechat", "kaspersky"))]
    path.write_text(GOOD.replace('reason = "risk"', 'reason = "risk"\nreason_fr = "risque"\nsource_fr = "https://example.org/fr"'),
                    encoding="utf-8")
    french = load_policy(path)
    assert missing_french(french) == [] and french.rules[0].source_fr == "https://example.org/fr"
    findings = french.findings(Platform.ANDROID, [InstalledApp("com.tencent.mm")])
    assert findings[0].reason_fr == "risque" and findings[0].source_fr == "https://example.org/fr"


def test_a_french_source_must_be_a_web_address(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(GOOD.replace('reason = "risk"', 'reason = "risk"\nsource_fr = "la directive"'), encoding="utf-8")
    with pytest.raises(PolicyError, match=r"rule\[0\] \(wechat\) source_fr"):
        load_policy(path)


def test_the_shipped_workflows_give_every_title_in_french() -> None:
    for name in ("provision", "return"):
        workflow = load_workflow(default_policy_path().parent / "workflows" / f"{name}.toml")
        assert workflow.name_fr and workflow.name_in(Language.FR) == workflow.name_fr
        assert all(item.title_fr for item in workflow.items), name
        assert all(item.title_in(Language.EN) == item.title for item in workflow.items)
    (wipe,) = [item for item in load_workflow(default_policy_path().parent / "workflows" / "return.toml").items if item.id == "wipe"]
    assert wipe.title_in(Language.FR) == "Effacer l'appareil (réinitialisation aux paramètres d'usine)"
