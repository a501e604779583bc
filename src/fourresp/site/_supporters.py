"""The pledge, the supporter's own page and badges, withdrawal, and the public list."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Response as HttpResponse
from flask import abort, redirect, render_template, request, url_for
from itsdangerous import BadSignature

import fourresp
from fourresp.badges import OB2_CONTEXT, hashed_identity, to_png
from fourresp.errors import DocumentError, FourrespError, MissingExtraError
from fourresp.site._base import Base, download, json_reply, svg_reply
from fourresp.supporters import Pledge, Supporter, supporter_badge

__all__ = ["PLEDGE_FIELDS", "SupporterPages"]

#: Form fields of the pledge, in the order the form shows them.
PLEDGE_FIELDS = ("name", "organisation", "role", "country", "email")


class SupporterPages(Base):
    """The routes of the pledge journey (mixed into the site)."""

    def pledge(self) -> Any:
        values = dict.fromkeys(PLEDGE_FIELDS, "")
        if request.method == "GET":
            return render_template("pledge.html", values=values, public=True, errors={})
        for field in PLEDGE_FIELDS:
            values[field] = request.form.get(field, "")
        public = request.form.get("public") == "yes"
        address = request.remote_addr or "unknown"
        wait = self.cooldown.wait(address)
        if wait > 0:
            errors = {"": f"Please wait {wait:.0f} seconds before pledging again."}
            return render_template("pledge.html", values=values, public=public, errors=errors), 429
        document: dict[str, Any] = {
            "kind": "pledge",
            "pledged_on": date.today().isoformat(),
            "framework_version": self.framework.version,
            "public": public,
        }
        document.update({field: v.strip() for field, v in values.items() if v.strip()})
        document.setdefault("name", "")  # required: an empty one is located at $.name
        if "country" in document:
            document["country"] = document["country"].upper()
        try:
            pledge = fourresp.load(document, kind="pledge")
            assert isinstance(pledge, Pledge)
            registry = self.registry()
            known = pledge.email is not None and registry.find(email=pledge.email) is not None
            supporter = registry.add(pledge)
        except DocumentError as error:
            return render_template(
                "pledge.html", values=values, public=public, errors=_field_errors(error)
            ), 422
        self.cooldown.note(address)
        token = self._supporter_token(supporter, pledge.email)
        return redirect(url_for("supporter_page", token=token, again="1" if known else None))

    def _supporter_token(self, supporter: Supporter, email: str | None) -> str:
        """A signed token for a supporter's own page; with an e-mail, their badge identity."""
        claims: dict[str, Any] = {"id": supporter.id}
        if email is not None:
            salt = secrets.token_hex(8)
            claims.update(salt=salt, identity=hashed_identity(email, salt))
        return self.signer.dumps(claims, salt="supporter")

    def _claims(self, token: str, purpose: str = "supporter") -> dict[str, Any]:
        try:
            claims = self.signer.loads(token, salt=purpose)
        except BadSignature:
            abort(404)
        if not isinstance(claims, dict) or not isinstance(claims.get("id"), int):
            abort(404)
        return claims

    def _supporter(self, claims: Mapping[str, Any]) -> Supporter:
        try:
            return self.registry().get(claims["id"])  # type: ignore[no-any-return]
        except FourrespError:
            abort(404)

    def supporter_page(self, token: str) -> str:
        claims = self._claims(token)
        supporter = self._supporter(claims)
        withdraw = self.signer.dumps({"id": supporter.id}, salt="withdraw")
        return render_template(
            "supporter.html",
            supporter=supporter,
            token=token,
            withdraw=withdraw,
            again=request.args.get("again") == "1",
            baked="identity" in claims,
            png=_png_available(),
        )

    def supporter_badge(self, token: str, fmt: str) -> HttpResponse:
        supporter = self._supporter(self._claims(token))
        svg = supporter_badge(supporter)
        if fmt == "svg":
            return svg_reply(svg, filename="four-responsibilities-supporter.svg")
        try:
            png = to_png(svg)
        except MissingExtraError:
            abort(404)
        return download(png, "image/png", "four-responsibilities-supporter.png")

    def baked_badge(self, token: str) -> HttpResponse:
        claims = self._claims(token)
        supporter = self._supporter(claims)
        if "identity" not in claims:
            abort(404)
        svg = supporter_badge(supporter, assertion=self._assertion(token, supporter, claims))
        return svg_reply(svg, filename="four-responsibilities-supporter-openbadge.svg")

    def _assertion(
        self, token: str, supporter: Supporter, claims: Mapping[str, Any]
    ) -> dict[str, Any]:
        """An Open Badges 2.0 assertion, hosted at its own id on this site.

        The recipient is the e-mail given with the pledge, hashed with a salt: the
        token carries the hash, so the site never needs the address again.
        """
        base = self.base_url()
        return {
            "@context": OB2_CONTEXT,
            "type": "Assertion",
            "id": f"{base}/openbadges/assertions/{token}.json",
            "recipient": {
                "type": "email",
                "hashed": True,
                "salt": claims["salt"],
                "identity": claims["identity"],
            },
            "badge": f"{base}/openbadges/supporter.json",
            "verification": {"type": "hosted"},
            "issuedOn": f"{supporter.pledged_on}T00:00:00Z",
        }

    def ob_issuer(self) -> HttpResponse:
        base = self.base_url()
        issuer = {
            "@context": OB2_CONTEXT,
            "type": "Issuer",
            "id": f"{base}/openbadges/issuer.json",
            "name": self.framework.title,
            "url": f"{base}/",
        }
        return json_reply(issuer)

    def ob_badge_class(self) -> HttpResponse:
        base = self.base_url()
        pledge = self.framework.resources.pledge
        badge_class = {
            "@context": OB2_CONTEXT,
            "type": "BadgeClass",
            "id": f"{base}/openbadges/supporter.json",
            "name": pledge.badge_title,
            "description": " ".join(pledge.text.split()),
            "image": f"{base}/emblem.svg",
            "criteria": {"narrative": "Add your name to the list of supporters."},
            "issuer": f"{base}/openbadges/issuer.json",
        }
        return json_reply(badge_class)

    def ob_assertion(self, token: str) -> HttpResponse:
        claims = self._claims(token)
        if "identity" not in claims:
            abort(404)
        try:
            supporter = self.registry().get(claims["id"])
        except FourrespError:
            abort(410, "This badge was withdrawn.")
        return json_reply(self._assertion(token, supporter, claims))

    def withdraw(self, token: str) -> Any:
        claims = self._claims(token, purpose="withdraw")
        if request.method == "POST":
            self.registry().withdraw(claims["id"])
            return render_template("withdrawn.html")
        supporter = self._supporter(claims)
        return render_template("withdraw.html", supporter=supporter, token=token)

    def supporters(self) -> str:
        registry = self.registry()
        query = " ".join(request.args.get("q", "").split())[:100]
        cursor = request.args.get("cursor") or None
        found: tuple[Supporter, ...]
        next_cursor: str | None = None
        if query:
            found = tuple(s for s in registry.search(query, limit=self.settings.page_size))
        else:
            try:
                page = registry.list_public(limit=self.settings.page_size, cursor=cursor)
            except FourrespError:
                abort(404)
            found, next_cursor = page.supporters, page.next_cursor
        return render_template(
            "supporters.html",
            supporters=[s for s in found if s.public],
            query=query,
            next_cursor=next_cursor,
            total=registry.count(public_only=True),
        )


def _field_errors(error: DocumentError) -> dict[str, str]:
    """The problems of a pledge, keyed by the form field they are about ("" for the form)."""
    errors: dict[str, str] = {}
    for problem in error.problems:
        field = problem.path.removeprefix("$.").split(".")[0].split("[")[0]
        key = field if field in PLEDGE_FIELDS else ""
        errors.setdefault(key, problem.message)
    return errors


def _png_available() -> bool:
    try:
        to_png('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
    except MissingExtraError:
        return False
    except FourrespError:
        return True
    return True
