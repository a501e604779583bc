"""Exports for authors: the scenario's graph as Graphviz DOT or a Mermaid flowchart.

Scenes are nodes (labelled with their act, the start of their text, and how many
text variants they have), choices are edges labelled with their text (``[if]``
when a condition guards them), endings are styled apart (with "+ epilogue" when
the ending has one). Every label is
escaped for its language; in Mermaid every node id is prefixed (``s_``) so no
scene id can collide with a keyword Mermaid reserves, such as ``end``.
"""

from __future__ import annotations

import re

from fourresp.scenario._models import BY_RULES, Scenario, Scene

__all__ = ["to_dot", "to_mermaid"]

_LABEL = 48


def _short(text: str, limit: int = _LABEL) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _scene_label(scenario: Scenario, scene: Scene) -> str:
    head = f"{scene.act}: " if scene.act else ""
    label = f"{scene.id}\n{_short(head + scene.text)}"
    if scene.variants:
        count = len(scene.variants)
        label += f"\n[{count} variant{'s' if count != 1 else ''} of the text]"
    if scene.ending == BY_RULES:
        label += "\n[ending by rules]"
    elif scene.ending is not None:
        ending = next((e for e in scenario.endings if e.id == scene.ending), None)
        label += f"\n[{ending.title if ending else scene.ending}]"
        if ending is not None and ending.epilogue is not None:
            label += " + epilogue"
    return label


def _dot_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "")
    return '"' + escaped.replace("\n", "\\n") + '"'


def to_dot(scenario: Scenario) -> str:
    """The scenario's graph in Graphviz DOT (``dot -Tsvg``)."""
    lines = [
        f"digraph {_dot_string(scenario.id)} {{",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded", fontname="DejaVu Sans"];',
        '  edge [fontname="DejaVu Sans", fontsize=10];',
        f"  label={_dot_string(scenario.title)};",
    ]
    for scene in scenario.scenes:
        style = ""
        if scene.ending is not None:
            style = ', shape=doubleoctagon, style="filled", fillcolor="#dbeafe"'
        elif scene.id == scenario.start:
            style = ', style="rounded,bold"'
        label = _dot_string(_scene_label(scenario, scene))
        lines.append(f"  {_dot_string(scene.id)} [label={label}{style}];")
    for scene in scenario.scenes:
        for choice in scene.choices:
            label = _short(choice.text, 40)
            if choice.condition is not None:
                label = "[if] " + label
            lines.append(
                f"  {_dot_string(scene.id)} -> {_dot_string(choice.goto)} "
                f"[label={_dot_string(label)}];"
            )
    lines.append("}")
    return "\n".join(lines) + "\n"


_MERMAID_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


# Mermaid labels in quotes: entity codes for what would end or break them.
_MERMAID_ESCAPES = str.maketrans(
    {"&": "#amp;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "|": "#124;", "\n": "<br/>"}
)


def _mermaid_text(text: str) -> str:
    return text.translate(_MERMAID_ESCAPES)


def to_mermaid(scenario: Scenario) -> str:
    """The scenario's graph as a Mermaid flowchart (for Markdown that renders Mermaid)."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for scene in scenario.scenes:
        base = "s_" + _MERMAID_UNSAFE.sub("_", scene.id)
        candidate, number = base, 2
        while candidate in taken:
            candidate, number = f"{base}_{number}", number + 1
        taken.add(candidate)
        ids[scene.id] = candidate
    lines = ["flowchart TD"]
    endings = []
    for scene in scenario.scenes:
        label = _mermaid_text(_scene_label(scenario, scene))
        if scene.ending is not None:
            lines.append(f'  {ids[scene.id]}(["{label}"])')
            endings.append(ids[scene.id])
        else:
            lines.append(f'  {ids[scene.id]}["{label}"]')
    for scene in scenario.scenes:
        for choice in scene.choices:
            target = ids.get(choice.goto)
            if target is None:  # a broken target: show it, marked, rather than drop it
                target = "missing_" + _MERMAID_UNSAFE.sub("_", choice.goto)
                lines.append(f'  {target}["missing scene: {_mermaid_text(choice.goto)}"]')
            label = _mermaid_text(("[if] " if choice.condition else "") + _short(choice.text, 40))
            lines.append(f'  {ids[scene.id]} -->|"{label}"| {target}')
    lines.append("  classDef ending fill:#dbeafe,stroke:#1d4ed8,stroke-width:2px;")
    if endings:
        lines.append(f"  class {','.join(endings)} ending;")
    if scenario.start in ids:
        lines.append("  classDef start stroke-width:3px;")
        lines.append(f"  class {ids[scenario.start]} start;")
    return "\n".join(lines) + "\n"
