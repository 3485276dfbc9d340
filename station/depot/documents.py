"""The depot's policy and workflows: a supervisor publishes a file at any station; every station keeps
the newest copy of each in its data folder (``depot/policy.toml``, ``depot/workflows/PURPOSE.toml``)
and uses it where no file is named. A copy is kept only when the publishing station's signed record
backs it and it validates, so a station offline, or offered a broken or unbacked file, goes on with the
last good one."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import psycopg

from station.core.checklist import load_workflow
from station.core.errors import InputFileError
from station.core.policy import load_policy
from station.depot import queries
from station.depot.config import DocumentKind, local_path


@dataclass(frozen=True)
class Document:
    kind: DocumentKind
    name: str  # "policy", or a workflow's purpose (provision, return)
    sha256: str
    content: str


def read_document(kind: DocumentKind, path: Path) -> Document:
    """A file to publish, validated as the station would load it."""
    name = str(kind) if kind is DocumentKind.POLICY else str(load_workflow(path).purpose)
    if kind is DocumentKind.POLICY:
        load_policy(path)
    content = path.read_text(encoding="utf-8")
    return Document(kind, name, hashlib.sha256(content.encode("utf-8")).hexdigest(), content)


def publish(conn: psycopg.Connection[tuple[object, ...]], document: Document, station_id: str, by: str) -> None:
    conn.execute("INSERT INTO documents (kind, name, sha256, content, station_id, published_by) VALUES (%s, %s, %s, %s, %s, %s)",
                 [str(document.kind), document.name, document.sha256, document.content, station_id, by])


def pull(conn: psycopg.Connection[tuple[object, ...]], data_dir: Path) -> list[str]:
    """Keep the newest of each document that a station's signed record says a supervisor published;
    what could not be kept, and why."""
    problems, settled = [], set()
    for number, kind, name, content, station_id in conn.execute(
        "SELECT id, kind, name, content, station_id FROM documents ORDER BY kind, name, id DESC"
    ).fetchall():
        if (kind, name) in settled:
            continue
        digest = hashlib.sha256(str(content).encode("utf-8")).hexdigest()
        if not queries.publication_is_signed(conn, str(station_id), str(kind), str(name), digest):
            problems.append(f"the depot's {kind} {name} (document {number}) was not taken: no signed record of a supervisor "
                            "publishing it at the station it names; it was written into the depot some other way")
            continue
        settled.add((kind, name))
        target = local_path(data_dir, DocumentKind(str(kind)), str(name))
        if target.exists() and target.read_text(encoding="utf-8") == str(content):
            continue
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = target.with_name(f".new-{os.getpid()}-{target.name}")
        partial.write_text(str(content), encoding="utf-8")
        try:
            # Validated where it will live (a policy's messages name its file), then renamed into place.
            (load_policy if kind == DocumentKind.POLICY else load_workflow)(partial)
        except InputFileError as exc:
            partial.unlink()
            problems.append(f"the depot's {kind} {name} was not taken: {exc}")
            continue
        partial.replace(target)
    return problems
