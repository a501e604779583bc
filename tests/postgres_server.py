"""A throwaway PostgreSQL server for the tests, on a Unix socket in a temporary folder.

``FOURRESP_POSTGRES_URL`` points the tests at a server of your own instead. When
neither that nor the server programs (``initdb``, ``pg_ctl``) can be had, the
PostgreSQL tests are skipped with a message saying so.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


def _programs() -> tuple[str, str] | None:
    for folder in [None, *sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]:
        initdb = shutil.which("initdb", path=folder)
        pg_ctl = shutil.which("pg_ctl", path=folder)
        if initdb and pg_ctl:
            return initdb, pg_ctl
    return None


def why_not() -> str | None:
    """Why no server can be had here, or None when one can."""
    if os.environ.get("FOURRESP_POSTGRES_URL"):
        return None
    if _programs() is None:
        return "no PostgreSQL server programs (initdb, pg_ctl): install Debian's postgresql"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root with no 'postgres' user to run the server as"
    return None


@contextmanager
def server() -> Iterator[str]:
    """A server for the duration of the block: yields a URL to its 'postgres' database."""
    url = os.environ.get("FOURRESP_POSTGRES_URL")
    if url:
        yield url
        return
    programs = _programs()
    assert programs is not None
    initdb, pg_ctl = programs
    folder = tempfile.mkdtemp(prefix="fourresp-pg-")
    prefix: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data = os.path.join(folder, "data")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": True}
    subprocess.run(
        [*prefix, initdb, "-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"],
        **quiet,
    )
    options = f"-k {folder} -h '' -F -c fsync=off -c max_connections=50"
    subprocess.run(
        [
            *prefix,
            pg_ctl,
            "-D",
            data,
            "-o",
            options,
            "-l",
            os.path.join(folder, "log"),
            "-w",
            "start",
        ],
        **quiet,
    )
    try:
        yield f"postgresql://postgres@/postgres?host={folder}"
    finally:
        subprocess.run(
            [*prefix, pg_ctl, "-D", data, "-m", "immediate", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)
