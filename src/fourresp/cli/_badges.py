"""The ``badge``, ``bake`` and ``unbake`` commands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from fourresp._document._inputs import read_input
from fourresp._files import write_atomically
from fourresp.badges import STYLES, THEMES, badge, bake, emblem, unbake
from fourresp.badges._png import PNG_SIGNATURE
from fourresp.cli._common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    add_command,
    emit,
    terminal_text,
)
from fourresp.errors import ArgumentError, DocumentError, Problem

__all__ = ["add_commands"]


def add_commands(commands: Any) -> None:
    """Add ``badge``, ``bake`` and ``unbake`` to the ``fourresp`` subcommands."""
    make = add_command(
        commands,
        "badge",
        help="make a shields-style badge, or the emblem (badge emblem)",
        description="fourresp badge LABEL MESSAGE makes a shields-style badge; fourresp badge "
        "emblem makes the Four Responsibilities emblem. The SVG goes to standard "
        "output, or to -o FILE.",
        examples=(
            "fourresp badge questionnaire established --color blue",
            "fourresp badge scenario 'true professional' --style for-the-badge -o b.svg",
            "fourresp badge emblem --name 'Ada Lovelace' --year 2026 --size 512 -o ada.svg",
        ),
    )
    make.add_argument("words", nargs="+", metavar="LABEL MESSAGE | emblem")
    make.add_argument("--style", choices=STYLES, default="flat")
    make.add_argument("--color", default="brightgreen", help="a name or hex (default: brightgreen)")
    make.add_argument("--label-color", default="grey", help="a name or hex (default: grey)")
    make.add_argument("--link", action="append", help="a link (give twice: label, message)")
    make.add_argument("--name", help="emblem: the supporter's name")
    make.add_argument("--year", type=int, help="emblem: the year")
    make.add_argument("--theme", choices=sorted(THEMES), default="classic", help="emblem theme")
    make.add_argument("--size", type=int, default=256, help="emblem: size in pixels")
    make.add_argument("-o", "--output", type=Path, help="write to FILE (default: stdout)")
    make.set_defaults(handler=_badge)

    bake_parser = add_command(
        commands,
        "bake",
        help="bake an Open Badges assertion or credential (JSON) into an SVG or a PNG",
        description="Bakes IMAGE (an SVG or a PNG) with the JSON in FILE, or with a signed "
        "badge's JWS/JWT (--verify). The payload must be an Open Badges 2.0 "
        "Assertion or a 3.0 credential, as --version says. A PNG goes to -o FILE "
        "(or to a pipe).",
        examples=(
            "fourresp bake badge.svg assertion.json -o baked.svg",
            "fourresp bake badge.png credential.json --version 3.0 -o baked.png",
            'fourresp bake badge.svg --verify "$(cat credential.jwt)" -o baked.svg',
        ),
    )
    bake_parser.add_argument("svg", type=Path, metavar="IMAGE")
    bake_parser.add_argument("json", type=Path, nargs="?", metavar="FILE")
    bake_parser.add_argument("--verify", help="a signed badge's compact JWS or JWT, or a URL")
    bake_parser.add_argument("--version", choices=("2.0", "3.0"), help="default: from the JSON")
    bake_parser.add_argument("-o", "--output", type=Path, help="write to FILE (default: stdout)")
    bake_parser.set_defaults(handler=_bake)

    unbake_parser = add_command(
        commands,
        "unbake",
        help="print the Open Badges assertion or credential baked into an SVG or a PNG",
        description="Prints the baked JSON (or, for a signed badge, its JWS or JWT) on "
        "standard output, and what was found on standard error; exit 1 if nothing "
        "is baked.",
        examples=(
            "fourresp unbake baked.svg",
            "fourresp unbake baked.png",
        ),
    )
    unbake_parser.add_argument("svg", type=Path, metavar="IMAGE")
    unbake_parser.set_defaults(handler=_unbake)


#: the most a badge image or payload file may hold; larger files are refused unread
MAX_INPUT_BYTES = 16 * 1024 * 1024


def _unreadable(path: Path, reason: str, code: str = "unreadable") -> DocumentError:
    return DocumentError([Problem(code=code, message=reason, source=str(path))])


def _read_bytes(path: Path) -> bytes:
    try:
        data = read_input(path, MAX_INPUT_BYTES)
    except OSError as exc:
        raise _unreadable(path, f"cannot read the file: {exc.strerror}") from None
    if data is None:
        raise _unreadable(path, f"the file is larger than {MAX_INPUT_BYTES} bytes", "too-large")
    return data


def _read(path: Path) -> str:
    try:
        return _read_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise _unreadable(path, "cannot read the file: not UTF-8 text") from None


def _located(path: Path, exc: DocumentError) -> ArgumentError:
    """One line naming the file (and line), for problems in a badge or its payload."""
    messages = []
    for problem in exc.problems:
        where = problem.source or str(path)
        if problem.line is not None:
            where += f":{problem.line}"
        messages.append(f"{where}: {problem.message}")
    return ArgumentError("; ".join(messages))


def _badge(args: argparse.Namespace, out: TextIO) -> int:
    words = args.words
    if words == ["emblem"]:
        svg = emblem(name=args.name, year=args.year, theme=args.theme, size=args.size)
    elif len(words) == 2:
        if args.name or args.year:
            raise ArgumentError("--name and --year are for: fourresp badge emblem")
        svg = badge(
            words[0],
            words[1],
            style=args.style,
            color=args.color,
            label_color=args.label_color,
            links=args.link,
        )
    else:
        print(
            "fourresp badge: give LABEL MESSAGE (two words, quote spaces), or 'emblem'",
            file=sys.stderr,
        )
        return EXIT_USAGE
    emit(svg, args.output, out)
    return EXIT_OK


def _bake(args: argparse.Namespace, out: TextIO) -> int:
    from fourresp._document._json import read_json
    from fourresp._document._limits import DEFAULT_LIMITS

    if args.json is None and args.verify is None:
        print("fourresp bake: give a JSON FILE, --verify JWS, or both", file=sys.stderr)
        return EXIT_USAGE
    try:
        data = _read_bytes(args.svg)
    except DocumentError as exc:
        raise _located(args.svg, exc) from None
    payload = None
    if args.json is not None:
        try:
            payload = read_json(_read(args.json), limits=DEFAULT_LIMITS, source=str(args.json))
        except DocumentError as exc:
            raise _located(args.json, exc) from None
    try:
        if data.startswith(PNG_SIGNATURE):
            baked: str | bytes = bake(data, payload, verify=args.verify, version=args.version)
        else:
            try:
                svg = data.decode("utf-8")
            except UnicodeDecodeError:
                raise _unreadable(args.svg, "neither a PNG nor an SVG in UTF-8") from None
            baked = bake(svg, payload, verify=args.verify, version=args.version)
    except DocumentError as exc:
        raise _located(args.svg, exc) from None
    except ArgumentError as exc:
        raise ArgumentError(f"{args.json or args.svg}: {exc}") from None
    if isinstance(baked, str):
        emit(baked, args.output, out)
    else:
        _emit_bytes(baked, args.output, out)
    return EXIT_OK


def _emit_bytes(data: bytes, output: Path | None, out: TextIO) -> None:
    if output is None:
        buffer = getattr(out, "buffer", None)
        if buffer is None or out.isatty():
            raise ArgumentError("a PNG goes to a file: give -o FILE")
        out.flush()
        buffer.write(data)
        buffer.flush()
        return
    write_atomically(output, data)  # as every file the command line writes
    print(f"wrote {output}", file=sys.stderr)


def _unbake(args: argparse.Namespace, out: TextIO) -> int:
    try:
        found = unbake(_read_bytes(args.svg))
    except DocumentError as exc:
        raise _located(args.svg, exc) from None
    if found is None:
        print(f"{args.svg}: no Open Badges assertion or credential is baked in", file=sys.stderr)
        return EXIT_PROBLEMS
    kind = "assertion" if found.version == "2.0" else "credential"
    verify = f", verify={found.verify}" if found.verify is not None else ""
    print(terminal_text(f"{args.svg}: Open Badges {found.version} {kind}{verify}"), file=sys.stderr)
    if found.payload is not None:
        json.dump(found.payload, out, indent=2, ensure_ascii=True)
        out.write("\n")
    else:  # a signed badge carries only its JWS or JWT
        out.write(f"{found.verify}\n")
    return EXIT_OK
