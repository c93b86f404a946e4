"""Standard streams whose encoding lacks characters (``PYTHONIOENCODING=latin-1``, the C locale): escapes for
them, rather than a failure."""

from __future__ import annotations

import codecs
import io
import os
import sys


def escape_what_cannot_be_shown() -> None:
    """Let standard output and error write a character their encoding lacks as an escape (``\\u2713``) rather than
    fail: ``PYTHONIOENCODING=latin-1``, or the C locale, made a run stop at its first ``✓`` with a traceback, and
    made a module that printed a name in Japanese fail. (UTF-8, which has every character, is left as it is; the
    bytes that the C locale keeps as they came, in a file's name say, still go out as they came.) Called by the run,
    and by each worker process it starts afresh and each Dask worker; what a module runs is told by
    ``PYTHONIOENCODING``, when that is what chose the encoding."""
    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper) or codecs.lookup(stream.encoding).name == "utf-8":
            continue  # (replaced, by a test say; or it has every character)
        if stream.errors == "strict":
            stream.reconfigure(errors="backslashreplace")
        elif stream.errors == "surrogateescape":
            codecs.register_error(_ESCAPE_KEEPING_BYTES, _escape_keeping_bytes)
            stream.reconfigure(errors=_ESCAPE_KEEPING_BYTES)
    chosen = os.environ.get("PYTHONIOENCODING", "")
    if chosen and ":" not in chosen and codecs.lookup(chosen).name != "utf-8":
        os.environ["PYTHONIOENCODING"] = f"{chosen}:backslashreplace"


_ESCAPE_KEEPING_BYTES = "pimlico_lite.escape_keeping_bytes"


def _escape_keeping_bytes(error: UnicodeError) -> tuple[str | bytes, int]:
    """An error handler: a byte that surrogateescape kept (as a surrogate) goes out as that byte, any other
    character the encoding lacks as a backslash escape."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    character = error.object[error.start]
    if "\udc80" <= character <= "\udcff":
        return bytes([ord(character) - 0xDC00]), error.start + 1
    return codecs.backslashreplace_errors(
        UnicodeEncodeError(error.encoding, error.object, error.start, error.start + 1, error.reason)
    )
