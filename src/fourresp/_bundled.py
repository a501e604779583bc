"""Documents shipped in the package: the default framework, questionnaire and scenario."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Generic, TypeVar

from fourresp._document._limits import Limits
from fourresp._load import load

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["Bundled"]

_T = TypeVar("_T")


class Bundled(Generic[_T]):
    """The document ``name`` in ``package``'s ``data`` folder, of ``kind``."""

    def __init__(self, package: str, name: str, kind: str) -> None:
        self.package = package
        self.name = name
        self.kind = kind
        self._loaded: _T | None = None

    @property
    def path(self) -> Path:
        """Where the document is inside the installed package."""
        from importlib import resources  # (with pathlib) imported when first asked for
        from pathlib import Path

        return Path(str(resources.files(self.package).joinpath("data", self.name)))

    def load(self, path: str | os.PathLike[str] | None, limits: Limits | None) -> _T:
        """The document at ``path`` (a file), or the bundled one; with neither ``path``
        nor ``limits``, the bundled one is loaded once and kept."""
        if path is None and limits is None:
            if self._loaded is None:
                self._loaded = load(self.path, kind=self.kind)
            return self._loaded
        from pathlib import Path

        source = self.path if path is None else Path(path)  # a str is a path here, not text
        document: _T = load(source, kind=self.kind, limits=limits)
        return document
