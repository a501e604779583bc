"""The site in a real browser: Debian's headless Chromium driven by Playwright, checked by axe-core.

The journey a new visitor takes: the questionnaire with skips and back-and-forth,
the scenario to an ending with an undo and a browser closed and opened again in the
middle, and a pledge, found in the list, whose badge is downloaded and read back.
On every page: no console errors, and axe-core finds no serious or critical
accessibility violation. A screenshot of each page goes to ``build/screenshots/``.

Needs ``chromium`` (Debian) and axe-core (npm); ``FOURRESP_AXE`` names axe.min.js
(default: ``build/npm/node_modules/axe-core/axe.min.js``, where ``.ci/run`` puts
it). Skipped without them, unless ``FOURRESP_REQUIRE_BROWSER=1`` (CI sets it),
which makes their absence a failure.
"""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

import browser

ROOT = pathlib.Path(__file__).resolve().parent.parent
AXE = pathlib.Path(
    os.environ.get("FOURRESP_AXE", ROOT / "build/npm/node_modules/axe-core/axe.min.js")
)
SHOTS = ROOT / "build" / "screenshots"
REQUIRED = os.environ.get("FOURRESP_REQUIRE_BROWSER") == "1"

# A real browser and a site server: left out of `make check`; the module's tests
# share the server and the browser driver, so they run on one worker.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]


def _missing() -> str | None:
    try:
        import flask  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return f"{error.name} is not installed"
    if browser.CHROMIUM is None:
        return "no Chromium here (Debian: apt-get install chromium)"
    if not AXE.is_file():
        return f"no axe-core at {AXE} (npm install axe-core, or set FOURRESP_AXE)"
    return None


MISSING = _missing()
if MISSING is not None:
    if REQUIRED:
        pytest.fail(f"FOURRESP_REQUIRE_BROWSER=1 but {MISSING}", pytrace=False)
    pytest.skip(MISSING, allow_module_level=True)

from playwright.sync_api import Browser, Page, Playwright, sync_playwright  # noqa: E402

