"""The `station` command: parse the arguments, call the workbench's use cases, print, choose the exit code.

Exit codes: 0 clean; 1 banned apps remain (or a log or depot is not intact, or a fork); 2 bad usage or input;
3 a phone, or the depot's server, could not be reached.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from station.cli.parser import build_parser
from station.core.errors import DepotFork, DepotUnreachable, InputFileError, StationError, UsbUnavailable

EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, EXIT_UNREACHABLE = 0, 1, 2, 3


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.data_dir = getattr(args, "data_dir", None)
    args.verbose = getattr(args, "verbose", False)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    try:
        if args.command is None:
            from station.gui.app import run

            return run(demo=args.demo, data_dir=args.data_dir, policy_path=getattr(args, "policy", None))
        if args.command == "simulate":
            from station.sim.server import serve_forever

            return serve_forever(args.fleet, latency=not args.no_latency, out=sys.stdout)
        from station.cli import commands  # the log and the device libraries load only for a command

        return commands.run(args)
    except InputFileError as exc:
        print(f"station: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except DepotFork as exc:
        print(f"station: {exc}", file=sys.stderr)
        return EXIT_FINDINGS
    except DepotUnreachable as exc:
        print(f"station: {exc}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except UsbUnavailable as exc:
        print(f"station: {exc}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except StationError as exc:
        print(f"station: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("station: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`station log export | head`): stop quietly, as Unix tools do.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps the interpreter's final flush quiet
        return EXIT_CLEAN
