"""The iOS restrictions profile that keeps a policy's apps from being installed again.

A com.apple.applicationaccess payload with blockedAppBundleIDs (iOS 15+). iOS enforces it only on
supervised iPhones; on others the profile installs (after the user approves it in Settings) and does
nothing, which the checklist says plainly. Bundle-id prefixes and team ids cannot be expressed in it.
"""

from __future__ import annotations

import plistlib
import uuid

from station.core.checklist import blocking_profile_id
from station.core.policy import Policy

_NAMESPACE = uuid.UUID("6f0b7e2a-4a52-4b7e-9d55-0d3e57a7c0de")


def blocked_bundle_ids(policy: Policy) -> list[str]:
    return sorted({bundle for rule in policy.rules for bundle in rule.ios_bundle_ids})


def blocking_profile(policy: Policy) -> bytes:
    """The .mobileconfig for ``policy``; the same policy file always gives the same profile."""
    identifier = blocking_profile_id(policy)
    return plistlib.dumps({
        "PayloadType": "Configuration",
        "PayloadVersion": 1,
        "PayloadIdentifier": identifier,
        "PayloadUUID": str(uuid.uuid5(_NAMESPACE, identifier)).upper(),
        "PayloadDisplayName": f"Banned apps: {policy.name}",
        "PayloadDescription": f"Blocks the apps banned by {policy.authority} ({policy.id} {policy.version}).",
        "PayloadOrganization": policy.authority,
        "PayloadRemovalDisallowed": False,
        "PayloadContent": [{
            "PayloadType": "com.apple.applicationaccess",
            "PayloadVersion": 1,
            "PayloadIdentifier": identifier + ".restrictions",
            "PayloadUUID": str(uuid.uuid5(_NAMESPACE, identifier + ".restrictions")).upper(),
            "PayloadDisplayName": "Blocked apps",
            "blockedAppBundleIDs": blocked_bundle_ids(policy),
        }],
    })
