"""The ``serve`` command: the Four Responsibilities site on this machine."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path
from typing import Any, TextIO

from fourresp._document._inputs import read_input
from fourresp.cli._common import EXIT_INTERRUPTED, EXIT_OK
from fourresp.errors import ArgumentError, MissingExtraError

__all__ = ["add_commands"]

_EPILOG = """\
examples:
  fourresp serve                         http://127.0.0.1:8000/, supporters in ./supporters.db
  fourresp serve --db /srv/fr/supporters.db --port 8080
  FOURRESP_SECRET_KEY=... fourresp serve --db postgresql://localhost/fourresp

The secret that signs sessions and people's badge and withdrawal links comes from
FOURRESP_SECRET_KEY, or else from the file --secret-file (default: the database
file's name with .secret added), made on first use with a new random secret and
kept private (mode 0600). Needs the site extra: pip install "fourresp[site]".
"""


def add_commands(commands: Any) -> None:
    """Add ``serve`` to the ``fourresp`` subcommands."""
    serve = commands.add_parser(
        "serve",
        help="serve the Four Responsibilities site (questionnaire, scenario, pledge, badges)",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument(
        "--db",
        default=os.environ.get("FOURRESP_DB", "supporters.db"),
        help="the supporters registry: a SQLite file or a postgresql:// URL "
        "(default: $FOURRESP_DB, else supporters.db)",
    )
    serve.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1")
    serve.add_argument("--port", type=int, default=8000, help="default: 8000; 0 for any free port")
    serve.add_argument("--secret-file", type=Path, help="default: DB.secret beside a SQLite DB")
    serve.add_argument(
        "--base-url",
        help="the site's public address, for badges and share links "
        "(default: the address each request came to)",
    )
    serve.set_defaults(handler=_serve)


#: the longest secret file read; a longer one (or /dev/zero) is refused unread
MAX_SECRET_BYTES = 4096


def _read_secret(path: Path) -> bytes:
    try:
        key = read_input(path, MAX_SECRET_BYTES)
    except OSError as error:
        raise ArgumentError(f"{path}: cannot read the secret file ({error.strerror})") from None
    if key is None:
        raise ArgumentError(f"{path}: the secret file holds more than {MAX_SECRET_BYTES} bytes")
    return key.strip()


def _secret(args: argparse.Namespace) -> bytes:
    from_env = os.environ.get("FOURRESP_SECRET_KEY")
    if from_env:
        return from_env.encode()
    path: Path | None = args.secret_file
    if path is None:
        if "://" in args.db:
            raise ArgumentError(
                "with a database URL, give the secret in FOURRESP_SECRET_KEY or --secret-file"
            )
        path = Path(args.db + ".secret")
    if path.exists():
        key = _read_secret(path)
        if len(key) < 16:
            raise ArgumentError(f"{path}: the secret must be at least 16 characters")
        return key
    key = secrets.token_hex(32).encode()
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        raise ArgumentError(f"{path}: cannot create the secret file ({error.strerror})") from None
    with os.fdopen(descriptor, "wb") as file:
        file.write(key + b"\n")
    print(f"made a new secret in {path} (keep it private)", file=sys.stderr)
    return key


def _serve(args: argparse.Namespace, out: TextIO) -> int:
    try:
        from werkzeug.serving import make_server

        from fourresp.site import create_app
    except ImportError as error:
        if "fourresp" in str(getattr(error, "name", "")):
            raise
        raise MissingExtraError('the site needs Flask: pip install "fourresp[site]"') from None
    if not 0 <= args.port < 65536:
        raise ArgumentError(f"--port must be between 0 (any free port) and 65535, not {args.port}")
    try:  # checked before anything is made: a name no resolver could take
        args.host.encode("idna")
    except UnicodeError:
        raise ArgumentError(f"--host is a host name or address, not {args.host!r}") from None
    app = create_app(db=args.db, secret_key=_secret(args), base_url=args.base_url)
    try:
        server = make_server(args.host, args.port, app, threaded=True)
    except OSError as error:
        raise ArgumentError(
            f"cannot listen on {args.host}:{args.port} ({error.strerror})"
        ) from None
    except ValueError as error:
        raise ArgumentError(f"cannot listen on {args.host!r}:{args.port} ({error})") from None
    print(f"serving on http://{args.host}:{server.server_port}/ (Ctrl-C to stop)", file=out)
    out.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    finally:
        server.server_close()
    return EXIT_OK
