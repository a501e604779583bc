"""Exported names carry the public module they are documented under, and load on first use.

Each public package's ``__init__`` hands :func:`lazy` the private module that
defines each exported name; the package's module-level ``__getattr__`` imports
that module when one of its names is first used (the way the Scientific Python
ecosystem's SPEC 1 describes lazy loading), so importing a package runs none of
its modules until a name is used. Each first use also publishes (and keeps in
the package's globals) the names of every one of the package's modules imported
by then, however they came to be imported; the loader does the same for a
kind's package when it first loads a document of that kind (:func:`kept`). So a
class shows its public module before any object of it reaches an app, and
nothing outside the package's own objects changes: no import hook, no global
finder. Type checkers see the real names: each package imports them under
``TYPE_CHECKING``.

Publishing gives a class or function the public package as its ``__module__``,
so ``repr(fourresp.assessment.Result)``, tracebacks, ``help()`` and pickles name
``fourresp.assessment``, not the private module the code lives in. An attrs
class's annotations (text, as every module here writes them) become forward
references that name the module that wrote them, so that cattrs and
``typing.get_type_hints`` resolve them there, never in the public module. They
are resolved when first needed (cattrs structuring a document of that kind), not
at import: resolving every exported class's annotations (``attrs.resolve_types``)
was a tenth of the time importing :mod:`fourresp.scenario` took.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from typing import Any, ForwardRef

import attrs

__all__ = ["kept", "lazy", "publish"]


def publish(module: str, namespace: MutableMapping[str, Any]) -> None:
    """Give every class and function in ``namespace["__all__"]`` the ``__module__`` ``module``.

    Names defined in another public module (re-exported) keep theirs; names not
    loaded yet (see :func:`lazy`) are published when first used.
    """
    for name in namespace["__all__"]:
        if name in namespace:
            _publish(module, namespace[name])


def lazy(
    package: str, modules: Mapping[str, Iterable[str]]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of public package ``package``, loading names on use.

    ``modules`` maps each private module of the package (its name in the package,
    such as ``"_models"``) to the names it exports. The first use of one of those
    names imports its module; then every module of the package imported so far
    (this one, and those it or anything else imported) has its names published
    and kept in the package's globals, so later uses never reach ``__getattr__``.
    Any other name raises :class:`AttributeError` naming the package, as a module
    does; ``dir()`` lists ``__all__``.
    """
    namespace = vars(sys.modules[package])
    home = {name: module for module, names in modules.items() for name in names}
    _TABLES[package] = {f"{package}.{module}": tuple(names) for module, names in modules.items()}

    def __getattr__(name: str) -> object:
        module = home.get(name)
        if module is None:
            raise AttributeError(
                f"module {package!r} has no attribute {name!r}",
                name=name,
                obj=sys.modules[package],
            )
        source = importlib.import_module(f"{package}.{module}")
        kept(package)
        found = namespace.get(name, _MISSING)
        if found is _MISSING:  # kept before, then deleted (as unittest.mock.patch does)
            found = namespace[name] = getattr(source, name)
        return found

    def __dir__() -> list[str]:
        return list(namespace["__all__"])

    return __getattr__, __dir__


_MISSING = object()
#: each lazily loading package: its private modules' names -> the names each exports
_TABLES: dict[str, dict[str, tuple[str, ...]]] = {}
#: the private modules whose names have been published and kept
_KEPT: set[str] = set()


def kept(package: str) -> None:
    """Publish and keep the names of every module of ``package`` imported so far.

    Called on each first use of a name, and by the loader once a kind's module is
    imported, so that an object never reaches an app before its class shows its
    public module. A package that does not load lazily is left as it is.
    """
    table = _TABLES.get(package)
    if table is None:
        return
    namespace = vars(sys.modules[package])
    exported = namespace.get("__all__", ())
    for module_name, names in table.items():
        source = sys.modules.get(module_name)
        if source is None or module_name in _KEPT:
            continue  # not imported yet, or kept already
        _KEPT.add(module_name)
        for name in names:
            value = getattr(source, name)
            if name in exported:
                _publish(package, value)
            namespace[name] = value


def _publish(module: str, value: object) -> None:
    """Give ``value``, a class or function defined under ``module``, that ``__module__``."""
    if not isinstance(value, type | types.FunctionType):
        return
    home = value.__module__
    if not home.startswith(module + "."):
        return  # defined in another package: that package publishes it
    if not any(part.startswith("_") for part in home.split(".")):
        return  # already defined in a public module
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
