"""``python -m fourresp``: the same as the ``fourresp`` command."""

from fourresp.cli import run

run()
