"""Depot Station: scan, clean and certify an organisation's phones against a policy of banned apps."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("depot-station")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