from fourresp.badges import unbake  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("site")
    process = subprocess.Popen(
        [sys.executable, "-m", "fourresp", "serve", "--db", str(folder / "s.db"), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+/", line)
    try:
        assert match, line
        yield match.group(0)
    finally:
        process.terminate()
        process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=browser.CHROMIUM, args=list(browser.FLAGS))


def follow(locator: Any) -> None:
    """Click a link or button that loads a page, and wait for that page: a click alone
    returns once the click is done, before the next page has arrived."""
    with locator.page.expect_navigation():
        locator.click()


class Visit:
    """A page with its console watched, axe run and a screenshot taken at each stop."""

    def __init__(self, page: Page, base: str) -> None:
        self.page = page
        self.base = base
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.errors.append(f"{message.type}: {message.text}")

    def check(self, name: str, *, refused: bool = False) -> None:
        """No console errors so far, no serious axe violation here; screenshot kept.

        ``refused``: this page was answered with a 4xx on purpose (a refused form, a
        page not found), which Chromium reports on the console; only that is allowed.
        """
        if refused:
            note = "Failed to load resource: the server responded with a status of 4"
            self.errors = [e for e in self.errors if note not in e]
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        self.page.add_script_tag(path=str(AXE))
        found = self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}))"
        )
        serious = [v for v in found if v["impact"] in ("serious", "critical")]
        assert serious == [], f"{name}: {serious}"
        assert self.errors == [], f"{name}: {self.errors}"
        images = self.page.evaluate(
            "() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0)"
            ".map(i => i.src)"
        )
        assert images == [], f"{name}: images that did not load: {images}"

    def go(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None
        assert response.ok, path


def new_visit(browser: Browser, base: str, state: Any = None) -> Visit:
    # axe is injected by the test; the site's policy allows no script, so bypass it here only
    context = browser.new_context(bypass_csp=True, storage_state=state, accept_downloads=True)
    return Visit(context.new_page(), base)


def test_questionnaire_with_skips_and_back_and_forth(server: str, playwright: Playwright) -> None:
    browser = launch(playwright)
    try:
        visit = new_visit(browser, server)
        visit.go("")
        visit.check("home")
        follow(visit.page.get_by_role("link", name="Questionnaire").first)
        visit.check("questionnaire-intro")
        follow(visit.page.get_by_role("link", name="Start the questionnaire"))
        fieldsets = visit.page.locator("fieldset")
        assert fieldsets.count() >= 2
        fieldsets.nth(0).get_by_label("Often").check()
        fieldsets.nth(1).get_by_label("Skip").check()
        visit.check("questionnaire-page-1")
        follow(visit.page.get_by_role("button", name="Next"))
        assert "Page 2 of" in visit.page.content()
        follow(visit.page.get_by_role("button", name="Back"))
        assert visit.page.locator("fieldset").nth(0).get_by_label("Often").is_checked()
        pages = 0
        while True:  # answer "Often" everywhere else, keyboard only, then see the results
            pages += 1
            boxes = visit.page.locator("fieldset")
            for index in range(1 if pages == 1 else 0, boxes.count()):
                if pages == 1 and index == 1:
                    continue  # the skipped one stays skipped
                radio = boxes.nth(index).get_by_label("Often")
                radio.focus()
                visit.page.keyboard.press("Space")
            if visit.page.get_by_role("button", name="Next").count() == 0:
                break
            follow(visit.page.get_by_role("button", name="Next"))
        visit.check("questionnaire-last-page")
        follow(visit.page.get_by_role("button", name="See my results"))
        assert "Your results" in visit.page.content()
        assert "Overall:" in visit.page.content()
        visit.check("questionnaire-result")
    finally:
        browser.close()


def test_scenario_with_undo_and_resume_after_closing(server: str, playwright: Playwright) -> None:
    browser = launch(playwright)
    visit = new_visit(browser, server)
    visit.go("scenario")
    visit.check("scenario-intro")
    follow(visit.page.get_by_role("button", name="Start the scenario"))
    first_scene = visit.page.locator(".scene").inner_text()
    visit.check("scenario-scene")
    follow(visit.page.locator(".choices button").first)
    visit.check("scenario-feedback")
    follow(visit.page.get_by_role("button", name="Undo my last choice"))
    assert visit.page.locator(".scene").inner_text() == first_scene
    follow(visit.page.locator(".choices button").last)
    here = visit.page.locator(".scene").inner_text()
    state = visit.page.context.storage_state()
    browser.close()  # the visitor closes the browser ...

    browser = launch(playwright)  # ... and comes back later
    try:
        visit = new_visit(browser, server, state)
        visit.go("scenario")
        assert visit.page.locator(".scene").inner_text() == here
        for _ in range(200):
            if "/scenario/scorecard" in visit.page.url:
                break
            follow(visit.page.locator(".choices button").first)
        assert "Your scorecard" in visit.page.content()
        visit.check("scenario-scorecard")
    finally:
        browser.close()


def test_pledge_find_yourself_and_read_the_badge_back(
    server: str, playwright: Playwright, tmp_path: pathlib.Path
) -> None:
    browser = launch(playwright)
    try:
        visit = new_visit(browser, server)
        visit.go("pledge")
        visit.check("pledge")
        page = visit.page
        page.get_by_label("Your name").fill("<script>alert(1)</script>")
        follow(page.get_by_role("button", name="Show your commitment"))
        assert "nothing was saved" in page.content()
        visit.check("pledge-refused", refused=True)
        page.get_by_label("Your name").fill("Grace Hopper")
        page.get_by_label("Organisation (optional)").fill("Navy")
        page.get_by_label("Country (optional)").fill("US")
        page.get_by_label("E-mail (optional)").fill("Grace@Example.org")
        follow(page.get_by_role("button", name="Show your commitment"))
        assert "Thank you, Grace Hopper" in page.content()
        visit.check("supporter")
        with page.expect_download() as download:
            page.get_by_role("link", name=re.compile("Open Badges")).click()
        baked = tmp_path / "badge.svg"
        download.value.save_as(baked)
        found = unbake(baked.read_bytes())
        assert found is not None
        assert found.payload["type"] == "Assertion"
        visit.go("supporters?q=Grace")
        assert "Grace Hopper" in page.content()
        visit.check("supporters")
        for path, name in (("book", "book"), ("share", "share"), ("nowhere", "not-found")):
            response = page.goto(server + path)
            assert response is not None
            visit.check(name, refused=name == "not-found")
    finally:
        browser.close()
