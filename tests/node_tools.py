"""Running the real JavaScript tools (openbadges-bakery, extwee) from the tests.

``FOURRESP_NODE_MODULES`` names a ``node_modules`` folder holding them (``.ci/run``
installs them with npm under ``build/``); without it, ``build/npm/node_modules``
is tried. The tests skip when node or a package is missing, unless
``FOURRESP_REQUIRE_NODE_TOOLS=1`` (set by CI), when they fail instead.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "tests" / "node"


def node_modules(package: str) -> pathlib.Path:
    """The node_modules folder holding ``package``; skips (or fails in CI) without it."""
    folder = pathlib.Path(
        os.environ.get("FOURRESP_NODE_MODULES", ROOT / "build" / "npm" / "node_modules")
    )
    if shutil.which("node") is None or not (folder / package / "package.json").is_file():
        message = f"node and the npm package {package} are needed (see .ci/run)"
        if os.environ.get("FOURRESP_REQUIRE_NODE_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return folder


def run_node(package: str, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``node tests/node/SCRIPT ARGS...`` with ``package`` resolvable; output captured."""
    folder = node_modules(package)
    return subprocess.run(
        ["node", str(SCRIPTS / script), *args],
        env={**os.environ, "NODE_PATH": str(folder)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
