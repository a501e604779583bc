"""A quick yes-or-no check of a value against a JSON Schema, for the loader's schema stage.

jsonschema's ``iter_errors`` builds a validator object for every value it visits
and collects every error with its context; on a large document that is most of
the time a load takes (about 70% of validating a 7 MB scenario of 20,000 scenes).
Most documents are valid, and most of an invalid one is too. So each of the
library's schemas is compiled, once, into plain closures that answer only "valid
or not", and :func:`fourresp._document._schemas.schema_problems` asks them first:

- a value they accept never reaches jsonschema (a valid document costs one quick
  walk instead of a full validation: the schema stage of 1 to 7 MB scenarios is
  18x to 32x faster, ``benchmarks/hostile.py --schema``);
- in a value they refuse, jsonschema explains, but skips every part of it that
  they accept, so it visits only the parts with errors, and reports exactly the
  errors it would have reported (a skipped part has none).

The closures follow draft 2020-12 as jsonschema implements it (its type checker,
its ``equal`` for ``enum`` and ``const``, ``re.search`` for ``pattern``) for the
keywords the library's schemas use. A keyword they do not implement makes the
schema that holds it "not sure": its check says no, so jsonschema decides. That
keeps the check *sound* (it never accepts what jsonschema refuses); it is also
*exact* wherever every keyword is implemented, which ``not``, ``oneOf`` and the
condition of ``if`` need, since they turn a no into a yes. A property test
compares it with jsonschema on generated documents.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Mapping
from typing import Any

from fourresp.errors import SchemaNotFoundError

__all__ = ["Check", "SchemaChecks"]

#: a compiled schema: True when the value is certainly valid
Check = Callable[[Any], bool]
#: the compiled check and whether it is exact (False: it may refuse a valid value)
_Compiled = tuple[Check, bool]
#: a reference resolver: absolute URI -> (the target's base URI, the target schema)
Resolve = Callable[[str], tuple[str, Any]]

# Keywords the validator acts on and this module does not implement: a schema
# holding one is "not sure". Every other key that is not implemented below is an
# annotation (title, description, x-hint, $comment...), ignored by both.
_NOT_IMPLEMENTED = frozenset(
    (
        "$dynamicRef",
        "contains",
        "dependentRequired",
        "dependentSchemas",
        "multipleOf",
        "prefixItems",
        "unevaluatedItems",
        "unevaluatedProperties",
        "uniqueItems",
    )
)
_OBJECT_KEYWORDS = frozenset(
    (
        "properties",
        "patternProperties",
        "additionalProperties",
        "required",
        "propertyNames",
        "minProperties",
        "maxProperties",
    )
)
_STRING_KEYWORDS = frozenset(("minLength", "maxLength", "pattern", "format"))
_ARRAY_KEYWORDS = frozenset(("items", "minItems", "maxItems"))
_NUMBER_KEYWORDS = frozenset(("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"))


def _never(_value: Any) -> bool:
    return False


def _always(_value: Any) -> bool:
    return True


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


# jsonschema's draft 2020-12 type checker, for plain values.
_TYPES: dict[str, Check] = {
    "array": lambda value: isinstance(value, list),
    "boolean": lambda value: isinstance(value, bool),
    "integer": lambda value: (
        (isinstance(value, int) and not isinstance(value, bool))
        or (isinstance(value, float) and value.is_integer())
    ),
    "null": lambda value: value is None,
    "number": _is_number,
    "object": lambda value: isinstance(value, dict),
    "string": lambda value: isinstance(value, str),
}


def _equal(one: Any, two: Any) -> bool:
    """jsonschema's ``equal``: ``True`` is not ``1``, ``1`` is ``1.0``, lists and objects deeply."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(map(_equal, one, two))
    if isinstance(one, dict) and isinstance(two, dict):
        return len(one) == len(two) and all(
            key in two and _equal(value, two[key]) for key, value in one.items()
        )
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    return bool(one == two)


def _all(checks: list[Check]) -> Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)

    def every(value: Any) -> bool:
        return all(check(value) for check in checks)

    return every


