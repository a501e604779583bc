"""No ``Any`` from fourresp reaches an app: ``typed_app.py`` passes ``--disallow-any-expr``.

``typed_app.py`` calls every public name of the packages listed in ``PACKAGES``
as ``<package>.<name>``; to cover another package, add it here and give the app
a ``use_<package>`` function.
"""

from __future__ import annotations

import importlib
import importlib.util
import pathlib
import subprocess
import sys

import pytest

import typed_app

APP = pathlib.Path(typed_app.__file__).resolve()
ROOT = APP.parent.parent
PACKAGES = (
    "fourresp",
    "fourresp.errors",
    "fourresp.content",
    "fourresp.assessment",
    "fourresp.scenario",
    "fourresp.supporters",
    "fourresp.badges",
    "fourresp.charts",
    "fourresp.testing",
    "fourresp.xapi",
    "fourresp.exchange",
    # The site needs Flask, an extra: covered where it is installed.
    *(("fourresp.site",) if importlib.util.find_spec("flask") else ()),
)


@pytest.mark.parametrize("package", PACKAGES)
def test_the_app_uses_every_public_name(package):
    source = APP.read_text(encoding="utf-8")
    short = package.rpartition(".")[2]
    public = importlib.import_module(package).__all__
    missing = [name for name in public if f"{short}.{name}" not in source]
    assert not missing, f"typed_app.py does not use {package}: {', '.join(missing)}"


def test_the_app_runs():
    typed_app.main()


def test_no_any_from_fourresp_reaches_the_app(tmp_path):
    # The app alone is checked (imports are followed silently): fourresp's own
    # code is checked by the project's mypy run, and may use Any inside.
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--disallow-any-expr",
            "--follow-imports=silent",
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            str(APP),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
