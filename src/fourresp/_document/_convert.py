"""The converter factory: every model is structured and unstructured by a converter it builds.

cattrs' default hooks coerce (``"3"`` becomes ``3``, ``"no"`` becomes ``True``); ours
refuse instead, so a document either means what it says or is an error. Schemas
catch almost everything first; these hooks are the second line for the cases a
schema cannot see and for objects built by hand.

:func:`make_converter` builds a fresh converter with those strict hooks and then
applies each *hook set* it is given: a plain function taking the converter, such
as ``fourresp.assessment._models.assessment_hooks``. Nothing is registered when a
module is imported. :func:`shared_converter` is the library's own converter for a
given combination of hook sets, built the first time it is asked for and the same
object after: the loader asks for the hook sets of the kind it loads (so loading a
framework never imports the scenario engine), and code that turns a domain's
objects into plain values asks for that domain's.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

__all__ = ["HookSet", "make_converter", "shared_converter", "structure_problems"]

#: A set of hooks for one domain's models: registers them on the converter it is given.
HookSet = Callable[[cattrs.Converter], None]


def make_converter(*hook_sets: HookSet) -> cattrs.Converter:
    """A new converter with the strict scalar hooks, then each of ``hook_sets`` applied in order.

    Every call builds an independent converter: a hook registered on one never
    reaches another.
    """
    converter = cattrs.Converter(
        forbid_extra_keys=True,
        # Optional fields left at their default (None) are left out of documents.
        omit_if_default=True,
        unstruct_collection_overrides={tuple: list},
    )
    _strict_scalar_hooks(converter)
    for hooks in hook_sets:
        hooks(converter)
    return converter


@functools.cache
def shared_converter(*hook_sets: HookSet) -> cattrs.Converter:
    """The library's converter with ``hook_sets``, built by :func:`make_converter` on first use.

    Callers must not register hooks on it; build their own with :func:`make_converter`.
    """
    return make_converter(*hook_sets)


def _strict_str(value: Any, _: type) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, found {type(value).__name__}")
    return value


def _strict_int(value: Any, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an integer, found {type(value).__name__}")
    return value


def _strict_float(value: Any, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, found {type(value).__name__}")
    return float(value)


def _strict_bool(value: Any, _: type) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, found {type(value).__name__}")
    return value


def _strict_number(value: Any, _: type) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, found {type(value).__name__}")
    return value


def _strict_int_or_bool(value: Any, _: type) -> int | bool:
    if not isinstance(value, int):  # bool is an int
        raise TypeError(f"expected a whole number or true/false, found {type(value).__name__}")
    return value


def _strict_int_bool_or_none(value: Any, _: type) -> int | bool | None:
    return None if value is None else _strict_int_or_bool(value, int)


def _strict_scalar_hooks(converter: cattrs.Converter) -> None:
    converter.register_structure_hook_func(lambda t: t == (int | float), _strict_number)
    converter.register_structure_hook_func(lambda t: t == (int | bool), _strict_int_or_bool)
    converter.register_structure_hook_func(
        lambda t: t == (int | bool | None), _strict_int_bool_or_none
    )
    converter.register_structure_hook(str, _strict_str)
    converter.register_structure_hook(int, _strict_int)
    converter.register_structure_hook(float, _strict_float)
    converter.register_structure_hook(bool, _strict_bool)


def structure_problems(exc: BaseException) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Flatten a cattrs error tree into ``(path parts, message)`` pairs, using document keys."""
    yield from _walk(exc, ())


def _walk(
    exc: BaseException, path: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(exc, ClassValidationError | IterableValidationError):
        for child in exc.exceptions:
            # A missing key belongs to its object, not to a path that does not exist.
            part = () if isinstance(child, KeyError) else _note_part(child)
            yield from _walk(child, path + part)
        return
    if isinstance(exc, ForbiddenExtraKeysError):
        names = ", ".join(f"'{key}'" for key in sorted(exc.extra_fields))
        yield path, f"unknown key {names}"
        return
    if isinstance(exc, KeyError):
        yield path, f"missing required '{exc.args[0]}'"
        return
    yield path, str(exc) or type(exc).__name__


def _note_part(exc: BaseException) -> tuple[str | int, ...]:
    for note in getattr(exc, "__notes__", ()):
        name = getattr(note, "name", None)
        if name is not None:
            return (name,)
        index = getattr(note, "index", None)
        if index is not None:
            return (index,)
    return ()
