"""One exception hierarchy for the whole station.

Every message is written for the depot operator at the bench: it names the phone, file or address
concerned and says what to do. Only cli.py and gui/ turn these into exit codes and dialogs.
"""

from __future__ import annotations

from station.core.notices import Notice


class StationError(Exception):
    """Something the operator can act on; the message says what and where."""


class InputFileError(StationError):
    """A policy, fleet or workflow file that cannot be used as it is."""

    def __init__(self, path: str, where: str, what: str) -> None:
        self.path = path
        self.where = where
        self.what = what
        location = f"{path}: {where}" if where else path
        super().__init__(f"{location}: {what}")


class PolicyError(InputFileError):
    """A policy file is missing, unreadable or invalid."""


class FleetError(InputFileError):
    """A simulated-fleet file is missing, unreadable or invalid."""


class DeviceError(StationError):
    """A phone could not do what was asked. ``device`` names it (serial or address)."""

    def __init__(self, device: str, message: str) -> None:
        self.device = device
        super().__init__(f"{device}: {message}")


class DeviceUnreachable(DeviceError):
    """No connection could be made to the phone at all."""


class AuthorizationPending(DeviceError):
    """The phone has not yet accepted the station (the operator must tap Allow or Trust)."""


class AuthorizationRejected(DeviceError):
    """The phone refused the station's key or pairing."""


class DeviceTimeout(DeviceError):
    """The phone stopped answering within the time allowed for one call."""


class DeviceDisconnected(DeviceError):
    """The phone went away (unplugged, rebooted) in the middle of a command."""


class DeviceProtocolError(DeviceError):
    """The phone answered something the station cannot understand."""


class WipeRefused(DeviceError):
    """The phone will not factory-reset on the station's command; the message says what to do by hand."""


class WipeNeedsRecovery(WipeRefused):
    """The phone will not reset over USB debugging, but the station can restart it into its recovery
    menu, where the operator chooses the factory reset by hand."""


class IdentityMismatch(DeviceError):
    """The phone at this address is not the one the operator confirmed an action for."""


class UsbUnavailable(StationError):
    """USB discovery cannot work on this PC as it is set up (libusb, permissions, adb server)."""

    def __init__(self, notice: Notice, where: str = "") -> None:
        self.notice = notice
        super().__init__(f"{where}: {notice}" if where else str(notice))


class DepotError(StationError):
    """The depot's shared record (a PostgreSQL server) refused or could not do what was asked. The
    message names the server as host:port/dbname, never with a password."""


class DepotUnreachable(DepotError):
    """The depot's server could not be reached in time; the station goes on with its own log."""


class DepotFork(DepotError):
    """Two different records claim the same station and sequence number (a data folder copied to a
    second PC, or a local log cut short and written again): refused, never merged."""
