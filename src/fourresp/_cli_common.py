"""What every ``fourresp`` subcommand shares: exit codes and writing results."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from fourresp._files import write_atomically

__all__ = ["EXIT_INTERRUPTED", "EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "emit"]

#: success
EXIT_OK = 0
#: the input has problems (they are on standard error)
EXIT_PROBLEMS = 1
#: the command was used wrongly
EXIT_USAGE = 2
#: stopped with Ctrl-C
EXIT_INTERRUPTED = 130


def emit(text: str, output: Path | None, out: TextIO) -> None:
    """Write a result to ``output`` (all or nothing, saying so on stderr) or to ``out``."""
    if output is None:
        out.write(text if text.endswith("\n") else text + "\n")
    else:
        write_atomically(output, text)
        print(f"wrote {output}", file=sys.stderr)
