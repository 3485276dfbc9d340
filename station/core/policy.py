"""Policies of banned apps: loading, validation and matching.

A policy is one TOML file (see README, "Policy format"). It is validated completely when loaded, so
that a depot never scans against half a policy: every problem is reported with the file and the key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from station.core.errors import PolicyError
from station.core.models import Finding, InstalledApp, Platform

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_APP_ID = re.compile(r"^[A-Za-z0-9_]+(\.[A-Za-z0-9_-]+)*$")
_TEAM_ID = re.compile(r"^[A-Z0-9]{10}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")

_POLICY_KEYS = {"id": True, "name": True, "version": True, "authority": True, "summary": False}
_RULE_TEXT_KEYS = {"id": True, "app": True, "reason": True, "source": True, "publisher": False, "notes": False}

# matcher key -> (platform, how it matches, pattern its values must fit, what that pattern means)
_MATCHERS: dict[str, tuple[Platform, str, re.Pattern[str], str]] = {
    "android_packages": (Platform.ANDROID, "package", _APP_ID, "a package name such as com.example.app"),
    "android_prefixes": (Platform.ANDROID, "prefix", _APP_ID, "a package prefix such as com.example"),
    "android_signers": (Platform.ANDROID, "signer", _SHA256, "64 lower-case hex digits (SHA-256)"),
    "ios_bundle_ids": (Platform.IOS, "bundle id", _APP_ID, "a bundle id such as com.example.app"),
    "ios_prefixes": (Platform.IOS, "prefix", _APP_ID, "a bundle-id prefix such as com.example"),
    "ios_team_ids": (Platform.IOS, "team id", _TEAM_ID, "10 upper-case letters or digits"),
}


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
        parts = app.app_id.split(".")
        return any(".".join(parts[:end]) in self.prefixes for end in range(1, len(parts) + 1))


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
                        )
                    )
                    break
        return found


def load_policy(path: str | Path) -> Policy:
    """Read and validate one policy file; raise PolicyError naming the file and key on any problem."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise PolicyError(name, "", "no such file") from None
    except OSError as exc:
        raise PolicyError(name, "", f"cannot be read ({exc.strerror or exc})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise PolicyError(name, f"byte {exc.start}", "is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(name, "", f"not valid TOML: {exc}") from None
    return _parse(name, data, hashlib.sha256(raw).hexdigest())


def _parse(name: str, data: dict[str, Any], sha256: str) -> Policy:
    _only_keys(name, "", data, {"policy", "rule"})
    head = data.get("policy")
    if not isinstance(head, dict):
        raise PolicyError(name, "[policy]", "missing: the file needs a [policy] table with id, name, version, authority")
    _only_keys(name, "[policy]", head, set(_POLICY_KEYS))
    fields = {key: _text(name, "[policy]", head, key, required) for key, required in _POLICY_KEYS.items()}
    if not _ID.match(fields["id"] or ""):
        raise PolicyError(name, "[policy] id", "use lower-case letters, digits and dashes")
    rules_raw = data.get("rule")
    if not isinstance(rules_raw, list) or not rules_raw:
        raise PolicyError(name, "[[rule]]", "the policy has no rules: add at least one [[rule]] table")
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, entry in enumerate(rules_raw):
        rule = _parse_rule(name, index, entry)
        if rule.id in seen:
            raise PolicyError(name, f"rule[{index}] id", f"'{rule.id}' is used by an earlier rule")
        seen.add(rule.id)
        rules.append(rule)
    return Policy(
        id=fields["id"] or "",
        name=fields["name"] or "",
        version=fields["version"] or "",
        authority=fields["authority"] or "",
        summary=fields["summary"],
        rules=tuple(rules),
        path=name,
        sha256=sha256,
    )


def _parse_rule(name: str, index: int, entry: object) -> Rule:
    where = f"rule[{index}]"
    if not isinstance(entry, dict):
        raise PolicyError(name, where, "must be a [[rule]] table")
    if isinstance(entry.get("id"), str):
        where = f"rule[{index}] ({entry['id']})"
    _only_keys(name, where, entry, set(_RULE_TEXT_KEYS) | set(_MATCHERS) | {"effective"})
    text = {key: _text(name, where, entry, key, required) for key, required in _RULE_TEXT_KEYS.items()}
    if not _ID.match(text["id"] or ""):
        raise PolicyError(name, f"{where} id", "use lower-case letters, digits and dashes")
    source = text["source"] or ""
    if not source.startswith(("https://", "http://")):
        raise PolicyError(name, f"{where} source", "must be the http(s) address of the directive")
    effective = entry.get("effective")
    if not isinstance(effective, dt.date) or isinstance(effective, dt.datetime):
        raise PolicyError(name, f"{where} effective", "required: the date the ban took effect, e.g. 2023-02-28")
    matchers: dict[str, list[str]] = {}
    for key, (_platform, _kind, pattern, meaning) in _MATCHERS.items():
        values = entry.get(key, [])
        if not isinstance(values, list):
            raise PolicyError(name, f"{where} {key}", "must be a list of strings")
        for position, value in enumerate(values):
            if not isinstance(value, str) or not pattern.match(value):
                raise PolicyError(name, f"{where} {key}[{position}]", f"{value!r} is not {meaning}")
        matchers[key] = values
    if not any(matchers.values()):
        raise PolicyError(name, where, "matches nothing: give at least one of " + ", ".join(_MATCHERS))
    return Rule(
        id=text["id"] or "",
        app=text["app"] or "",
        reason=text["reason"] or "",
        source=source,
        effective=effective,
        publisher=text["publisher"],
        notes=text["notes"],
        android_packages=frozenset(matchers["android_packages"]),
        android_prefixes=tuple(matchers["android_prefixes"]),
        android_signers=frozenset(matchers["android_signers"]),
        ios_bundle_ids=frozenset(matchers["ios_bundle_ids"]),
        ios_prefixes=tuple(matchers["ios_prefixes"]),
        ios_team_ids=frozenset(matchers["ios_team_ids"]),
    )


def _only_keys(name: str, where: str, table: dict[str, Any], allowed: set[str]) -> None:
    for key in table:
        if key not in allowed:
            place = f"{where} {key}".strip()
            raise PolicyError(name, place, f"unknown key (expected one of: {', '.join(sorted(allowed))})")


def _text(name: str, where: str, table: dict[str, Any], key: str, required: bool) -> str | None:
    value = table.get(key)
    if value is None:
        if required:
            raise PolicyError(name, f"{where} {key}", "missing (required)")
        return None
    if not isinstance(value, str) or not value.strip():
        raise PolicyError(name, f"{where} {key}", "must be non-empty text")
    return value.strip()


def default_policy_path() -> Path:
    """The policy a scan uses when none is named: the Government of Canada directives of 2023."""
    return Path(__file__).resolve().parents[2] / "policies" / "canada-tbs-2023.toml"
