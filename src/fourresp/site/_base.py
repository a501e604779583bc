"""What every page of the site shares: settings, content loaded once, the registry, replies."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
from flask import Flask, g, request
from flask import Response as HttpResponse
from itsdangerous import URLSafeSerializer

import fourresp
from fourresp.assessment import Questionnaire, load_questionnaire
from fourresp.content import Framework, load_framework
from fourresp.scenario import Runner, Scenario, load_scenario
from fourresp.supporters import open_registry

__all__ = [
    "Base",
    "Cooldown",
    "SiteSettings",
    "download",
    "json_reply",
    "point_key",
    "scale_label",
    "scale_points",
    "svg_reply",
]


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


class Cooldown:
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


class Base:
    """The content the pages serve, loaded once, and what every page needs."""

    def __init__(self, app: Flask, settings: SiteSettings) -> None:
        self.app = app
        self.settings = settings
        self.framework = settings.framework or load_framework()
        self.questionnaire = settings.questionnaire or load_questionnaire()
        self.scenario = settings.scenario or load_scenario()
        self.runner = Runner(self.scenario, framework=self.framework)
        self.cooldown = Cooldown(settings.pledge_cooldown)
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


# -- replies and scale helpers ------------------------------------------------------------


def scale_points(scale: Any) -> Iterator[int | float]:
    """Every answer the scale allows, lowest first."""
    value = scale.min
    while value <= scale.max:
        yield value
        value += scale.step


def scale_label(scale: Any, value: int | float) -> str:
    """The scale's word for ``value`` ("Often"), or the number when it has none."""
    for label in scale.labels:
        if label.value == value:
            return str(label.label)
    return point_key(value)


def point_key(value: int | float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def svg_reply(text: str, *, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(text, mimetype="image/svg+xml")
    if filename is not None:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def download(body: str | bytes, mimetype: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_reply(document: Mapping[str, Any]) -> HttpResponse:
    return HttpResponse(json.dumps(document, indent=2), mimetype="application/ld+json")
