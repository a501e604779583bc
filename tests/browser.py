"""Debian's headless Chromium, as the browser tests start it.

The flags keep it off the network (this machine's closed network refuses its
background connections) and out of the way (no first-run pages, no sync).
"""

from __future__ import annotations

import shutil

#: The browser, or None where it is not installed (Debian: apt-get install chromium).
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

#: The flags every browser test starts it with (headless is added where needed).
FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
)
