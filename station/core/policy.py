"""Policies of banned apps: loading, validation and matching.

A policy is one TOML file (see README, "Policy format"). It is validated completely when loaded, so
that a depot never scans against half a policy: every problem is reported with the file and the key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, ClassVar

from pydantic import AfterValidator, Field, model_validator

from station.core.errors import PolicyError
from station.core.language import Language
from station.core.models import Finding, InstalledApp, Platform
from station.core.tomlfile import Table, Text, matching, read_toml, unique, validate

_ID = r"[a-z0-9][a-z0-9-]*"
_APP_ID = r"[A-Za-z0-9_]+(\.[A-Za-z0-9_-]+)*"
_TEAM_ID = r"[A-Z0-9]{10}"
_SHA256 = r"[0-9a-f]{64}"

# The keys that say how a rule recognises its app; a rule needs at least one.
_MATCHERS = ("android_packages", "android_prefixes", "android_signers", "ios_bundle_ids", "ios_prefixes", "ios_team_ids")


@dataclass(frozen=True)
class Rule:
    """One banned app (or suite), how to recognise it on each platform, and why it is banned."""

    id: str
    app: str
    reason: str
    source: str
    effective: dt.date
    publisher: str | None
    notes: str | None
    android_packages: frozenset[str]
    android_prefixes: tuple[str, ...]
    android_signers: frozenset[str]
    ios_bundle_ids: frozenset[str]
    ios_prefixes: tuple[str, ...]
    ios_team_ids: frozenset[str]
    # The reason and source in French (Official Languages Act): optional, so that a policy written in one
    # language still loads; `station policy check` warns about a rule without its French reason.
    reason_fr: str | None = None
    source_fr: str | None = None

    def reason_in(self, language: Language) -> str:
        """The rule's reason in ``language``; the English one when the policy has no French."""
        return self.reason_fr if language is Language.FR and self.reason_fr else self.reason

    def match(self, platform: Platform, app: InstalledApp) -> tuple[str, str] | None:
        """How this rule matches ``app``, as (matched_by, matched_value), or None."""
        if platform is Platform.ANDROID:
            exact, prefixes = self.android_packages, self.android_prefixes
            publisher, publisher_kind, publisher_value = self.android_signers, "signer", app.signer_sha256
        else:
            exact, prefixes = self.ios_bundle_ids, self.ios_prefixes
            publisher, publisher_kind, publisher_value = self.ios_team_ids, "team id", app.team_id
        if app.app_id in exact:
            return ("exact", app.app_id)
        for prefix in prefixes:
            if matches_prefix(app.app_id, prefix):
                return ("prefix", prefix)
        if publisher_value is not None and publisher_value in publisher:
            return (publisher_kind, publisher_value)
        return None


def matches_prefix(app_id: str, prefix: str) -> bool:
    """True when ``app_id`` is ``prefix`` or lies under it at a dot boundary.

    ``com.kaspersky`` covers ``com.kaspersky.vpn`` but never ``com.kasperskyfan.app``.
    """
    return app_id == prefix or app_id.startswith(prefix + ".")


@dataclass(frozen=True)
class _Screen:
    """Every value any rule looks for on one platform: a phone's hundreds of apps are mostly matched by
    no rule, and this passes over those with a few set lookups instead of trying every rule on each."""

    exact: frozenset[str]
    prefixes: frozenset[str]
    publishers: frozenset[str]

    @classmethod
    def of(cls, rules: Iterable[Rule], platform: Platform) -> _Screen:
        exact: set[str] = set()
        prefixes: set[str] = set()
        publishers: set[str] = set()
        for rule in rules:
            if platform is Platform.ANDROID:
                exact |= rule.android_packages
                prefixes.update(rule.android_prefixes)
                publishers |= rule.android_signers
            else:
                exact |= rule.ios_bundle_ids
                prefixes.update(rule.ios_prefixes)
                publishers |= rule.ios_team_ids
        return cls(frozenset(exact), frozenset(prefixes), frozenset(publishers))

    def may_match(self, app: InstalledApp) -> bool:
        """False only when no rule can match ``app`` (Rule.match then decides among the rest)."""
        if app.app_id in self.exact or app.signer_sha256 in self.publishers or app.team_id in self.publishers:
            return True
        # The app id and each of its leading dotted parts ("com", "com.tencent"), sliced where each dot is
        # rather than split and joined again: this runs for every app of every reading.
        app_id = app.app_id
        end = app_id.find(".")
        while end != -1:
            if app_id[:end] in self.prefixes:
                return True
            end = app_id.find(".", end + 1)
        return app_id in self.prefixes


