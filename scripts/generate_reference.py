"""Regenerate the reference pages in docs/ from the code itself.

    python scripts/generate_reference.py

- ``docs/schema-reference.md``: every document kind's fields, from the JSON
  Schemas in ``src/fourresp/schemas/`` (titles, descriptions, types, required);
- ``docs/cli.md``: every command's ``--help``.

The test suite checks that the committed pages are what this script writes, so
they never drift from the schemas or the command line.
"""

from __future__ import annotations

import contextlib
import io
import os
import pathlib
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _type(node: dict[str, Any], resolve: Any) -> str:
    if "$ref" in node:
        target = resolve(node["$ref"])
        return _type(target, resolve) if target is not None else "see schema"
    if "const" in node:
        return f"`{node['const']}`"
    if "enum" in node:
        return " or ".join(f"`{value}`" for value in node["enum"])
    kind = node.get("type", "")
    kinds = kind if isinstance(kind, list) else [kind]
    text = " or ".join(k for k in kinds if k) or "see below"
    if "items" in node:
        text += " of " + _type(node["items"], resolve).replace(" of ", " of ")
    return text


def schema_reference() -> str:
    import fourresp

    names = [n for n in fourresp.schema_names() if n != "common"]
    bodies = {name: fourresp.schema(name) for name in fourresp.schema_names()}
    by_id = {body["$id"]: body for body in bodies.values()}

    def resolver(base: dict[str, Any]) -> Any:
        def resolve(reference: str) -> dict[str, Any] | None:
            target_id, _, fragment = reference.partition("#")
            document = (
                base
                if not target_id
                else by_id.get(base["$id"].rsplit("/", 1)[0] + "/" + target_id)
            )
            node: Any = document
            for part in fragment.strip("/").split("/") if fragment else []:
                node = node.get(part) if isinstance(node, dict) else None
            return node if isinstance(node, dict) else None

        return resolve

    lines = [
        "# Schema reference",
        "",
        "Generated from the JSON Schemas the library ships (`fourresp schema NAME` prints",
        "one; point your editor at it). Every document may also carry `kind` (its kind)",
        "and `$schema` (for editors). Regenerate with `python scripts/generate_reference.py`.",
        "",
    ]
    for name in names:
        body = bodies[name]
        resolve = resolver(body)
        lines += [f"## {name}", "", body.get("description", ""), ""]
        sections = [("", body)] + [
            (key, value) for key, value in sorted(body.get("$defs", {}).items())
        ]
        for heading, node in sections:
            properties = node.get("properties")
            if not properties:
                continue
            required = set(node.get("required", []))
            if heading:
                lines += [f"### {name}: {heading}", "", node.get("description", ""), ""]
            lines += ["| field | type | required | what it is |", "| --- | --- | --- | --- |"]
            for key, value in properties.items():
                if key in ("$schema", "kind"):
                    continue
                description = " ".join(str(value.get("description", "")).split())
                lines.append(
                    f"| `{key}` | {_type(value, resolve)} | {'yes' if key in required else ''} "
                    f"| {description.replace('|', '/')} |"
                )
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def cli_reference() -> str:
    from fourresp.cli import _build_parser

    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"  # argparse wraps to the terminal: fix it for the page
    try:
        return _cli_pages(_build_parser())
    finally:
        if previous is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = previous


def _cli_pages(parser: Any) -> str:
    lines = [
        "# Command-line reference",
        "",
        "Every command's `--help`. Exit codes are the same everywhere: 0 success, 1 the",
        "input has problems, 2 the command was used wrongly (130 when interrupted).",
        "Results go to standard output; errors, prompts and progress to standard error.",
        "Regenerate with `python scripts/generate_reference.py`.",
        "",
        "## fourresp",
        "",
        "```text",
        parser.format_help().rstrip(),
        "```",
        "",
    ]
    subparsers = next(
        action for action in parser._actions if action.__class__.__name__ == "_SubParsersAction"
    )
    for name, sub in subparsers.choices.items():  # type: ignore[attr-defined]
        lines += [f"## fourresp {name}", "", "```text", sub.format_help().rstrip(), "```", ""]
        nested = [a for a in sub._actions if a.__class__.__name__ == "_SubParsersAction"]
        for group in nested:
            for action_name, action in group.choices.items():
                lines += [
                    f"### fourresp {name} {action_name}",
                    "",
                    "```text",
                    action.format_help().rstrip(),
                    "```",
                    "",
                ]
    return "\n".join(lines).rstrip() + "\n"


def pages() -> dict[str, str]:
    """Every generated page: file name under docs/ -> its text."""
    with contextlib.redirect_stdout(io.StringIO()):
        return {"schema-reference.md": schema_reference(), "cli.md": cli_reference()}


def main() -> int:
    for name, text in pages().items():
        (DOCS / name).write_text(text, encoding="utf-8")
        print(f"wrote docs/{name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
