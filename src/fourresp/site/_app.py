"""The Flask application behind ``fourresp serve``, built from fourresp's public API only.

Read it as the worked example of embedding fourresp in a web app. The pieces:

- :class:`SiteSettings` and :func:`create_app`: the content is loaded once, the
  registry is opened per request (SQLite connections belong to one thread);
- security shared by every page: a CSRF token in the signed session cookie checked
  on every POST, a Content-Security-Policy with no scripts at all, a cooldown per
  address on pledges, and error pages that never show a stack trace;
- the four journeys, each a handful of routes: the questionnaire, the scenario,
  the pledge and the list of supporters, the book and sharing.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import Any

import attrs
from flask import Flask, abort, g, redirect, render_template, request, session, url_for
from flask import Response as HttpResponse
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.exceptions import HTTPException

import fourresp
from fourresp.assessment import (
    Questionnaire,
    Response,
    Result,
    load_questionnaire,
    result_chart,
    result_markdown,
    score,
)
from fourresp.badges import OB2_CONTEXT, emblem, hashed_identity, result_badge, to_png
from fourresp.content import Framework, load_framework, share_links
from fourresp.errors import DocumentError, FourrespError, MissingExtraError
from fourresp.scenario import Run, Runner, Scenario, load_scenario, scorecard_chart
from fourresp.supporters import Pledge, Supporter, open_registry, supporter_badge

__all__ = ["SiteSettings", "create_app"]

_log = logging.getLogger("fourresp.site")

#: The session keys this app uses, in one place.
_ANSWERS, _RUN, _CSRF = "answers", "run", "csrf"

#: Form fields of the pledge, in the order the form shows them.
PLEDGE_FIELDS = ("name", "organisation", "role", "country", "email")


@attrs.frozen(kw_only=True)
class SiteSettings:
    """What an app passes to :func:`create_app`.

    ``db`` is the supporters registry (a SQLite path or a PostgreSQL URL, as
    :func:`fourresp.supporters.open_registry` takes); ``secret_key`` signs the
    session cookie and the links people keep (their badge, their withdrawal), so it
    must stay the same across restarts and be kept secret; ``base_url`` is where
    the site is published (Open Badges ids and share links use it; default: the
    address each request came to); ``pledge_cooldown`` is how many seconds one
    address waits between two pledges; ``page_size`` is the list's page length.
    """

    db: str = "supporters.db"
    secret_key: bytes = attrs.field(repr=False)
    base_url: str | None = None
    pledge_cooldown: float = 30.0
    page_size: int = 20
    framework: Framework | None = None
    questionnaire: Questionnaire | None = None
    scenario: Scenario | None = None

    @secret_key.validator
    def _check_key(self, _: object, value: bytes) -> None:
        if not isinstance(value, bytes) or len(value) < 16:
            raise fourresp.ArgumentError("secret_key must be at least 16 random bytes")


class _Cooldown:
    """Remembers when each address last pledged; thread-safe, bounded in size."""

    def __init__(self, seconds: float, limit: int = 10_000) -> None:
        self.seconds = seconds
        self.limit = limit
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, address: str) -> float:
        """Seconds ``address`` must still wait (0 when it may pledge now)."""
        with self._lock:
            last = self._last.get(address)
        return 0.0 if last is None else max(0.0, self.seconds - (time.monotonic() - last))

    def note(self, address: str) -> None:
        """Record a pledge from ``address`` now."""
        now = time.monotonic()
        with self._lock:
            if len(self._last) >= self.limit:  # forget the addresses whose wait is over
                self._last = {a: t for a, t in self._last.items() if now - t < self.seconds}
            self._last[address] = now


def create_app(settings: SiteSettings | None = None, **options: Any) -> Flask:
    """The site as a Flask (WSGI) application.

    Pass a :class:`SiteSettings`, or its fields as keywords
    (``create_app(db="supporters.db", secret_key=...)``). Raises
    :class:`~fourresp.errors.ArgumentError` for settings that cannot work.
    """
    if settings is None:
        settings = SiteSettings(**options)
    elif options:
        settings = attrs.evolve(settings, **options)
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=60 * 60 * 24 * 90,  # a scenario resumes for 90 days
        MAX_CONTENT_LENGTH=64 * 1024,  # every form here is small
        MAX_FORM_PARTS=200,
        TEMPLATES_AUTO_RELOAD=False,
    )
    site = _Site(app, settings)
    site.install()
    return app


class _Site:
    """The routes, with the content they serve loaded once."""

    def __init__(self, app: Flask, settings: SiteSettings) -> None:
        self.app = app
        self.settings = settings
        self.framework = settings.framework or load_framework()
        self.questionnaire = settings.questionnaire or load_questionnaire()
        self.scenario = settings.scenario or load_scenario()
        self.runner = Runner(self.scenario, framework=self.framework)
        self.cooldown = _Cooldown(settings.pledge_cooldown)
        self.signer = URLSafeSerializer(settings.secret_key, salt="fourresp-site")
        # the questionnaire's items, one page per responsibility in the framework's order
        pages: dict[str, list[Any]] = {r.id: [] for r in self.framework.responsibilities}
        for item in self.questionnaire.items:
            pages[self.framework.responsibility_of(item.aspect).id].append(item)
        self.pages = [
            (responsibility, tuple(pages[responsibility.id]))
            for responsibility in self.framework.responsibilities
            if pages[responsibility.id]
        ]

    # -- wiring ----------------------------------------------------------------------

    def install(self) -> None:
        app = self.app
        app.before_request(self._before)
        app.after_request(self._headers)
        app.teardown_appcontext(self._close_registry)
        app.context_processor(self._common)
        app.register_error_handler(HTTPException, self._http_error)
        app.register_error_handler(Exception, self._server_error)
        routes: list[tuple[str, Callable[..., Any], tuple[str, ...]]] = [
            ("/", self.home, ("GET",)),
            ("/questionnaire", self.questionnaire_intro, ("GET",)),
            ("/questionnaire/<int:number>", self.questionnaire_page, ("GET", "POST")),
            ("/questionnaire/result", self.questionnaire_result, ("GET",)),
            ("/questionnaire/result.<any(svg,md,json):fmt>", self.result_file, ("GET",)),
            ("/questionnaire/badge.svg", self.result_badge_file, ("GET",)),
            ("/questionnaire/reset", self.questionnaire_reset, ("POST",)),
            ("/scenario", self.scenario_page, ("GET",)),
            ("/scenario/start", self.scenario_start, ("POST",)),
            ("/scenario/choose", self.scenario_choose, ("POST",)),
            ("/scenario/undo", self.scenario_undo, ("POST",)),
            ("/scenario/scorecard", self.scorecard_page, ("GET",)),
            ("/scenario/scorecard.svg", self.scorecard_file, ("GET",)),
            ("/pledge", self.pledge, ("GET", "POST")),
            ("/supporter/<token>", self.supporter_page, ("GET",)),
            ("/supporter/<token>/badge.<any(svg,png):fmt>", self.supporter_badge, ("GET",)),
            ("/supporter/<token>/badge-baked.svg", self.baked_badge, ("GET",)),
            ("/withdraw/<token>", self.withdraw, ("GET", "POST")),
            ("/supporters", self.supporters, ("GET",)),
            ("/book", self.book, ("GET",)),
            ("/share", self.share, ("GET",)),
            ("/emblem.svg", self.emblem_file, ("GET",)),
            ("/openbadges/issuer.json", self.ob_issuer, ("GET",)),
            ("/openbadges/supporter.json", self.ob_badge_class, ("GET",)),
            ("/openbadges/assertions/<token>.json", self.ob_assertion, ("GET",)),
        ]
        for rule, view, methods in routes:
            app.add_url_rule(rule, view.__name__, view, methods=list(methods))

    def _before(self) -> None:
        session.permanent = True
        if _CSRF not in session:
            session[_CSRF] = secrets.token_urlsafe(32)
        if request.method == "POST":
            sent = request.form.get("csrf", "")
            if not hmac.compare_digest(sent.encode(), str(session[_CSRF]).encode()):
                abort(
                    400, "This form has expired or did not come from this site. Please try again."
                )

    @staticmethod
    def _headers(response: HttpResponse) -> HttpResponse:
        if response.mimetype == "image/svg+xml":
            # drawn by the library with its own <style>; an SVG opened on its own runs nothing
            policy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
        else:
            policy = (
                "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
            )
        response.headers["Content-Security-Policy"] = policy
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    def _common(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "licence": self.framework.resources.licence,
            "csrf": session.get(_CSRF, ""),
            "scale_points": _scale_points,
            "point_key": _point_key,
            "scale_label": _scale_label,
        }

    def _http_error(self, error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        return render_template("error.html", code=code, message=error.description), code

    def _server_error(self, _: Exception) -> tuple[str, int]:
        _log.exception("unexpected error on %s %s", request.method, request.path)
        message = "Something went wrong on our side. It has been logged; please try again."
        return render_template("error.html", code=500, message=message), 500

    # -- the registry, one connection per request --------------------------------------

    def registry(self) -> Any:
        if "registry" not in g:
            g.registry = open_registry(self.settings.db)
        return g.registry

    @staticmethod
    def _close_registry(_: BaseException | None) -> None:
        registry = g.pop("registry", None)
        if registry is not None:
            registry.close()

    def base_url(self) -> str:
        return (self.settings.base_url or request.host_url).rstrip("/")

    # -- home, book, share -------------------------------------------------------------

    def home(self) -> str:
        return render_template("home.html", resources=self.framework.resources)

    def emblem_file(self) -> HttpResponse:
        return _svg(emblem(hashtag=self.framework.resources.share.hashtag))

    def book(self) -> str:
        return render_template("book.html", book=self.framework.resources.book)

    def share(self) -> str:
        share = self.framework.resources.share
        links = share_links(self.base_url() + "/", share).as_dict()
        return render_template("share.html", share=share, links=links)

    # -- the questionnaire ---------------------------------------------------------------

    def _answers(self) -> dict[str, int | float]:
        stored = session.get(_ANSWERS)
        return dict(stored) if isinstance(stored, Mapping) else {}

    def questionnaire_intro(self) -> str:
        return render_template(
            "questionnaire_intro.html",
            questionnaire=self.questionnaire,
            pages=self.pages,
            answered=len(self._answers()),
        )

    def questionnaire_page(self, number: int) -> Any:
        if not 1 <= number <= len(self.pages):
            abort(404)
        responsibility, items = self.pages[number - 1]
        answers = self._answers()
        if request.method == "POST":
            for item in items:
                choice = request.form.get(item.id, "")
                value = self._scale_value(item, choice)
                if value is None:
                    answers.pop(item.id, None)  # skipped, or cleared
                else:
                    answers[item.id] = value
            session[_ANSWERS] = answers
            step = request.form.get("go", "next")
            if step == "back" and number > 1:
                return redirect(url_for("questionnaire_page", number=number - 1))
            if step == "next" and number < len(self.pages):
                return redirect(url_for("questionnaire_page", number=number + 1))
            return redirect(url_for("questionnaire_result"))
        questions = [
            (item, self.questionnaire.scale_of(item), answers.get(item.id)) for item in items
        ]
        return render_template(
            "questionnaire_page.html",
            questionnaire=self.questionnaire,
            responsibility=responsibility,
            questions=questions,
            number=number,
            pages=len(self.pages),
        )

    def _scale_value(self, item: Any, text: str) -> int | float | None:
        """The answer a radio button sent, or None for a skip or anything not on the scale."""
        scale = self.questionnaire.scale_of(item)
        for value in _scale_points(scale):
            if text == _point_key(value):
                return value
        return None

    def _result(self) -> Result:
        response = Response(
            questionnaire=self.questionnaire.id,
            version=self.questionnaire.version,
            answers=self._answers(),
        )
        return score(self.questionnaire, response, framework=self.framework)

    def questionnaire_result(self) -> str:
        result = self._result()
        return render_template(
            "questionnaire_result.html",
            questionnaire=self.questionnaire,
            result=result,
            answered=len(self._answers()),
            total=len(self.questionnaire.items),
        )

    def result_file(self, fmt: str) -> HttpResponse:
        result = self._result()
        if fmt == "svg":
            return _svg(result_chart(result))
        if fmt == "md":
            text = result_markdown(result, questionnaire=self.questionnaire)
            return _download(text, "text/markdown", "self-assessment.md")
        document = json.dumps(fourresp.to_document(result), indent=2, ensure_ascii=False)
        return _download(document, "application/json", "self-assessment.json")

    def result_badge_file(self) -> HttpResponse:
        return _svg(result_badge(self._result()), filename="self-assessment-badge.svg")

    def questionnaire_reset(self) -> Any:
        session.pop(_ANSWERS, None)
        return redirect(url_for("questionnaire_intro"))

    # -- the scenario ---------------------------------------------------------------------

    def _run(self) -> Run | None:
        saved = session.get(_RUN)
        if not isinstance(saved, Mapping):
            return None
        try:
            return self.runner.resume(saved)
        except FourrespError:  # the scenario changed since this save: start again
            session.pop(_RUN, None)
            return None

    def _keep(self, run: Run) -> None:
        session[_RUN] = self.runner.save(run)

    def scenario_page(self) -> Any:
        run = self._run()
        if run is None:
            return render_template("scenario_intro.html", scenario=self.scenario)
        if run.finished:
            return redirect(url_for("scorecard_page"))
        scene = self.runner.scene(run)
        step = run.step
        return render_template(
            "scenario_scene.html",
            scenario=self.scenario,
            scene=scene,
            choices=self.runner.choices(run),
            feedback=step.feedback if step is not None else None,
            steps=run.length,
        )

    def scenario_start(self) -> Any:
        self._keep(self.runner.start())
        return redirect(url_for("scenario_page"))

    def scenario_choose(self) -> Any:
        run = self._run()
        if run is None:
            return redirect(url_for("scenario_page"))
        try:
            run = self.runner.choose(run, request.form.get("choice", ""))
        except FourrespError:
            abort(400, "That choice is not open in this scene. Please choose again.")
        self._keep(run)
        return redirect(url_for("scorecard_page" if run.finished else "scenario_page"))

    def scenario_undo(self) -> Any:
        run = self._run()
        if run is not None and run.length:
            self._keep(Runner.undo(run))
        return redirect(url_for("scenario_page"))

    def scorecard_page(self) -> Any:
        run = self._run()
        if run is None:
            return redirect(url_for("scenario_page"))
        card = self.runner.scorecard(run)
        return render_template("scenario_scorecard.html", scenario=self.scenario, card=card)

    def scorecard_file(self) -> HttpResponse:
        run = self._run()
        if run is None:
            abort(404)
        return _svg(scorecard_chart(self.runner.scorecard(run)))

    # -- the pledge and the supporters -----------------------------------------------------

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
            return _svg(svg, filename="four-responsibilities-supporter.svg")
        try:
            png = to_png(svg)
        except MissingExtraError:
            abort(404)
        return _download(png, "image/png", "four-responsibilities-supporter.png")

    def baked_badge(self, token: str) -> HttpResponse:
        claims = self._claims(token)
        supporter = self._supporter(claims)
        if "identity" not in claims:
            abort(404)
        svg = supporter_badge(supporter, assertion=self._assertion(token, supporter, claims))
        return _svg(svg, filename="four-responsibilities-supporter-openbadge.svg")

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
        return _json(issuer)

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
        return _json(badge_class)

    def ob_assertion(self, token: str) -> HttpResponse:
        claims = self._claims(token)
        if "identity" not in claims:
            abort(404)
        try:
            supporter = self.registry().get(claims["id"])
        except FourrespError:
            abort(410, "This badge was withdrawn.")
        return _json(self._assertion(token, supporter, claims))

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


# -- helpers ------------------------------------------------------------------------------


def _scale_points(scale: Any) -> Iterator[int | float]:
    """Every answer the scale allows, lowest first."""
    value = scale.min
    while value <= scale.max:
        yield value
        value += scale.step


def _scale_label(scale: Any, value: int | float) -> str:
    """The scale's word for ``value`` ("Often"), or the number when it has none."""
    for label in scale.labels:
        if label.value == value:
            return str(label.label)
    return _point_key(value)


def _point_key(value: int | float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


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


def _svg(text: str, *, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(text, mimetype="image/svg+xml")
    if filename is not None:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _download(body: str | bytes, mimetype: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _json(document: Mapping[str, Any]) -> HttpResponse:
    return HttpResponse(json.dumps(document, indent=2), mimetype="application/ld+json")
