"""What every command of the simulated Android shell shares: where it writes (stdout, stderr, and
both interleaved as a terminal shows them) and how pm and settings reject a command line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

PM_ERROR = 255  # the exit status of a command line pm or settings rejects


class UsageError(Exception):
    """A command line pm or settings rejects; the message goes to stderr, exit 255."""


@dataclass
class Output:
    stdout: list[bytes] = field(default_factory=list)
    stderr: list[bytes] = field(default_factory=list)
    merged: list[bytes] = field(default_factory=list)

    def out(self, text: str) -> None:
        data = text.encode()
        self.stdout.append(data)
        self.merged.append(data)

    def err(self, text: str) -> None:
        data = text.encode()
        self.stderr.append(data)
        self.merged.append(data)


Command = Callable[[list[str], Output], int]
