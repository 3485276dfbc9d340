"""Where the station's private signing key is kept, and finding, making and moving it.

The key lives in the operating system's keystore (Secret Service on Linux, Keychain on macOS,
Credential Manager on Windows, through the keyring library) when this session has one, one entry per
log (named by the log's station id, so two data folders on one PC never share or overwrite a key);
else in ``station-ed25519.pem`` in the data folder, owner-only. A copied data folder then carries no
key: whoever has the files but not the OS user's session cannot sign in the station's name. Root, and
the OS user while logged in, can still read the keystore entry, as they could read the file.

Nothing here decides whether a key may be made for a log; ``Store`` does, under the log's write lock.
"""

from __future__ import annotations

import logging
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from station.audit.signing import KEY_NAME, SERVICE, KeyLocation, KeyPlace, StationKey, create_key_file
from station.core.errors import StationError

# Backends that keep secrets no better than the file fallback (plaintext or a file encrypted with a
# password the station would have to store), or keep nothing: the station uses its own file instead.
_UNTRUSTED_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")
log = logging.getLogger(__name__)


class KeyUnavailable(StationError):
    """The station's key is expected somewhere it cannot be read: nothing is signed, and no new key made."""


class Keystore:
    """The OS keystore, through a keyring backend trusted to keep secrets better than a file does."""

    def __init__(self, backend: object) -> None:
        self._backend = backend
        self.name = str(getattr(type(backend), "name", type(backend).__name__))

    @classmethod
    def find(cls) -> Keystore | None:
        """This session's keystore, or None when keyring has no trusted backend here (none installed, no
        D-Bus session, only a plaintext backend)."""
        import keyring  # it looks for its backends on import: only once a log is opened
        from keyring.backends.chainer import ChainerBackend

        try:
            chosen = keyring.get_keyring()
        except Exception as exc:  # noqa: BLE001 - a backend that fails to load is no keystore; the file is used
            log.info("no OS keystore: keyring could not load a backend (%s)", exc)
            return None
        candidates = chosen.backends if isinstance(chosen, ChainerBackend) else [chosen]
        trusted = [backend for backend in candidates if _trusted(backend)]
        return cls(trusted[0]) if trusted else None

    def location(self, station_id: str) -> KeyLocation:
        return KeyLocation(KeyPlace.KEYSTORE, self.name, station_id)

    def read(self, station_id: str) -> str | None:
        """The key's PEM text kept for ``station_id``; None when there is no such entry."""
        from keyring.errors import KeyringError

        try:
            value: str | None = self._backend.get_password(SERVICE, station_id)  # type: ignore[attr-defined]  # a KeyringBackend
        except (KeyringError, OSError, RuntimeError) as exc:
            raise KeyUnavailable(
                f"station key: {self.location(station_id)} could not be read ({type(exc).__name__}: {exc}). The station's "
                "private key is expected there; unlock the keystore (sign in to this user's desktop session) and start "
                "again. No new key was made."
            ) from None
        return value

    def write(self, station_id: str, pem: str) -> None:
        """Keep ``pem`` for ``station_id``, and read it back: a backend that drops a write must not be
        trusted with the only copy of a key."""
        from keyring.errors import KeyringError

        try:
            self._backend.set_password(SERVICE, station_id, pem)  # type: ignore[attr-defined]  # a KeyringBackend
        except (KeyringError, OSError, RuntimeError) as exc:
            raise KeyUnavailable(f"station key: {self.location(station_id)} refused the key ({type(exc).__name__}: {exc})") from None
        if self.read(station_id) != pem:
            raise KeyUnavailable(f"station key: {self.location(station_id)} does not give back the key written to it")


def _trusted(backend: object) -> bool:
    if type(backend).__module__.startswith(_UNTRUSTED_MODULES):
        return False
    try:
        priority = float(getattr(backend, "priority", 0))
    except Exception:  # noqa: BLE001 - a backend's priority raises when it is not viable here
        return False
    return priority >= 1


def _private_pem(private: Ed25519PrivateKey) -> str:
    return private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption()).decode("ascii")


def _parse(pem: bytes, location: KeyLocation) -> StationKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except ValueError as exc:
        raise KeyUnavailable(f"station key in {location}: cannot be read ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyUnavailable(f"station key in {location}: not an Ed25519 key")
    return StationKey(key, location)


def key_file(data_dir: Path) -> Path:
    return data_dir / KEY_NAME


def file_location(data_dir: Path) -> KeyLocation:
    return KeyLocation(KeyPlace.FILE, str(key_file(data_dir)))


def find_key(data_dir: Path, station_id: str, keystore: Keystore | None) -> StationKey | None:
    """The station's key where it is kept: the keystore's entry for ``station_id`` first, then the file.
    None when neither holds one."""
    if keystore is not None:
        pem = keystore.read(station_id)
        if pem is not None:
            return _parse(pem.encode("ascii"), keystore.location(station_id))
    path = key_file(data_dir)
    try:
        if path.stat().st_size == 0:
            path.unlink()  # a station killed while creating its key: nothing was ever signed with it
            return None
        return _parse(path.read_bytes(), file_location(data_dir))
    except FileNotFoundError:
        return None  # never made, or moved into the keystore by another process just now
    except OSError as exc:
        raise KeyUnavailable(f"station key {path}: cannot be read ({exc.strerror or exc})") from None


def create_key(data_dir: Path, station_id: str, keystore: Keystore | None) -> StationKey:
    """A new key, in the keystore when there is one, else in the file (made whole, then linked in)."""
    if keystore is not None:
        private = Ed25519PrivateKey.generate()
        keystore.write(station_id, _private_pem(private))
        return StationKey(private, keystore.location(station_id))
    path = key_file(data_dir)
    try:
        create_key_file(path)
        return _parse(path.read_bytes(), file_location(data_dir))
    except OSError as exc:
        raise KeyUnavailable(f"station key {path}: cannot be created ({exc.strerror or exc})") from None


def move_into_keystore(key: StationKey, data_dir: Path, station_id: str, keystore: Keystore,
                       only_if: StationKey | None = None) -> StationKey:
    """Put ``key`` (read from the data folder's file) into the keystore, and remove the file once the
    keystore gives the key back. With ``only_if`` (the key the keystore already holds), a file holding any
    other key is kept and the keystore is left as it is. The file's blocks may survive on disk (journals,
    SSD wear levelling) until overwritten; the README says so."""
    if only_if is not None and only_if.location.place is KeyPlace.KEYSTORE:
        if only_if.id == key.id:
            key_file(data_dir).unlink(missing_ok=True)
        return only_if
    keystore.write(station_id, _private_pem(key.private))
    key_file(data_dir).unlink(missing_ok=True)
    return StationKey(key.private, keystore.location(station_id))
