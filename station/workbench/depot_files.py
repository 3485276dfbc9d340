"""The depot's policy and workflows as this station last took them (for the window, which may not import
the depot package): None when the station has joined no depot or has no copy yet."""

from __future__ import annotations

from pathlib import Path

from station.depot.config import DocumentKind, shared_document


def shared_policy(data_dir: Path) -> Path | None:
    return shared_document(data_dir, DocumentKind.POLICY, "policy")


def shared_workflow(data_dir: Path, purpose: str) -> Path | None:
    return shared_document(data_dir, DocumentKind.WORKFLOW, purpose)
