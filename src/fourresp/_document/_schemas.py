"""The library's own JSON Schemas: a local registry, validators built once, located errors.

Schemas ship inside the package (``fourresp/schemas/*.schema.json``) and are found
through :mod:`importlib.resources`, so an installed wheel needs no source checkout.
The :class:`referencing.Registry` holds only them: a ``$ref`` to anything else is a
:class:`~fourresp.errors.SchemaNotFoundError`, never a network fetch.

jsonschema is imported only when a document is first validated, and the schema
files are read (through :mod:`importlib.resources`) and their references followed
(with :mod:`urllib.parse`) only when a schema is first asked for, so importing
fourresp stays cheap.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from fourresp.errors import SchemaNotFoundError

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator
    from referencing import Registry

    from fourresp._document._quickcheck import Check, SchemaChecks

__all__ = ["schema", "schema_ids", "schema_names", "schema_problems", "validator_for"]

_SUFFIX = ".schema.json"


@functools.cache
def _raw_schemas() -> dict[str, dict[str, Any]]:
    import json
    from importlib import resources

    found: dict[str, dict[str, Any]] = {}
    for entry in resources.files("fourresp").joinpath("schemas").iterdir():
        if entry.name.endswith(_SUFFIX):
            found[entry.name[: -len(_SUFFIX)]] = json.loads(entry.read_text(encoding="utf-8"))
    return dict(sorted(found.items()))


def schema_names() -> tuple[str, ...]:
    """The names of every schema the library ships, sorted (``("common", "framework", ...)``)."""
    return tuple(_raw_schemas())


def schema_ids() -> dict[str, str]:
    """Each schema's name mapped to its ``$id``."""
    return {name: body["$id"] for name, body in _raw_schemas().items()}


def schema(name: str, *, bundle: bool = False) -> dict[str, Any]:
    """A copy of the JSON Schema called ``name`` (see :func:`schema_names`).

    The schemas refer to each other (most to ``common``). With ``bundle``, the result
    stands alone: every definition it uses from another schema is copied into its
    ``$defs`` (named ``<schema>-<definition>``) and every ``$ref`` points inside it,
    so an editor or any JSON Schema validator resolves it offline, with no registry
    (``fourresp schema NAME`` prints this form).

    Raises :class:`~fourresp.errors.SchemaNotFoundError` for a name the library
    does not ship.
    """
    try:
        body = copy.deepcopy(_raw_schemas()[name])
    except KeyError:
        known = ", ".join(schema_names())
        raise SchemaNotFoundError(f"no schema called {name!r}; known schemas: {known}") from None
    return _bundled(body) if bundle else body