class SchemaChecks:
    """Compiled checks for schemas and every subschema in them, found by identity.

    ``resolve`` turns an absolute ``$ref`` URI into its target's base URI and
    schema; a :class:`~fourresp.errors.SchemaNotFoundError` it raises leaves that
    reference "not sure", for jsonschema to report.
    """

    def __init__(self, resolve: Resolve) -> None:
        self._resolve = resolve
        # id(schema) -> (schema, its check, exact): the schema is kept so its id stays its own
        self._by_id: dict[int, tuple[Any, Check, bool]] = {}
        self._by_uri: dict[str, _Compiled] = {}

    def compile(self, schema: Any, base: str) -> Check:
        """The check for ``schema``, whose relative references resolve against ``base``."""
        return self._schema(schema, base)[0]

    def accepts(self, schema: Any, value: Any) -> bool:
        """True when ``schema`` was compiled here and ``value`` is certainly valid under it."""
        found = self._by_id.get(id(schema))
        if found is None or found[0] is not schema:
            return False
        try:
            return found[1](value)
        except RecursionError:  # nested past what the stack holds: jsonschema decides
            return False

    # -- compiling ------------------------------------------------------------------

    def _schema(self, schema: Any, base: str) -> _Compiled:
        if schema is True:
            return _always, True
        if schema is False:
            return _never, True
        if not isinstance(schema, Mapping):
            return _never, False  # not a schema: jsonschema says what is wrong
        known = self._by_id.get(id(schema))
        if known is not None and known[0] is schema:
            return known[1], known[2]
        # Registered before compiling, so a schema that contains itself ends here.
        cell: list[Check] = [_never]
        self._by_id[id(schema)] = (schema, lambda value: cell[0](value), False)
        check, exact = self._keywords(schema, base)
        cell[0] = check
        self._by_id[id(schema)] = (schema, check, exact)
        return check, exact

    def _keywords(self, schema: Mapping[str, Any], base: str) -> _Compiled:
        if _NOT_IMPLEMENTED.intersection(schema):
            return _never, False
        exact = True
        checks: list[Check] = []
        wanted = schema.get("type")
        typed = False  # the type is tested by the check of its own keywords
        for group, build in (("object", self._object), ("string", self._string)):
            compiled = build(schema, base, wanted == group)
            if compiled is not None:
                checks.append(compiled[0])
                exact = exact and compiled[1]
                typed = typed or wanted == group
        for compiled in (self._array(schema, base), self._number(schema)):
            if compiled is not None:
                checks.append(compiled[0])
                exact = exact and compiled[1]
        for compiled in self._general(schema, base):
            checks.append(compiled[0])
            exact = exact and compiled[1]
        check = _all(checks)
        if wanted is None or typed:
            return check, exact
        names = [wanted] if isinstance(wanted, str) else wanted
        if not isinstance(names, list) or not all(name in _TYPES for name in names):
            return _never, False
        if len(names) == 1:
            is_type = _TYPES[names[0]]
            if not checks:
                return is_type, exact
            return (lambda value: is_type(value) and check(value)), exact
        tests = [_TYPES[name] for name in names]
        return (lambda value: any(test(value) for test in tests) and check(value)), exact

    def _reference(self, uri: str) -> _Compiled:
        known = self._by_uri.get(uri)
        if known is not None:
            return known
        try:
            target_base, target = self._resolve(uri)
        except SchemaNotFoundError:  # jsonschema reports it
            return _never, False
        # A reference to a schema still being compiled (recursion) is "not sure"
        # until it is done; the cell is filled in when it is.
        cell: list[Check] = [_never]
        self._by_uri[uri] = (lambda value: cell[0](value)), False
        compiled = self._schema(target, target_base)
        cell[0] = compiled[0]
        self._by_uri[uri] = compiled
        return compiled

    def _general(self, schema: Mapping[str, Any], base: str) -> list[_Compiled]:
        """Keywords that apply to a value of any type."""
        found: list[_Compiled] = []
        if isinstance(schema.get("$ref"), str):
            from urllib.parse import urljoin  # only for a schema's $ref

            found.append(self._reference(urljoin(base, schema["$ref"])))
        if "enum" in schema:
            found.append(_enum(schema["enum"]))
        if "const" in schema:
            expected = schema["const"]
            found.append(((lambda value: _equal(value, expected)), True))
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in schema:
                found.append(self._combined(keyword, schema[keyword], base))
        if "not" in schema:
            inner, exact = self._schema(schema["not"], base)
            found.append(((lambda value: not inner(value)), True) if exact else (_never, False))
        if "if" in schema:
            found.append(self._conditional(schema, base))
        return found

    def _combined(self, keyword: str, schemas: Any, base: str) -> _Compiled:
        if not isinstance(schemas, list) or not schemas:
            return _never, False
        compiled = [self._schema(each, base) for each in schemas]
        checks = [check for check, _ in compiled]
        exact = all(exact for _, exact in compiled)
        if keyword == "allOf":
            return _all(checks), exact
        if keyword == "anyOf":
            return (lambda value: any(check(value) for check in checks)), exact
        if not exact:  # oneOf: "exactly one" needs to know the others fail
            return _never, False
        return (lambda value: sum(1 for check in checks if check(value)) == 1), True

    def _conditional(self, schema: Mapping[str, Any], base: str) -> _Compiled:
        condition, exact = self._schema(schema["if"], base)
        then, then_exact = self._schema(schema.get("then", True), base)
        otherwise, else_exact = self._schema(schema.get("else", True), base)
        if not exact:
            # Not sure whether the condition holds: certainly valid only under both.
            return (lambda value: then(value) and otherwise(value)), False
        return (
            lambda value: then(value) if condition(value) else otherwise(value)
        ), then_exact and else_exact

    def _object(self, schema: Mapping[str, Any], base: str, only: bool) -> _Compiled | None:
        """Keywords on objects; with ``only``, anything else is refused ("type": "object")."""
        if not _OBJECT_KEYWORDS.intersection(schema) and not only:
            return None
        exact = True

        def sub(node: Any) -> Check:
            nonlocal exact
            check, sub_exact = self._schema(node, base)
            exact = exact and sub_exact
            return check

        raw_properties = schema.get("properties", {})
        raw_patterns = schema.get("patternProperties", {})
        if not isinstance(raw_properties, Mapping) or not isinstance(raw_patterns, Mapping):
            return _never, False
        properties = {key: sub(node) for key, node in raw_properties.items()}
        patterns = [(re.compile(key).search, sub(node)) for key, node in raw_patterns.items()]
        # As jsonschema finds additional properties: one search for all the patterns.
        any_pattern = re.compile("|".join(raw_patterns)).search if raw_patterns else None
        additional = sub(schema.get("additionalProperties", True))
        names = sub(schema["propertyNames"]) if "propertyNames" in schema else None
        required = tuple(schema.get("required", ()))
        fewest = schema.get("minProperties", 0)
        most = schema.get("maxProperties")

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return not only
            if len(value) < fewest or (most is not None and len(value) > most):
                return False
            for key in required:
                if key not in value:
                    return False
            for key, item in value.items():
                if names is not None and not names(key):
                    return False
                own = properties.get(key)
                if own is not None and not own(item):
                    return False
                for search, pattern_check in patterns:
                    if search(key) and not pattern_check(item):
                        return False
                if own is None and not (any_pattern and any_pattern(key)) and not additional(item):
                    return False
            return True

        return check, exact

    def _string(self, schema: Mapping[str, Any], _base: str, only: bool) -> _Compiled | None:
        """Keywords on strings; with ``only``, anything else is refused ("type": "string")."""
        if not _STRING_KEYWORDS.intersection(schema) and not only:
            return None
        shortest = schema.get("minLength", 0)
        longest = schema.get("maxLength")
        pattern = schema.get("pattern")
        search = re.compile(pattern).search if isinstance(pattern, str) else None
        conforms = _format_check(schema["format"]) if "format" in schema else None

        def check(value: Any) -> bool:
            if not isinstance(value, str):
                return not only
            if len(value) < shortest or (longest is not None and len(value) > longest):
                return False
            if search is not None and search(value) is None:
                return False
            return conforms is None or conforms(value)

        return check, True

    def _array(self, schema: Mapping[str, Any], base: str) -> _Compiled | None:
        if not _ARRAY_KEYWORDS.intersection(schema):
            return None
        each, exact = self._schema(schema.get("items", True), base)
        fewest = schema.get("minItems", 0)
        most = schema.get("maxItems")

        def check(value: Any) -> bool:
            if not isinstance(value, list):
                return True
            if len(value) < fewest or (most is not None and len(value) > most):
                return False
            return all(map(each, value))

        return check, exact

    def _number(self, schema: Mapping[str, Any]) -> _Compiled | None:
        if not _NUMBER_KEYWORDS.intersection(schema):
            return None
        low = schema.get("minimum")
        high = schema.get("maximum")
        above = schema.get("exclusiveMinimum")
        below = schema.get("exclusiveMaximum")

        def check(value: Any) -> bool:
            if not _is_number(value):
                return True
            # As jsonschema compares: an error only when the comparison holds (never for NaN).
            return not (
                (low is not None and value < low)
                or (high is not None and value > high)
                or (above is not None and value <= above)
                or (below is not None and value >= below)
            )

        return check, True


def _enum(options: Any) -> _Compiled:
    if not isinstance(options, list):
        return _never, False
    if all(isinstance(option, str) for option in options):
        words = frozenset(options)
        return (lambda value: isinstance(value, str) and value in words), True
    return (lambda value: any(_equal(value, option) for option in options)), True


def _format_check(name: Any) -> Check:
    # The format checker the library's validators are built with.
    from jsonschema import Draft202012Validator

    checker = Draft202012Validator.FORMAT_CHECKER
    return lambda value: bool(checker.conforms(value, name))
