"""Exported names carry the public module they are documented under, and load on first use.

Each public package's ``__init__`` hands :func:`lazy` the private module that
defines each exported name; the package's module-level ``__getattr__`` imports
that module when one of its names is first used (the way the Scientific Python
ecosystem's SPEC 1 describes lazy loading), so importing a package runs none of
its modules until a name is used. However such a module comes to be imported (a
name's first use, or another module importing it directly, as the loader does),
a finder first in ``sys.meta_path`` wraps its loader so that, once the module has
run, its names are published and kept in the package's globals: a class is the
same, and shows the same module, whichever way it was reached first. Type
checkers see the real names: each package imports them under ``TYPE_CHECKING``.

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
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from typing import TYPE_CHECKING, Any, ForwardRef, cast

import attrs

if TYPE_CHECKING:
    from importlib.abc import Loader  # importlib.abc imports importlib.resources
    from importlib.machinery import ModuleSpec

__all__ = ["lazy", "publish"]


def publish(module: str, namespace: MutableMapping[str, Any]) -> None:
    """Give every class and function in ``namespace["__all__"]`` the ``__module__`` ``module``.

    Names defined in another public module (re-exported) keep theirs.
    """
    for name in namespace["__all__"]:
        _publish(module, namespace[name])


def lazy(
    package: str, modules: Mapping[str, Iterable[str]]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of public package ``package``, loading names on use.

    ``modules`` maps each private module of the package (its name in the package,
    such as ``"_models"``) to the names it exports. However one of those modules
    comes to be imported (the first use of one of its names here, or another
    module importing it directly, as the loader does), its names that are in the
    package's ``__all__`` are published and all of them kept in the package's
    globals, so later uses never reach ``__getattr__``. Any other name raises
    :class:`AttributeError` naming the package, as a module does; ``dir()`` lists
    ``__all__``.
    """
    namespace = vars(sys.modules[package])
    home = {name: module for module, names in modules.items() for name in names}
    for module, names in modules.items():
        _WATCHED[f"{package}.{module}"] = (package, tuple(names))
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)

    def __getattr__(name: str) -> object:
        module = home.get(name)
        if module is None:
            raise AttributeError(
                f"module {package!r} has no attribute {name!r}",
                name=name,
                obj=sys.modules[package],
            )
        source = importlib.import_module(f"{package}.{module}")
        if name not in namespace:  # imported before the package was (not the usual way)
            _keep(package, source)
        return namespace[name]

    def __dir__() -> list[str]:
        return list(namespace["__all__"])

    return __getattr__, __dir__


#: each lazily loaded private module's name: (its public package, the names it exports)
_WATCHED: dict[str, tuple[str, tuple[str, ...]]] = {}


def _keep(package: str, source: types.ModuleType) -> None:
    """Publish ``source``'s exported names and keep them in its public ``package``."""
    namespace = vars(sys.modules[package])
    exported = namespace.get("__all__", ())
    for name in _WATCHED[source.__name__][1]:
        value = getattr(source, name)
        if name in exported:
            _publish(package, value)
        namespace[name] = value


class _Publisher:
    """Wraps the loader of each watched module, so its names are kept once it has run."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> ModuleSpec | None:
        """The spec the next finder gives for a watched module, its loader wrapped."""
        if fullname not in _WATCHED:
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec: ModuleSpec | None = find(fullname, path, target)
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = cast("Loader", _PublishingLoader(spec.loader))
                return spec
        return None


class _PublishingLoader:
    """A module's own loader, keeping the module's names in its package after it runs."""

    def __init__(self, loader: Loader) -> None:
        self.loader = loader

    def create_module(self, spec: ModuleSpec) -> types.ModuleType | None:
        """What the wrapped loader creates."""
        return self.loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        """Run the module, then publish and keep its exported names."""
        self.loader.exec_module(module)
        _keep(_WATCHED[module.__name__][0], module)

    def __getattr__(self, name: str) -> object:
        return getattr(self.loader, name)  # get_source, get_filename... as the loader gives


_FINDER = _Publisher()


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
