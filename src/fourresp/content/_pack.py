"""Content packs: the default one shipped in the package, and packs on disk."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from fourresp._bundled import Bundled
from fourresp._document._limits import Limits
from fourresp._load import validate
from fourresp.content._models import Framework
from fourresp.errors import DocumentError, Problem

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["check_translation", "default_pack_path", "load_framework", "validate_pack"]

_PACK_FILES = ("framework.yaml", "framework.yml", "framework.json")


_FRAMEWORK: Bundled[Framework] = Bundled("fourresp.content", "framework.yaml", "framework")


def default_pack_path() -> Path:
    """Where the default content pack's framework document is inside the installed package."""
    return _FRAMEWORK.path


def _pack_file(path: str | os.PathLike[str]) -> Path:
    from pathlib import Path

    candidate = Path(path)
    if candidate.is_dir():
        for name in _PACK_FILES:
            if (candidate / name).is_file():
                return candidate / name
        problem = Problem(
            code="unreadable",
            message=f"a content pack folder holds one of {', '.join(_PACK_FILES)}; none found",
            source=str(candidate),
        )
        raise DocumentError([problem])
    return candidate


def load_framework(
    path: str | os.PathLike[str] | None = None, *, limits: Limits | None = None
) -> Framework:
    """Load a content pack's framework; with no ``path``, the default pack (cached).

    ``path`` is a framework document (YAML or JSON) or a folder holding
    ``framework.yaml``. Custom packs are read afresh on every call, so several packs
    (a translation, an organisation's own) can be loaded side by side.

    Raises :class:`~fourresp.errors.DocumentError` listing every problem, each with
    its JSON path and ``file:line:column``.
    """
    return _FRAMEWORK.load(None if path is None else _pack_file(path), limits)


def validate_pack(
    path: str | os.PathLike[str], *, limits: Limits | None = None
) -> tuple[Problem, ...]:
    """Every problem in a content pack, without raising; empty when the pack is usable."""
    try:
        source = _pack_file(path)
    except DocumentError as exc:
        return exc.problems
    return validate(source, kind="framework", limits=limits)


def check_translation(base: Framework, translation: Framework) -> tuple[Problem, ...]:
    """Compare a translated (or adapted) pack with its base: same ids, same order, same id.

    A translation changes text, never ids: questionnaires and scenarios written for
    the base refer to its aspect ids. Problems carry JSON paths into ``translation``.
    """
    problems: list[Problem] = []

    def report(path: tuple[str | int, ...], message: str) -> None:
        problems.append(Problem(code="translation-mismatch", message=message, parts=path))

    if translation.id != base.id:
        report(("id",), f"framework id is {translation.id!r}; the base pack's is {base.id!r}")
    base_ids = [item.id for item in base.responsibilities]
    other_ids = [item.id for item in translation.responsibilities]
    if base_ids != other_ids:
        report(
            ("responsibilities",),
            f"responsibilities are {other_ids}; the base pack has {base_ids} in that order",
        )
    by_id = {item.id: item for item in base.responsibilities}
    for index, item in enumerate(translation.responsibilities):
        original = by_id.get(item.id)
        if original is None:
            continue
        theirs = [aspect.id for aspect in item.aspects]
        ours = [aspect.id for aspect in original.aspects]
        if theirs != ours:
            missing = [aid for aid in ours if aid not in theirs]
            extra = [aid for aid in theirs if aid not in ours]
            detail = "; ".join(
                part
                for part in (
                    f"missing {missing}" if missing else "",
                    f"not in the base pack {extra}" if extra else "",
                    "order differs" if not missing and not extra else "",
                )
                if part
            )
            report(("responsibilities", index, "aspects"), f"aspects of {item.id!r}: {detail}")
    return tuple(problems)
