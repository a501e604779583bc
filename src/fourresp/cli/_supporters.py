"""The ``supporters`` command: the list of supporters, on SQLite or PostgreSQL."""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import sys
from collections.abc import Callable
from typing import IO, Any, TextIO

from fourresp.cli._common import EXIT_OK, add_command
from fourresp.content import load_framework
from fourresp.errors import ArgumentError, NotFoundError
from fourresp.supporters import PUBLIC_FIELDS, Pledge, SupporterRegistry, open_registry

__all__ = ["add_commands"]


def add_commands(commands: Any) -> None:
    """Add ``supporters`` and its actions to the ``fourresp`` subcommands."""
    parser = add_command(
        commands,
        "supporters",
        help="the list of supporters: add, list, count, search, withdraw, export, import",
        description="--db is a file path (SQLite, created if need be) or a postgresql:// URL; "
        "without --db, the FOURRESP_DB environment variable gives it.",
        examples=(
            "fourresp supporters add --db supporters.db --name 'Ada Lovelace' --email "
            "ada@example.org --public",
            "fourresp supporters list --db supporters.db",
            "fourresp supporters withdraw --db supporters.db 12",
            "fourresp supporters export --db supporters.db > backup.jsonl",
            "fourresp supporters import --db postgresql://localhost/site backup.jsonl",
        ),
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = actions.add_parser(name, help=help_text)
        sub.add_argument(
            "--db",
            default=os.environ.get("FOURRESP_DB") or None,
            help="a SQLite file path or a postgresql:// URL (default: $FOURRESP_DB)",
        )
        sub.set_defaults(handler=supporters_command)
        return sub

    add = action("add", "record a pledge (again with the same e-mail: nothing changes)")
    add.add_argument("--name", required=True)
    add.add_argument("--email")
    add.add_argument("--key", help="the app's id for the person, when there is no e-mail")
    add.add_argument("--organisation")
    add.add_argument("--role")
    add.add_argument("--country", help="ISO 3166-1 alpha-2, e.g. GB")
    add.add_argument("--public", action="store_true", help="consent to be listed publicly")
    add.add_argument("--date", help="the pledge date (default: today)")
    add.add_argument("--keep-email", action="store_true", help="keep the address in plain too")
    listing = action("list", "the publicly listed supporters, a page at a time")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--cursor", help="the cursor a previous page printed")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    action("count", "how many supporters (and how many listed publicly)")
    search = action("search", "publicly listed supporters whose name starts with PREFIX")
    search.add_argument("prefix")
    withdraw = action("withdraw", "erase a supporter for good, by id or e-mail")
    withdraw.add_argument("who", metavar="ID-or-EMAIL")
    export = action("export", "write every supporter to standard output")
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    importing = action("import", "add supporters or pledges from a file, all or nothing")
    importing.add_argument("file", help="the file to import; - reads standard input")
    importing.add_argument("--format", choices=("jsonl", "csv"))
    importing.add_argument(
        "--include-withdrawn",
        action="store_true",
        help="also restore people who withdrew (by default they are left out)",
    )


def supporters_command(args: argparse.Namespace, out: TextIO) -> int:
    """``fourresp supporters ACTION``."""
    keep = bool(getattr(args, "keep_email", False))
    if not args.db:
        raise ArgumentError(
            "which database? give --db (a SQLite path or a postgresql:// URL) or set FOURRESP_DB"
        )
    with open_registry(args.db, keep_emails=keep) as registry:
        _ACTIONS[args.action](registry, args, out)
    return EXIT_OK


def _add(registry: SupporterRegistry, args: argparse.Namespace, out: TextIO) -> None:
    """Record a pledge; say whether the person was already a supporter."""
    pledge = Pledge(
        name=args.name,
        email=args.email,
        key=args.key,
        organisation=args.organisation,
        role=args.role,
        country=args.country,
        public=args.public,
        pledged_on=args.date or datetime.date.today().isoformat(),
        framework_version=load_framework().version,
    )
    before = registry.count()
    supporter = registry.add(pledge)
    if registry.count() == before:
        print(f"already a supporter: {supporter.id}: {supporter.name}", file=out)
    else:
        print(f"supporter {supporter.id}: {supporter.name}", file=out)


def _list(registry: SupporterRegistry, args: argparse.Namespace, out: TextIO) -> None:
    """One page of the publicly listed supporters, as text or JSON."""
    page = registry.list_public(limit=args.limit, cursor=args.cursor)
    if args.format == "json":
        document = {
            "supporters": [
                {field: getattr(s, field) for field in PUBLIC_FIELDS} for s in page.supporters
            ],
            "next_cursor": page.next_cursor,
        }
        json.dump(document, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return
    for supporter in page.supporters:
        where = ", ".join(
            part for part in (supporter.role, supporter.organisation, supporter.country) if part
        )
        out.write(f"{supporter.id:>6}  {supporter.name}" + (f" ({where})" if where else "") + "\n")
    if page.next_cursor:
        print(f"more: --cursor {page.next_cursor}", file=sys.stderr)


def _count(registry: SupporterRegistry, _args: argparse.Namespace, out: TextIO) -> None:
    """How many supporters, and how many listed publicly."""
    total = registry.count()
    out.write(
        f"{total} supporter{'' if total == 1 else 's'}, {registry.count(public_only=True)} listed\n"
    )


def _search(registry: SupporterRegistry, args: argparse.Namespace, out: TextIO) -> None:
    """The publicly listed supporters whose name starts with the prefix."""
    for supporter in registry.search(args.prefix):
        out.write(f"{supporter.id:>6}  {supporter.name}\n")


def _withdraw(registry: SupporterRegistry, args: argparse.Namespace, out: TextIO) -> None:
    """Erase a supporter, found by id or e-mail."""
    who = args.who
    found = registry.find(email=who) if "@" in who else None
    # an id is ASCII digits within SQLite's integers; anything longer is no one's
    plain = who.isascii() and who.isdigit() and len(who) <= 18
    number = found.id if found is not None else (int(who) if plain else None)
    if number is None or not registry.withdraw(number):
        raise NotFoundError(f"no supporter {who!r}")
    print(f"supporter {number} withdrawn and erased", file=out)


def _export(registry: SupporterRegistry, args: argparse.Namespace, out: TextIO) -> None:
    """Every supporter to ``out``, as JSON Lines or CSV."""
    count = registry.export_to(out, format=args.format)
    print(f"{_supporters(count)} exported", file=sys.stderr)


def _import(registry: SupporterRegistry, args: argparse.Namespace, out: TextIO) -> None:
    """Supporters or pledges from a file (or standard input), all or nothing."""
    if sys.stderr.isatty():  # progress on a terminal only; pipes and CI stay quiet
        print(f"checking and importing {args.file}...", file=sys.stderr)
    source: IO[str] | str = args.file
    if args.file == "-":
        raw = getattr(sys.stdin, "buffer", None)
        source = (
            sys.stdin if raw is None else io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        )
    added = registry.import_from(
        source, format=args.format, include_withdrawn=args.include_withdrawn
    )
    print(f"{_supporters(added)} added", file=out)
    left_out = int(getattr(registry, "last_import_withdrawn", 0))
    if left_out:
        print(
            f"{_supporters(left_out)} left out: they withdrew (--include-withdrawn restores them)",
            file=sys.stderr,
        )


_ACTIONS: dict[str, Callable[[SupporterRegistry, argparse.Namespace, TextIO], None]] = {
    "add": _add,
    "list": _list,
    "count": _count,
    "search": _search,
    "withdraw": _withdraw,
    "export": _export,
    "import": _import,
}


def _supporters(count: int) -> str:
    return f"{count} supporter{'' if count == 1 else 's'}"