@dataclass(frozen=True)
class Policy:
    """A named, versioned set of rules, with the hash of the file it came from (for the log)."""

    id: str
    name: str
    version: str
    authority: str
    summary: str | None
    rules: tuple[Rule, ...]
    path: str
    sha256: str

    @cached_property
    def _screens(self) -> dict[Platform, _Screen]:
        return {platform: _Screen.of(self.rules, platform) for platform in Platform}

    def findings(self, platform: Platform, apps: Iterable[InstalledApp]) -> list[Finding]:
        """Every app the policy bans, first matching rule wins, in the order the apps were given."""
        found: list[Finding] = []
        screen = self._screens[platform]
        for app in apps:
            if not screen.may_match(app):
                continue
            for rule in self.rules:
                how = rule.match(platform, app)
                if how is not None:
                    found.append(
                        Finding(
                            app=app,
                            rule_id=rule.id,
                            rule_app=rule.app,
                            matched_by=how[0],
                            matched_value=how[1],
                            reason=rule.reason,
                            source=rule.source,
                            reason_fr=rule.reason_fr,
                            source_fr=rule.source_fr,
                        )
                    )
                    break
        return found


def missing_french(policy: Policy) -> list[str]:
    """A warning for each rule without its reason in French: the policy is still valid, but a French-speaking
    operator then reads that rule's reason in English."""
    return [f"{policy.path}: rule[{index}] ({rule.id}) reason_fr: missing; French-speaking operators see the English reason"
            for index, rule in enumerate(policy.rules) if not rule.reason_fr]


def load_policy(path: str | Path) -> Policy:
    """Read and validate one policy file; raise PolicyError naming the file and key on any problem."""
    document = read_toml(path, PolicyError)
    valid = validate(_PolicyFile, document.data, document.path, PolicyError)
    head = valid.policy
    return Policy(
        id=head.id, name=head.name, version=head.version, authority=head.authority, summary=head.summary,
        rules=tuple(rule.to_rule() for rule in valid.rule), path=document.path, sha256=document.sha256,
    )


_Id = Annotated[Text, matching(_ID, "an id: use lower-case letters, digits and dashes")]
_AppId = Annotated[str, matching(_APP_ID, "a package name such as com.example.app")]
_Prefix = Annotated[str, matching(_APP_ID, "a package prefix such as com.example")]
_BundleId = Annotated[str, matching(_APP_ID, "a bundle id such as com.example.app")]
_BundlePrefix = Annotated[str, matching(_APP_ID, "a bundle-id prefix such as com.example")]
_Signer = Annotated[str, matching(_SHA256, "64 lower-case hex digits (SHA-256)")]
_TeamId = Annotated[str, matching(_TEAM_ID, "10 upper-case letters or digits")]


def _web_address(value: str) -> str:
    if not value.startswith(("https://", "http://")):
        raise ValueError("must be the http(s) address of the directive")
    return value


class _PolicyHead(Table):
    id: _Id
    name: Text
    version: Text
    authority: Text
    summary: Text | None = None


class _RuleEntry(Table):
    label: ClassVar[str] = "id"

    id: _Id
    app: Text
    reason: Text
    source: Annotated[Text, AfterValidator(_web_address)]
    reason_fr: Text | None = None
    source_fr: Annotated[Text, AfterValidator(_web_address)] | None = None
    effective: dt.date
    publisher: Text | None = None
    notes: Text | None = None
    android_packages: list[_AppId] = []
    android_prefixes: list[_Prefix] = []
    android_signers: list[_Signer] = []
    ios_bundle_ids: list[_BundleId] = []
    ios_prefixes: list[_BundlePrefix] = []
    ios_team_ids: list[_TeamId] = []

    @model_validator(mode="after")
    def _matches_something(self) -> _RuleEntry:
        if not any(getattr(self, key) for key in _MATCHERS):
            raise ValueError("matches nothing: give at least one of " + ", ".join(_MATCHERS))
        return self

    def to_rule(self) -> Rule:
        return Rule(
            id=self.id, app=self.app, reason=self.reason, source=self.source, effective=self.effective,
            publisher=self.publisher, notes=self.notes,
            android_packages=frozenset(self.android_packages), android_prefixes=tuple(self.android_prefixes),
            android_signers=frozenset(self.android_signers), ios_bundle_ids=frozenset(self.ios_bundle_ids),
            ios_prefixes=tuple(self.ios_prefixes), ios_team_ids=frozenset(self.ios_team_ids),
            reason_fr=self.reason_fr, source_fr=self.source_fr,
        )


def _distinct_ids(rules: list[_RuleEntry]) -> list[_RuleEntry]:
    unique([rule.id for rule in rules], "used by an earlier rule", key="id")
    return rules


class _PolicyFile(Table):
    policy: _PolicyHead
    rule: Annotated[list[_RuleEntry], Field(min_length=1), AfterValidator(_distinct_ids)]


def default_policy_path() -> Path:
    """The policy a scan uses when none is named: the Government of Canada directives of 2023."""
    return Path(__file__).resolve().parents[2] / "policies" / "canada-tbs-2023.toml"
