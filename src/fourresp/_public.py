"""Exported names carry the public module they are documented under.

Each public package's ``__init__`` ends with ``publish(__name__, globals())``, so
``repr(fourresp.assessment.Result)``, tracebacks, ``help()`` and pickles name
``fourresp.assessment``, not the private module the code lives in. An attrs class
has its annotations resolved first, in the module that wrote them, so that cattrs
and ``typing.get_type_hints`` never look for them in the public module (a class
whose annotations name types imported only for type checkers, which nothing
structures at run time, is left as it is).
"""

from __future__ import annotations

import contextlib
import types
from collections.abc import MutableMapping
from typing import Any

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
            # annotations that only a type checker sees stay unresolved: nothing reads them
            with contextlib.suppress(NameError):
                attrs.resolve_types(value)
        value.__module__ = module