def _bundled(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` with the definitions it uses from other schemas copied into its ``$defs``."""
    from urllib.parse import urldefrag, urljoin

    root = body["$id"]
    names = {schema_id: name for name, schema_id in schema_ids().items()}
    defs: dict[str, Any] = body.setdefault("$defs", {})
    copied: dict[str, str] = {}  # absolute URI -> local $defs key

    def local(uri: str) -> str:
        if uri not in copied:
            target_base, fragment = urldefrag(uri)
            parts = [piece for piece in fragment.split("/") if piece and piece != "$defs"]
            key = "-".join([names[target_base], *parts])
            while key in defs:
                key += "-"
            copied[uri] = key
            defs[key] = {}  # claimed before filling, so a cycle ends here
            defs[key] = rewrite(copy.deepcopy(_resolve(uri)[1]), target_base)
        return "#/$defs/" + copied[uri]

    def rewrite(node: Any, base: str) -> Any:
        if isinstance(node, list):
            return [rewrite(item, base) for item in node]
        if not isinstance(node, dict):
            return node
        result = {key: rewrite(value, base) for key, value in node.items() if key != "$ref"}
        reference = node.get("$ref")
        if isinstance(reference, str):
            uri = urljoin(base, reference)
            target_base, fragment = urldefrag(uri)
            result["$ref"] = "#" + fragment if target_base == root else local(uri)
        return result

    originals = list(defs)
    bundled: dict[str, Any] = rewrite({k: v for k, v in body.items() if k != "$defs"}, root)
    own_defs = {key: rewrite(defs[key], root) for key in originals}
    bundled["$defs"] = {**own_defs, **{key: defs[key] for key in copied.values()}}
    return bundled


@functools.cache
def _registry() -> Registry[Any]:
    from referencing import Registry, Resource
    from referencing.exceptions import NoSuchResource

    def refuse(uri: str) -> Resource[Any]:
        # Only our own schemas are ever resolved; nothing is fetched.
        raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # attrs-made __init__

    pairs = [(body["$id"], Resource.from_contents(body)) for body in _raw_schemas().values()]
    registry: Registry[Any] = Registry(retrieve=refuse)  # type: ignore[call-arg]
    return registry.with_resources(pairs).crawl()


def _resolve(uri: str) -> tuple[str, Any]:
    from urllib.parse import unquote, urldefrag

    base, fragment = urldefrag(uri)
    by_id = {body["$id"]: body for body in _raw_schemas().values()}
    node: Any = by_id.get(base)
    if node is None:
        raise SchemaNotFoundError(
            f"{uri!r} is not one of the library's schemas (references are never fetched "
            "from a network)"
        )
    for part in (unquote(piece) for piece in fragment.split("/") if piece):
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise SchemaNotFoundError(f"{uri!r} points at nothing in {base!r}")
    return base, node


def _inline(node: Any, base: str, expanding: tuple[str, ...]) -> Any:
    """``node`` with every ``$ref`` replaced by what it points at, recursion excepted.

    Following references is most of jsonschema's work on a large document; doing it
    once here makes validation several times faster. The published schemas keep
    their references. A recursive reference is left in place, made absolute, for
    the registry to resolve.
    """
    from urllib.parse import urljoin

    if isinstance(node, list):
        return [_inline(item, base, expanding) for item in node]
    if not isinstance(node, dict):
        return node
    rest = {
        key: _inline(value, base, expanding)
        for key, value in node.items()
        if key not in ("$ref", "$defs", "$id", "$schema")
    }
    reference = node.get("$ref")
    if not isinstance(reference, str):
        return rest
    uri = urljoin(base, reference)
    if uri in expanding:
        return {"$ref": uri, **rest}
    target_base, target = _resolve(uri)
    return {**_inline(target, target_base, (*expanding, uri)), **rest}


@functools.cache
def _flat(name: str) -> dict[str, Any]:
    """Schema ``name`` with its references inlined: what its validator and quick check use."""
    body = _raw_schemas().get(name)
    if body is None:
        schema(name)  # raises SchemaNotFoundError with the known names
        raise AssertionError("unreachable")
    flat = {"$schema": body["$schema"], "$id": body["$id"], **_inline(body, body["$id"], ())}
    if "$defs" in body:  # a recursive reference left in place resolves against these
        flat["$defs"] = body["$defs"]
    return flat


@functools.cache
def _checks() -> SchemaChecks:
    # imported with the first document checked, not with fourresp (13 ms at import)
    from fourresp._document._quickcheck import SchemaChecks

    return SchemaChecks(_resolve)


@functools.cache
def _quick_check(name: str) -> Check:
    flat = _flat(name)
    return _checks().compile(flat, flat["$id"])


@functools.cache
def _skipping_class() -> type[Validator]:
    """Draft 2020-12, descending only into values the quick checks do not accept.

    A value a quick check accepts is valid, so jsonschema would find no error in
    it: skipping it changes no error, and leaves jsonschema only the parts of an
    invalid document that hold errors (the schema stage of a 10.7 MB scenario with
    one bad scene takes 1.7 s against 17.5 s, in turns on a loaded machine:
    ``benchmarks/hostile.py --schema``).
    """
    from jsonschema import Draft202012Validator
    from jsonschema.validators import extend

    skipping: type[Validator] = extend(Draft202012Validator)  # type: ignore[no-untyped-call]
    descend_all = skipping.descend  # type: ignore[attr-defined]
    accepts = _checks().accepts

    def descend(
        self: Validator,
        instance: Any,
        schema: Any,
        path: str | int | None = None,
        schema_path: str | int | None = None,
        resolver: Any = None,
    ) -> Iterator[ValidationError]:
        if accepts(schema, instance):
            return iter(())
        errors: Iterator[ValidationError] = descend_all(
            self, instance, schema, path, schema_path, resolver
        )
        return errors

    skipping.descend = descend  # type: ignore[attr-defined]
    return skipping


@functools.cache
def validator_for(name: str) -> Validator:
    """The draft 2020-12 validator for schema ``name``, built once and reused.

    It skips every part of a document that the schema's quick check
    (:mod:`fourresp._document._quickcheck`) accepts, so its errors are
    jsonschema's own, found faster.
    """
    from jsonschema import Draft202012Validator

    flat = _flat(name)
    _quick_check(name)  # compiles the checks the validator skips by
    validator: Validator = _skipping_class()(
        flat,
        registry=_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    return validator


def schema_problems(name: str, instance: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Yield ``(path parts, message)`` for every way ``instance`` breaks schema ``name``.

    Raises :class:`~fourresp.errors.SchemaNotFoundError` when a ``$ref`` points
    outside the library's schemas.
    """
    from referencing.exceptions import Unresolvable

    try:
        valid = _quick_check(name)(instance)
    except RecursionError:  # nested past what the stack holds: jsonschema decides
        valid = False
    if valid:
        return  # nothing to explain, and jsonschema is not even imported
    validator = validator_for(name)
    # Lazily, in the validator's order: a document with a million wrong values must
    # not hold a million errors at once (the caller keeps what it reports).
    errors = validator.iter_errors(instance)
    last_path: tuple[str | int, ...] | None = None
    said: set[str] = set()
    while True:
        try:
            error = next(errors, None)
        except Unresolvable as exc:
            raise SchemaNotFoundError(
                f"schema {name!r} refers to {exc.ref!r}, which is not one of the library's "
                "schemas (references are never fetched from a network)"
            ) from None
        if error is None:
            return
        path = tuple(error.absolute_path)
        if path != last_path:
            last_path, said = path, set()
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            # One problem per unknown key, placed on the key itself.
            allowed = sorted((_schema_of(error).get("properties") or {}).keys())
            for key in error.instance:
                if key not in allowed:
                    yield (
                        (*path, key),
                        f"unknown key '{key}'; allowed keys: {', '.join(allowed)}",
                    )
            continue
        message = describe(error)
        if message not in said:  # e.g. one 'required' error per missing key: say it once
            said.add(message)
            yield path, message


def _shown(value: Any, limit: int = 60) -> str:
    import json

    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    type(None): "null",
}


def _json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def describe(error: ValidationError) -> str:
    """A message for people: what was expected, what was found, no huge reprs."""
    keyword = error.validator
    expected: Any = error.validator_value
    found = error.instance
    if keyword == "type":
        wanted = " or ".join([expected] if isinstance(expected, str) else expected)
        hint = ""
        if "string" in wanted and isinstance(found, bool | int | float | type(None)):
            hint = f"; YAML read {_shown(found)} as {_json_type(found)}, so quote it"
        return f"expected {wanted}, found {_json_type(found)}{hint}"
    if keyword == "required":
        missing = [name for name in expected if isinstance(found, dict) and name not in found]
        return "missing required " + ", ".join(f"'{name}'" for name in missing)
    if keyword == "additionalProperties" or keyword == "unevaluatedProperties":
        allowed = sorted((_schema_of(error).get("properties") or {}).keys())
        extra = sorted(set(found) - set(allowed)) if isinstance(found, dict) else []
        names = ", ".join(f"'{name}'" for name in extra)
        return f"unknown key {names}; allowed keys: {', '.join(allowed)}"
    if keyword == "const":
        return f"expected {_shown(expected)}, found {_shown(found)}"
    if keyword == "enum":
        options = ", ".join(_shown(option) for option in expected)
        return f"expected one of {options}, found {_shown(found)}"
    if keyword == "pattern":
        rule = _schema_of(error).get("x-pattern-hint") or f"match the pattern {expected}"
        return f"{_shown(found)} must {rule}"
    if keyword == "minLength" and expected == 1:
        return "must not be empty"
    if keyword in ("minItems", "maxItems", "minLength", "maxLength"):
        size = len(found) if isinstance(found, list | str) else found
        unit = "items" if keyword.endswith("Items") else "characters"
        bound = "at least" if keyword.startswith("min") else "at most"
        return f"must have {bound} {expected} {unit}, has {size}"
    if keyword == "minProperties":
        return f"must have at least {expected} entr{'y' if expected == 1 else 'ies'}"
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return f"{_shown(found)} is out of range ({keyword} {expected})"
    if keyword == "format":
        return f"{_shown(found)} is not a valid {expected}"
    if keyword in ("oneOf", "anyOf") and _schema_of(error).get("x-hint"):
        return f"{_shown(found)} must {_schema_of(error)['x-hint']}"
    if keyword == "maxProperties" and _schema_of(error).get("maxProperties") is not None:
        keys = ", ".join(f"'{key}'" for key in found) if isinstance(found, dict) else ""
        return f"too many keys ({keys}): these do not go together"
    if keyword in ("oneOf", "anyOf") and error.context:
        from jsonschema.exceptions import best_match

        return describe(best_match(error.context))
    message = str(error.message)
    return message if len(message) <= 200 else message[:199] + "…"


def _schema_of(error: ValidationError) -> Mapping[str, Any]:
    return error.schema if isinstance(error.schema, Mapping) else {}
