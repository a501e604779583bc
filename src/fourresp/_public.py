"""Exported names carry the public module they are documented under.

Each public package's ``__init__`` ends with ``publish(__name__, globals())``, so
``repr(fourresp.assessment.Result)``, tracebacks, ``help()`` and pickles name
``fourresp.assessment``, not the private module the code lives in. An attrs
class's annotations (text, as every module here writes them) become forward
references that name the module that wrote them, so that cattrs and
``typing.get_type_hints`` resolve them there, never in the public module. They
are resolved when first needed (cattrs structuring a document of that kind), not
at import: resolving every exported class's annotations (``attrs.resolve_types``)
was a tenth of the time importing :mod:`fourresp.scenario` took.
"""

from __future__ import annotations

import types
from collections.abc import MutableMapping
from typing import Any, ForwardRef

import attrs

__all__ = ["publish"]


def publish(module: str, namespace: MutableMapping[str, Any]) -> None:
    """Give every class and function in ``namespace["__all__"]`` the ``__module__`` ``module``.

    Names defined in another public module (re-exported) keep theirs.
    """
    for name in namespace["__all__"]:
        value = namespace[name]
        if not isinstance(value, type | types.FunctionType):
            continue
        home = value.__module__
        if not home.startswith(module + "."):
            continue  # defined in another package: that package publishes it
        if not any(part.startswith("_") for part in home.split(".")):
            continue  # already defined in a public module
        if isinstance(value, type) and attrs.has(value):
            _annotations_from(value, home)
        value.__module__ = module


def _annotations_from(cls: type, home: str) -> None:
    """Make ``cls``'s text annotations forward references resolved in module ``home``."""
    # The class's own mapping, changed in place (inspect.get_annotations returns a copy).
    annotations = vars(cls).get("__annotations__")
    if not isinstance(annotations, dict):
        return
    for name, annotation in annotations.items():
        if isinstance(annotation, str):
            annotations[name] = ForwardRef(
                annotation, is_argument=False, module=home, is_class=True
            )
