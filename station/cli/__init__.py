"""The `station` command: parse the arguments, call the workbench's use cases, print, choose the exit code.

Exit codes: 0 clean; 1 banned apps remain (or a log or depot is not intact, or a fork); 2 bad usage or input;
3 a phone, or the depot's server, could not be reached.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from station.cli.parser import build_parser
from station.core.errors import DepotFork, DepotUnreachable, StationError, UsbUnavailable

EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, EXIT_UNREACHABLE = 0, 1, 2, 3


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.data_dir = getattr(args, "data_dir", None)
    args.verbose = getattr(args, "verbose", False)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        if args.command is None:
            from station.gui.app import run

            return run(demo=args.demo, data_dir=args.data_dir, policy_path=getattr(args, "policy", None))
        if args.command == "simulate":
            from station.sim.server import serve_forever

            return serve_forever(args.fleet, latency=not args.no_latency, out=sys.stdout)
        from station.cli import commands  # the log and the device libraries load only for a command

        return commands.run(args)
    except StationError as exc:
        print(f"station: {exc}", file=sys.stderr)
        return _exit_code(exc)
    except KeyboardInterrupt:
        print("station: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`station log export | head`): stop quietly, as Unix tools do.
        sys.stdout = Path(os.devnull).open("w")  # noqa: SIM115 - left open: it keeps the interpreter's final flush quiet
        return EXIT_CLEAN


def _exit_code(error: StationError) -> int:
    """A fork in the depot is a finding; USB or a depot out of reach, unreachable; the rest, bad input
    (a file, an argument, a PIN)."""
    if isinstance(error, DepotFork):
        return EXIT_FINDINGS
    if isinstance(error, UsbUnavailable | DepotUnreachable):
        return EXIT_UNREACHABLE
    return EXIT_INPUT
