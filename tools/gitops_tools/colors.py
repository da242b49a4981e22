"""Colour in the text report: whether to use it, and the few ANSI styles it uses.

`--color auto` (the default) colours only a terminal, never when `NO_COLOR` is set to anything
(https://no-color.org), always when `FORCE_COLOR` is; `--color always|never` overrides both.
Plain escape codes: the text formatter needs four styles, not a terminal library.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TextIO

COLOR_CHOICES = ("auto", "always", "never")

_STYLES = {
    "error": "1;31",  # bold red
    "warning": "33",  # yellow
    "info": "36",  # cyan
    "location": "1",  # bold: path:line:col
    "hint": "2",  # dim
}

Paint = Callable[[str, str], str]


def wants_color(choice: str, stream: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    """Whether a report written to `stream` is coloured, for `--color choice`."""
    if choice != "auto":
        return choice == "always"
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    return stream.isatty() and environ.get("TERM") != "dumb"


def ansi(text: str, style: str) -> str:
    """`text` in `style` (a key of the style table), reset afterwards."""
    return f"\033[{_STYLES[style]}m{text}\033[0m" if text else text


def plain(text: str, style: str) -> str:
    return text


def painter(color: bool) -> Paint:
    return ansi if color else plain
