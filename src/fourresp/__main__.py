"""``python -m fourresp``: the same as the ``fourresp`` command."""

import sys

from fourresp.cli import main

sys.exit(main())
