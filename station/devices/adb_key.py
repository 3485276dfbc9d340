"""The station's own ADB key: made once in the data folder (owner-only) and reused, so that a phone
which was told "Always allow from this computer" keeps trusting this station."""

from __future__ import annotations

import os
from pathlib import Path

from adb_shell.auth.keygen import keygen
from adb_shell.auth.sign_cryptography import CryptographySigner

from station.core.errors import StationError

KEY_NAME = "adbkey"


def load_or_create_signer(data_dir: Path) -> CryptographySigner:
    private = data_dir / KEY_NAME
    public = data_dir / (KEY_NAME + ".pub")
    try:
        if not (private.exists() and public.exists()):
            # Create the private key file owner-only *before* any key material is written to it.
            fd = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.close(fd)
            keygen(str(private))
        private.chmod(0o600)
        return CryptographySigner(str(private))
    except (OSError, ValueError) as exc:
        raise StationError(f"station ADB key {private}: cannot be created or read ({exc})") from None
