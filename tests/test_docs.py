"""Every ```python block in the README and docs/ runs, file by file, in order.

Blocks of one file share a namespace, so a guide can build on its earlier
examples. Each file runs in its own empty working folder.
"""

from __future__ import annotations

import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
GUIDES = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _blocks(path: pathlib.Path) -> list[tuple[int, str]]:
    text = path.read_text(encoding="utf-8")
    return [
        (text[: match.start()].count("\n") + 2, match.group(1)) for match in _BLOCK.finditer(text)
    ]


# A python block followed by "Prints:" and a text block: what the block must print.
_PRINTS = re.compile(r"^```python\n(.*?)^```\n\nPrints:\n\n```text\n(.*?)^```", re.M | re.S)


def _printed(path: pathlib.Path) -> dict[str, str]:
    return dict(_PRINTS.findall(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", GUIDES, ids=[path.name for path in GUIDES])
def test_guide_examples_run(path, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": f"docs_{path.stem}"}
    expected = _printed(path)
    for line, code in _blocks(path):
        # Pad so tracebacks point at the right line of the Markdown file.
        compiled = compile("\n" * (line - 1) + code, str(path), "exec")
        capsys.readouterr()
        exec(compiled, namespace)
        if code in expected:  # the output shown under the example is what it prints
            assert capsys.readouterr().out == expected[code], f"{path.name}:{line}"


def test_the_readme_shows_what_its_examples_print():
    assert _printed(ROOT / "README.md")


GENERATED = {"index.md", "schema-reference.md", "cli.md"}  # reference pages, no examples


def test_docs_have_examples():
    assert all(_blocks(path) for path in GUIDES if path.name not in GENERATED)


def test_generated_reference_pages_are_current():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "generate_reference", ROOT / "scripts" / "generate_reference.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, text in module.pages().items():
        committed = (ROOT / "docs" / name).read_text(encoding="utf-8")
        assert committed == text, f"docs/{name} is stale: run scripts/generate_reference.py"
