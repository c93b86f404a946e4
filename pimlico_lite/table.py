"""A plain-text table, drawn like rich's default one but without importing rich or measuring every cell.

``status`` of a pipeline of ten thousand module instances must take well under a second; rich's Table spends
about a millisecond per row, so the status table is drawn here. Colours are ANSI codes, used as rich uses them
(:func:`use_colour`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TextIO

COLOURS = {"dim": "2", "bold cyan": "1;36", "green": "32", "bold red": "1;31", "yellow": "33", "bold": "1"}


def use_colour(stream: TextIO) -> bool:
    """Whether to colour output to ``stream``, as rich decides for the views it draws: a terminal (``TTY_COMPATIBLE``
    1 or 0 says whether it is one; else ``FORCE_COLOR`` set to something, https://force-color.org) that is not a dumb
    one (``TERM=dumb``), unless ``NO_COLOR`` is set to something (https://no-color.org: an empty one is ignored)."""
    if os.environ.get("NO_COLOR", ""):
        return False
    said = os.environ.get("TTY_COMPATIBLE", "")  # (1 or 0: what the output is, whatever isatty() says)
    force = os.environ.get("FORCE_COLOR")
    terminal = said == "1" if said in ("0", "1") else stream.isatty() if force is None else force != ""
    return terminal and os.environ.get("TERM", "").lower() not in ("dumb", "unknown")


def paint(text: str, style: str | None, colour: bool) -> str:
    """``text`` in ``style`` (a key of COLOURS) when ``colour`` is on."""
    if not colour or not style:
        return text
    return f"\x1b[{COLOURS[style]}m{text}\x1b[0m"


def cells(text: str) -> int:
    """The columns ``text`` takes on a terminal: two for a wide character (Chinese, say), none for a combining one."""
    if text.isascii():
        return len(text)
    import unicodedata  # only for a name that is not ASCII

    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text
    )


def _padded(text: str, width: int) -> str:
    return text + " " * (width - cells(text))


# The lines of a table: its top, the header's sides, under the header, the rows' sides, its bottom (corners and
# crossings, then the line); and the same in ASCII, for an output whose encoding lacks the box-drawing characters.
BOX = ("┏┳┓━", "┃", "┡╇┩━", "│", "└┴┘─")
ASCII_BOX = ("+++-", "|", "+++=", "|", "+++-")


def box_for(stream: TextIO) -> tuple[str, ...]:
    """The lines of a table for ``stream``: ASCII when its encoding lacks the box-drawing characters."""
    try:
        "".join(BOX).encode(stream.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return ASCII_BOX
    return BOX


def draw_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    styles: Sequence[Sequence[str | None]],
    colour: bool,
    box: Sequence[str] = BOX,
) -> str:
    """Draw ``rows`` under ``headers`` in boxes (of the lines ``box`` gives); ``styles`` gives each cell's style (or
    None)."""
    top, header_side, under_header, side, bottom = box
    ascii_only = "".join(["".join(row) for row in rows]).isascii() and "".join(headers).isascii()
    measure = len if ascii_only else cells  # (a string's length is its width on a terminal when it is ASCII)
    widths = [measure(header) for header in headers]
    for row in rows:
        for column, cell in enumerate(row):
            widths[column] = max(widths[column], measure(cell))

    def rule(corners: str) -> str:  # left, middle, right, and the line between them
        return corners[0] + corners[1].join(corners[3] * (width + 2) for width in widths) + corners[2]

    headed = (f" {paint(_padded(h, w), 'bold', colour)} " for h, w in zip(headers, widths, strict=True))
    lines = [rule(top), header_side + header_side.join(headed) + header_side, rule(under_header)]
    if colour or not ascii_only:
        for row, row_styles in zip(rows, styles, strict=True):
            painted = (
                f" {paint(_padded(cell, width), style, colour)} "
                for cell, width, style in zip(row, widths, row_styles, strict=True)
            )
            lines.append(side + side.join(painted) + side)
    else:  # one format for every row: the status of a big pipeline printed into a pipe or a file
        row_format = side + side.join(f" {{:<{width}}} " for width in widths) + side
        lines.extend(row_format.format(*row) for row in rows)
    lines.append(rule(bottom))
    return "\n".join(lines)
