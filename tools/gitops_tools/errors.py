"""The one user-facing error type: a clear message, an optional hint, exit code 2; and the
exit codes: 0 clean, 1 findings, 2 the input could not be checked, 3 the tool crashed."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_CRASH = 3
ISSUES_URL = "https://github.com/example-org/gitops-platform/issues"
DEBUG_ENV = "GITOPS_DEBUG"  # set to 1: a crash shows its traceback


class FatalError(Exception):
    """Bad input or environment: reported as one message, never a traceback."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\nHint: {self.hint}"
        return self.message


def run(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> int:
    """Parse and run the command's handler: a FatalError is one line and exit 2, any other
    exception one line with "please report" and exit 3 (never 1, which means findings)."""
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except FatalError as exc:
        print(f"gitops: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if os.environ.get(DEBUG_ENV):
            import traceback

            traceback.print_exc()
        print(f"gitops: internal error: {crash_line(exc)}", file=sys.stderr)
        return EXIT_CRASH


def crash_line(exc: BaseException) -> str:
    """One line: what failed and where, and what to do about it."""
    import traceback  # only a crash pays for it

    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    text = " ".join(str(exc).split())[:300]
    return (
        f"{type(exc).__name__}{': ' + text if text else ''}{where}; this is a bug in gitops, "
        f"please report it with the command you ran ({ISSUES_URL}; {DEBUG_ENV}=1 shows the "
        "traceback)"
    )
