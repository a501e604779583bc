"""The one cattrs converter: owns structuring and unstructuring of every model.

cattrs' default hooks coerce (``"3"`` becomes ``3``, ``"no"`` becomes ``True``); ours
refuse instead, so a document either means what it says or is an error. Schemas
catch almost everything first; these hooks are the second line for the cases a
schema cannot see and for objects built by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

__all__ = ["converter", "structure", "structure_problems", "unstructure"]

T = TypeVar("T")

converter = cattrs.Converter(
    forbid_extra_keys=True,
    # Optional fields left at their default (None) are left out of documents.
    omit_if_default=True,
    unstruct_collection_overrides={tuple: list},
)


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


converter.register_structure_hook_func(lambda t: t == (int | float), _strict_number)
converter.register_structure_hook_func(lambda t: t == (int | bool), _strict_int_or_bool)
converter.register_structure_hook_func(lambda t: t == (int | bool | None), _strict_int_bool_or_none)
converter.register_structure_hook(str, _strict_str)
converter.register_structure_hook(int, _strict_int)
converter.register_structure_hook(float, _strict_float)
converter.register_structure_hook(bool, _strict_bool)


def structure(data: Any, cls: type[T]) -> T:
    """Structure ``data`` into ``cls`` with the library's converter."""
    return converter.structure(data, cls)


def unstructure(obj: Any) -> Any:
    """Unstructure ``obj`` into plain JSON-compatible values (tuples become lists)."""
    return converter.unstructure(obj)


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
