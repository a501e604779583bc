"""Share links for the common networks, built from the content's share text and hashtag."""

from __future__ import annotations

import re

import attrs

from fourresp.content._models import Share
from fourresp.errors import ArgumentError

__all__ = ["ShareLinks", "share_links"]

_HOST = re.compile(
    r"(?=.{1,253}\Z)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\Z"
)


@attrs.frozen(kw_only=True)
class ShareLinks:
    """Ready-to-use share links, one per network. Every value is a full URL."""

    linkedin: str
    x: str
    facebook: str
    mastodon: str
    email: str

    def as_dict(self) -> dict[str, str]:
        """The links keyed by network name, in a stable order."""
        return attrs.asdict(self)


def _check_url(url: str) -> str:
    from urllib.parse import urlsplit  # (quote below too) imported when links are made

    parts = urlsplit(url) if isinstance(url, str) else None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.netloc
        or any(char.isspace() for char in url)
    ):
        raise ArgumentError(f"the page to share must be an absolute http(s) address, not {url!r}")
    return url


def share_links(
    url: str,
    share: Share,
    *,
    message: str | None = None,
    mastodon_instance: str = "mastodon.social",
) -> ShareLinks:
    """Links that share ``url`` on LinkedIn, X, Facebook, Mastodon and by e-mail.

    The post text is ``message`` (default: ``share.message``) with ``share.hashtag``
    added when it is not already there. Mastodon has no central server, so the
    instance the reader uses is a parameter. Raises
    :class:`~fourresp.errors.ArgumentError` for a URL that is not absolute http(s)
    or an instance that is not a host name.
    """
    _check_url(url)
    if not _HOST.match(mastodon_instance):
        raise ArgumentError(f"the Mastodon instance must be a host name, not {mastodon_instance!r}")
    text = " ".join((message if message is not None else share.message).split())
    if share.hashtag.lower() not in text.lower():
        text = f"{text} {share.hashtag}"
    from urllib.parse import quote

    enc_url = quote(url, safe="")
    enc_text = quote(text, safe="")
    toot = quote(f"{text} {url}", safe="")
    body = quote(text + "\n\n" + url, safe="")
    return ShareLinks(
        linkedin=f"https://www.linkedin.com/sharing/share-offsite/?url={enc_url}",
        x=f"https://x.com/intent/post?text={enc_text}&url={enc_url}",
        facebook=f"https://www.facebook.com/sharer/sharer.php?u={enc_url}",
        mastodon=f"https://{mastodon_instance}/share?text={toot}",
        email=f"mailto:?subject={quote(share.title, safe='')}&body={body}",
    )
