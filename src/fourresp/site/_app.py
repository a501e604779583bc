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
from collections.abc import Callable, Mapping
from typing import Any

import attrs
from flask import Flask, abort, redirect, render_template, request, session, url_for
from flask import Response as HttpResponse
from werkzeug.exceptions import HTTPException

import fourresp
from fourresp.assessment import (
    Response,
    Result,
    result_badge,
    result_chart,
    result_markdown,
    score,
)
from fourresp.badges import emblem
from fourresp.content import share_links
from fourresp.errors import FourrespError
from fourresp.scenario import Run, Runner, scorecard_chart
from fourresp.site._base import (
    SiteSettings,
    download,
    point_key,
    scale_label,
    scale_points,
    svg_reply,
)
from fourresp.site._supporters import SupporterPages

__all__ = ["SiteSettings", "create_app"]

_log = logging.getLogger("fourresp.site")

#: The session keys this app uses, in one place.
_ANSWERS, _RUN, _CSRF = "answers", "run", "csrf"


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


class _Site(SupporterPages):
    """Every route of the site."""

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
            "scale_points": scale_points,
            "point_key": point_key,
            "scale_label": scale_label,
        }

    def _http_error(self, error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        return render_template("error.html", code=code, message=error.description), code

    def _server_error(self, _: Exception) -> tuple[str, int]:
        _log.exception("unexpected error on %s %s", request.method, request.path)
        message = "Something went wrong on our side. It has been logged; please try again."
        return render_template("error.html", code=500, message=message), 500

    # -- home, book, share -------------------------------------------------------------

    def home(self) -> str:
        return render_template("home.html", resources=self.framework.resources)

    def emblem_file(self) -> HttpResponse:
        return svg_reply(emblem(hashtag=self.framework.resources.share.hashtag))

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
        for value in scale_points(scale):
            if text == point_key(value):
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
            return svg_reply(result_chart(result))
        if fmt == "md":
            text = result_markdown(result, questionnaire=self.questionnaire)
            return download(text, "text/markdown", "self-assessment.md")
        document = json.dumps(fourresp.to_document(result), indent=2, ensure_ascii=False)
        return download(document, "application/json", "self-assessment.json")

    def result_badge_file(self) -> HttpResponse:
        return svg_reply(result_badge(self._result()), filename="self-assessment-badge.svg")

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
            text=self.runner.text(run),  # the scene as this run reads it (variants)
            choices=self.runner.choices(run),  # in the order the run's seed gives
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
        return svg_reply(scorecard_chart(self.runner.scorecard(run)))
