"""What every ``fourresp`` subcommand shares: exit codes, writing results, safe terminal text."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from fourresp._files import write_atomically

if TYPE_CHECKING:
    from fourresp.scenario import Run, Runner

__all__ = [
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "EXIT_USAGE",
    "MAX_INPUT_LINE",
    "add_command",
    "argv_problem",
    "emit",
    "read_line",
    "resume_from",
    "say",
    "terminal_text",
]

#: success
EXIT_OK = 0
#: the input has problems (they are on standard error)
EXIT_PROBLEMS = 1
#: the command was used wrongly
EXIT_USAGE = 2
#: stopped with Ctrl-C
EXIT_INTERRUPTED = 130


def add_command(
    commands: Any,
    name: str,
    *,
    help: str,
    examples: Sequence[str],
    description: str | None = None,
) -> argparse.ArgumentParser:
    """Add the subcommand ``name`` to ``commands``; its help ends with ``examples``, one a
    line, as written."""
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=help,
        description=description,
        epilog="examples:\n" + "\n".join(f"  {example}" for example in examples),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def resume_from(runner: Runner, path: Path) -> Run:
    """``runner.resume(path)``, a save that no longer fits named in the error."""
    from fourresp.errors import ResumeError

    try:
        return runner.resume(path)
    except ResumeError as exc:
        raise ResumeError(f"{path}: {exc}", step=exc.step) from None


def emit(text: str, output: Path | None, out: TextIO) -> None:
    """Write a result to ``output`` (all or nothing, saying so on stderr) or to ``out``."""
    if output is None:
        out.write(text if text.endswith("\n") else text + "\n")
    else:
        write_atomically(output, text)
        print(f"wrote {output}", file=sys.stderr)


# -- text for terminals ------------------------------------------------------------

#: The longest interactive input line kept, in bytes; the rest of a longer line is
#: read and dropped, so a line of any length costs at most this much memory.
MAX_INPUT_LINE = 4096

# What a terminal would act on rather than show: C0 controls but tab and line feed,
# DEL, C1 controls (ESC [ ... and its one-character form U+009B start escape
# sequences), lone surrogates, and the bidirectional overrides and isolates that
# can make text read differently from what it holds.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(text: str) -> str:
    """``text`` with everything a terminal would act on shown escaped (``\\x1b``, ``\\u202e``).

    Line feeds and tabs are kept. Used wherever text from a document, a file or
    the user is printed, so input cannot move the cursor, recolour the screen or
    hide what follows.
    """
    return _UNSAFE.sub(_escaped, text)


def say(text: str, stream: TextIO) -> None:
    """Print ``text`` (escaped for a terminal, see :func:`terminal_text`) and a line feed."""
    stream.write(terminal_text(text) + "\n")


def read_line(stream: TextIO, limit: int = MAX_INPUT_LINE) -> str:
    """One line typed by the user, at most ``limit`` bytes; ``""`` at the end of input.

    A longer line is cut to ``limit`` bytes and the rest of it is read and dropped
    in pieces of that size, so memory stays bounded whatever is typed or piped in.
    Bytes that are not UTF-8 read as U+FFFD, which matches no answer. A stream
    without bytes underneath (``io.StringIO``) is capped in characters instead.
    Every line of a stream must be read through here: lines are read from the
    bytes, under any text the stream may have buffered.
    """
    raw_stream = getattr(stream, "buffer", None)
    if raw_stream is None:
        line = stream.readline(limit + 1)
        if len(line) <= limit or line.endswith("\n"):
            return line
        rest = line
        while rest and not rest.endswith("\n"):
            rest = stream.readline(limit + 1)
        return line[:limit] + "\n"
    raw: bytes = raw_stream.readline(limit + 1)
    if len(raw) > limit and not raw.endswith(b"\n"):
        dropped = raw
        while dropped and not dropped.endswith(b"\n"):
            dropped = raw_stream.readline(limit + 1)
        raw = raw[:limit] + b"\n"
    return raw.decode("utf-8", "replace")


def argv_problem(argv: Sequence[str]) -> str | None:
    """Why the command line cannot be used as text, or None when it can.

    Python decodes arguments that are not UTF-8 into lone surrogates; such an
    argument would fail later in every writer, so it is refused up front.
    """
    for number, argument in enumerate(argv, start=1):
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            shown = terminal_text(argument)
            return f"argument {number} ({shown}) is not valid UTF-8 text"
    return None
