"""The ``badge``, ``bake`` and ``unbake`` commands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from fourresp._cli_common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, emit, terminal_text
from fourresp.badges import STYLES, THEMES, badge, bake, emblem, unbake
from fourresp.errors import ArgumentError, DocumentError, Problem

__all__ = ["add_commands"]


def add_commands(commands: Any) -> None:
    """Add ``badge``, ``bake`` and ``unbake`` to the ``fourresp`` subcommands."""
    make = commands.add_parser(
        "badge",
        help="make a shields-style badge, or the emblem (badge emblem)",
        description="fourresp badge LABEL MESSAGE makes a shields-style badge; "
        "fourresp badge emblem makes the Four Responsibilities emblem. The SVG goes to "
        "standard output, or to -o FILE.",
        epilog="examples:\n  fourresp badge questionnaire established --color blue\n"
        "  fourresp badge scenario 'true professional' --style for-the-badge -o b.svg\n"
        "  fourresp badge emblem --name 'Ada Lovelace' --year 2026 --size 512 -o ada.svg",
        formatter_class=argparse.RawDescriptionHelpFormatter,
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

    bake_parser = commands.add_parser(
        "bake",
        help="bake an Open Badges assertion or credential (JSON) into an SVG",
        epilog="examples:\n  fourresp bake badge.svg assertion.json -o baked.svg\n"
        "  fourresp bake badge.svg credential.json --version 3.0 > baked.svg",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bake_parser.add_argument("svg", type=Path)
    bake_parser.add_argument("json", type=Path)
    bake_parser.add_argument("--version", choices=("2.0", "3.0"), help="default: from the JSON")
    bake_parser.add_argument("-o", "--output", type=Path, help="write to FILE (default: stdout)")
    bake_parser.set_defaults(handler=_bake)

    unbake_parser = commands.add_parser(
        "unbake",
        help="print the Open Badges assertion or credential baked into an SVG",
        description="Prints the baked JSON (or, for a signed badge, its JWS or JWT) on "
        "standard output, and what was found on standard error; exit 1 if nothing is baked.",
        epilog="examples:\n  fourresp unbake baked.svg",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    unbake_parser.add_argument("svg", type=Path)
    unbake_parser.set_defaults(handler=_unbake)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise DocumentError(
            [
                Problem(
                    code="unreadable", message=f"cannot read the file: {reason}", source=str(path)
                )
            ]
        ) from None


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
    svg = _read(args.svg)
    text = _read(args.json)
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DocumentError(
            [
                Problem(
                    code="json-syntax",
                    message=f"not valid JSON: {exc.msg}",
                    source=str(args.json),
                    line=exc.lineno,
                    column=exc.colno,
                )
            ]
        ) from None
    emit(bake(svg, payload, version=args.version), args.output, out)
    return EXIT_OK


def _unbake(args: argparse.Namespace, out: TextIO) -> int:
    found = unbake(_read(args.svg))
    if found is None:
        print(f"{args.svg}: no Open Badges assertion or credential is baked in", file=sys.stderr)
        return EXIT_PROBLEMS
    kind = "assertion" if found.version == "2.0" else "credential"
    verify = f", verify={found.verify}" if found.verify is not None else ""
    print(terminal_text(f"{args.svg}: Open Badges {found.version} {kind}{verify}"), file=sys.stderr)
    if found.payload is not None:
        json.dump(found.payload, out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:  # a signed badge carries only its JWS or JWT
        out.write(f"{found.verify}\n")
    return EXIT_OK
