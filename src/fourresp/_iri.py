"""IRIs checked by the grammar of RFC 3987 (with RFC 3986's authority and IP rules).

:func:`is_iri` matches an ``IRI`` (the RFC's name for an absolute IRI that may carry
a fragment): a scheme, ``:``, a hierarchical part, an optional query and an
optional fragment. Percent signs must start two hex digits (``%zz`` is refused),
an IP literal must close its bracket (``https://[::1/x`` is refused), and only
the characters the grammar names are allowed, so spaces, controls (NUL
included), ``<>"{}|\\^``` and unpaired surrogates never pass.

The expression is written from the RFC's ABNF, one rule per name below, so it can
be read against the RFC.
"""

from __future__ import annotations

import functools
import re

__all__ = ["iri_pattern", "is_iri"]

_ALPHA = "A-Za-z"
_DIGIT = "0-9"
_HEX = "0-9A-Fa-f"
_UCSCHAR = (
    "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
    "\U00010000-\U0001fffd\U00020000-\U0002fffd\U00030000-\U0003fffd"
    "\U00040000-\U0004fffd\U00050000-\U0005fffd\U00060000-\U0006fffd"
    "\U00070000-\U0007fffd\U00080000-\U0008fffd\U00090000-\U0009fffd"
    "\U000a0000-\U000afffd\U000b0000-\U000bfffd\U000c0000-\U000cfffd"
    "\U000d0000-\U000dfffd\U000e1000-\U000efffd"
)
_IPRIVATE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
_SUB_DELIMS = "!$&'()*+,;="
_UNRESERVED = f"{_ALPHA}{_DIGIT}\\-._~"
_IUNRESERVED = f"{_UNRESERVED}{_UCSCHAR}"

_pct_encoded = f"%[{_HEX}]{{2}}"
_ipchar = f"(?:[{_IUNRESERVED}{re.escape(_SUB_DELIMS)}:@]|{_pct_encoded})"
_isegment = f"{_ipchar}*"
_isegment_nz = f"{_ipchar}+"
_iquery = f"(?:{_ipchar}|[{_IPRIVATE}/?])*"
_ifragment = f"(?:{_ipchar}|[/?])*"

_dec_octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])"
_ipv4 = f"{_dec_octet}(?:\\.{_dec_octet}){{3}}"
_h16 = f"[{_HEX}]{{1,4}}"
_ls32 = f"(?:{_h16}:{_h16}|{_ipv4})"
_ipv6 = (
    "(?:"
    + "|".join(
        [
            f"(?:{_h16}:){{6}}{_ls32}",
            f"::(?:{_h16}:){{5}}{_ls32}",
            f"(?:{_h16})?::(?:{_h16}:){{4}}{_ls32}",
            f"(?:(?:{_h16}:){{0,1}}{_h16})?::(?:{_h16}:){{3}}{_ls32}",
            f"(?:(?:{_h16}:){{0,2}}{_h16})?::(?:{_h16}:){{2}}{_ls32}",
            f"(?:(?:{_h16}:){{0,3}}{_h16})?::{_h16}:{_ls32}",
            f"(?:(?:{_h16}:){{0,4}}{_h16})?::{_ls32}",
            f"(?:(?:{_h16}:){{0,5}}{_h16})?::{_h16}",
            f"(?:(?:{_h16}:){{0,6}}{_h16})?::",
        ]
    )
    + ")"
)
_ipvfuture = f"v[{_HEX}]+\\.[{_UNRESERVED}{re.escape(_SUB_DELIMS)}:]+"
_ip_literal = f"\\[(?:{_ipv6}|{_ipvfuture})\\]"
_ireg_name = f"(?:[{_IUNRESERVED}{re.escape(_SUB_DELIMS)}]|{_pct_encoded})*"
_ihost = f"(?:{_ip_literal}|{_ipv4}|{_ireg_name})"
_iuserinfo = f"(?:[{_IUNRESERVED}{re.escape(_SUB_DELIMS)}:]|{_pct_encoded})*"
_iauthority = f"(?:{_iuserinfo}@)?{_ihost}(?::[{_DIGIT}]*)?"
_ipath_abempty = f"(?:/{_isegment})*"
_ipath_absolute = f"/(?:{_isegment_nz}(?:/{_isegment})*)?"
_ipath_rootless = f"{_isegment_nz}(?:/{_isegment})*"
_ihier_part = (
    f"(?://{_iauthority}{_ipath_abempty}|{_ipath_absolute}|{_ipath_rootless}|)"  # or empty
)
_scheme = f"[{_ALPHA}][{_ALPHA}{_DIGIT}+\\-.]*"


@functools.cache
def iri_pattern() -> re.Pattern[str]:
    """RFC 3987's ``IRI`` rule: ``scheme ":" ihier-part [ "?" iquery ] [ "#" ifragment ]``.

    Compiled on first use: the expression's wide character classes take tens of
    milliseconds to compile, which importing the library no longer pays.
    """
    return re.compile(f"{_scheme}:{_ihier_part}(?:\\?{_iquery})?(?:#{_ifragment})?")


def is_iri(value: object) -> bool:
    """True when ``value`` is a string that RFC 3987's ``IRI`` rule matches whole.

    >>> is_iri("https://example.org/xapi/caf\u00e9"), is_iri("https://x/%zz")
    (True, False)
    """
    return isinstance(value, str) and iri_pattern().fullmatch(value) is not None
