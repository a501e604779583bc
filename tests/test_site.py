"""The reference site through Flask's test client: every route, bad input too."""

from __future__ import annotations

import ast
import html
import json
import pathlib
import re
import subprocess
import sys
import time
import urllib.request

import pytest

pytest.importorskip("flask")

import fourresp
from fourresp.badges import hashed_identity, unbake
from fourresp.scenario import Runner, load_scenario
from fourresp.site import SiteSettings, create_app
from fourresp.supporters import open_registry

SITE = pathlib.Path(fourresp.__file__).parent / "site"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "supporters.db")


@pytest.fixture
def app(db):
    return create_app(db=db, secret_key=b"k" * 32, pledge_cooldown=0)


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_of(client, url="/pledge"):
    page = client.get(url).get_data(as_text=True)
    return CSRF.search(page).group(1)


def count(db):
    with open_registry(db) as registry:
        return registry.count()


def test_settings_are_checked():
    with pytest.raises(fourresp.ArgumentError, match="secret_key"):
        SiteSettings(secret_key=b"short")
    settings = SiteSettings(secret_key=b"s" * 16)
    assert "s" * 16 not in repr(settings)


def test_home_shows_every_responsibility_and_aspect_and_the_licence(client):
    page = client.get("/").get_data(as_text=True)
    from fourresp.content import load_framework

    framework = load_framework()
    for responsibility in framework.responsibilities:
        assert responsibility.heading in page
        for aspect in responsibility.aspects:
            assert aspect.title.replace("'", "&#39;") in page
    assert framework.resources.licence.url in page


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/questionnaire",
        "/questionnaire/1",
        "/questionnaire/4",
        "/questionnaire/result",
        "/scenario",
        "/pledge",
        "/supporters",
        "/book",
        "/share",
    ],
)
def test_every_page_has_the_footer_a_strict_policy_and_no_script(client, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<script" not in page.lower()
    assert "creativecommons.org/licenses/by-nc-sa/4.0" in page
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # every form control has a label (a <label> around it or one naming its id)
    for control in re.finditer(r'<input (?![^>]*type="hidden")[^>]*>', page):
        tag = control.group(0)
        ident = re.search(r'id="([^"]+)"', tag)
        inside = page.rfind("<label", 0, control.start()) > page.rfind(
            "</label>", 0, control.start()
        )
        assert inside or (ident and f'for="{ident.group(1)}"' in page), tag


def test_unknown_pages_and_methods_get_the_error_page(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert client.get("/questionnaire/0").status_code == 404
    assert client.get("/questionnaire/99").status_code == 404
    assert client.get("/scenario/choose").status_code == 405


def test_a_crash_shows_a_page_never_a_trace(app, caplog):
    app.view_functions["book"] = lambda: 1 / 0
    response = app.test_client().get("/book")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Traceback" not in page
    assert "ZeroDivisionError" not in page
    assert "Something went wrong" in page
    assert "ZeroDivisionError" in caplog.text  # the detail is in the server log


def test_forms_without_or_with_a_forged_token_are_refused(client, db):
    form = {"name": "Ada Lovelace", "public": "yes"}
    assert client.post("/pledge", data=form).status_code == 400
    assert client.post("/pledge", data={**form, "csrf": "forged"}).status_code == 400
    assert client.post("/scenario/start", data={"csrf": "forged"}).status_code == 400
    assert not pathlib.Path(db).exists() or count(db) == 0


# -- the questionnaire ----------------------------------------------------------------


def questionnaire_items():
    from fourresp.assessment import load_questionnaire
    from fourresp.content import load_framework

    questionnaire, framework = load_questionnaire(), load_framework()
    pages = [
        [i for i in questionnaire.items if framework.responsibility_of(i.aspect).id == r.id]
        for r in framework.responsibilities
    ]
    return questionnaire, pages


def test_questionnaire_keeps_answers_back_and_forth_and_allows_skips(client):
    _questionnaire, pages = questionnaire_items()
    token = csrf_of(client, "/questionnaire/1")
    first = pages[0]
    answers = {first[0].id: "4", first[1].id: "2", first[2].id: "", "go": "next", "csrf": token}
    response = client.post("/questionnaire/1", data=answers)
    assert response.status_code == 302
    assert response.location.endswith("/questionnaire/2")
    # back from page 2 without answering keeps page 1's answers
    response = client.post("/questionnaire/2", data={"go": "back", "csrf": token})
    assert response.location.endswith("/questionnaire/1")
    page = client.get("/questionnaire/1").get_data(as_text=True)
    assert re.search(rf'name="{first[0].id}" value="4" checked', page)
    assert re.search(rf'name="{first[1].id}" value="2" checked', page)
    assert re.search(rf'name="{first[2].id}" value="" checked', page)  # skipped
    # a value off the scale counts as a skip, never as an answer
    client.post("/questionnaire/1", data={first[0].id: "99", "go": "next", "csrf": token})
    page = client.get("/questionnaire/1").get_data(as_text=True)
    assert re.search(rf'name="{first[0].id}" value="" checked', page)


def answer_everything(client, value="4"):
    _questionnaire, pages = questionnaire_items()
    token = csrf_of(client, "/questionnaire/1")
    for number, items in enumerate(pages, start=1):
        data = {item.id: value for item in items}
        data.update(go="next" if number < len(pages) else "result", csrf=token)
        response = client.post(f"/questionnaire/{number}", data=data)
        assert response.status_code == 302
    return response


def test_questionnaire_result_and_downloads(client):
    response = answer_everything(client)
    assert response.location.endswith("/questionnaire/result")
    page = client.get("/questionnaire/result").get_data(as_text=True)
    assert "Overall:" in page
    assert "What you do well" in page
    assert 'src="/questionnaire/result.svg"' in page
    chart = client.get("/questionnaire/result.svg")
    assert chart.mimetype == "image/svg+xml"
    assert chart.data.startswith(b"<svg")
    markdown = client.get("/questionnaire/result.md")
    assert markdown.mimetype == "text/markdown"
    assert b"#" in markdown.data
    assert "attachment" in markdown.headers["Content-Disposition"]
    document = json.loads(client.get("/questionnaire/result.json").data)
    assert document["kind"] == "result"
    assert document["overall"]["status"] == "scored"
    result = fourresp.load(document)
    assert result.overall.percent is not None
    assert client.get("/questionnaire/badge.svg").data.startswith(b"<svg")
    # start again clears the answers
    token = csrf_of(client, "/questionnaire")
    client.post("/questionnaire/reset", data={"csrf": token})
    assert "Too few statements" in client.get("/questionnaire/result").get_data(as_text=True)


# -- the scenario -----------------------------------------------------------------------


def scene_choices(page):
    return re.findall(r'name="choice" value="([^"]+)"', page)


def test_scenario_plays_undoes_and_resumes_from_the_cookie(app, client):
    token = csrf_of(client, "/scenario")
    assert client.post("/scenario/start", data={"csrf": token}).status_code == 302
    page = client.get("/scenario").get_data(as_text=True)
    first = scene_choices(page)
    assert first
    client.post("/scenario/choose", data={"choice": first[0], "csrf": token})
    after = client.get("/scenario").get_data(as_text=True)
    assert "Your mentor says" in after or "Decisions so far: 1" in after
    client.post("/scenario/undo", data={"csrf": token})
    assert scene_choices(client.get("/scenario").get_data(as_text=True)) == first
    client.post("/scenario/choose", data={"choice": first[-1], "csrf": token})
    here = client.get("/scenario").get_data(as_text=True)
    # a new client with the same cookie (the browser closed and opened again) resumes
    cookie = client.get_cookie("session")
    again = app.test_client()
    again.set_cookie("session", cookie.value)
    assert again.get("/scenario").get_data(as_text=True) == here


def test_scenario_refuses_a_choice_that_is_not_open(client):
    token = csrf_of(client, "/scenario")
    client.post("/scenario/start", data={"csrf": token})
    assert (
        client.post("/scenario/choose", data={"choice": "nope", "csrf": token}).status_code == 400
    )
    assert client.post("/scenario/choose", data={"csrf": token}).status_code == 400


def test_scenario_plays_to_the_scorecard(client):
    token = csrf_of(client, "/scenario")
    client.post("/scenario/start", data={"csrf": token})
    for _ in range(200):
        response = client.get("/scenario")
        if response.status_code == 302:
            break
        choices = scene_choices(response.get_data(as_text=True))
        client.post("/scenario/choose", data={"choice": choices[-1], "csrf": token})
    assert response.location.endswith("/scenario/scorecard")
    page = client.get("/scenario/scorecard").get_data(as_text=True)
    assert "Your scorecard" in page
    assert "Play again" in page
    assert client.get("/scenario/scorecard.svg").data.startswith(b"<svg")
    client.post("/scenario/start", data={"csrf": token})
    assert scene_choices(client.get("/scenario").get_data(as_text=True))


def test_a_tampered_or_stale_save_starts_afresh(app, client):
    client.set_cookie("session", "not-a-signed-cookie")
    assert "Start the scenario" in client.get("/scenario").get_data(as_text=True)
    assert client.get("/scenario/scorecard").status_code == 302
    assert client.get("/scenario/scorecard.svg").status_code == 404


# -- the pledge and the supporters ---------------------------------------------------------


def pledge(client, **fields):
    data = {"name": "Ada Lovelace", "email": "Ada@Example.org", "public": "yes", "country": "gb"}
    data.update(fields)
    data["csrf"] = csrf_of(client)
    return client.post("/pledge", data={k: v for k, v in data.items() if v is not None})


def test_a_pledge_twice_with_one_email_is_one_supporter(client, db):
    first = pledge(client)
    assert first.status_code == 302
    page = client.get(first.location).get_data(as_text=True)
    assert "Thank you, Ada Lovelace" in page
    second = pledge(client, name="Ada King")
    assert count(db) == 1
    assert "already a supporter" in client.get(second.location).get_data(as_text=True)


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"name": "<script>alert(1)</script>"}, "name", ""),
        ({"name": ""}, "name", ""),
        ({"email": "not-an-address"}, "email", ""),
        ({"country": "XX"}, "country", ""),
        ({"name": "x" * 500}, "name", ""),
    ],
)
def test_bad_pledges_reshow_the_form_with_located_errors_and_write_nothing(
    client, db, fields, field, words
):
    response = pledge(client, **fields)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "nothing was saved" in page
    assert f'id="e-{field}"' in page
    assert 'aria-invalid="true"' in page
    assert "<script>alert" not in page  # what was typed is shown, escaped
    assert not pathlib.Path(db).exists() or count(db) == 0


def test_pledges_from_one_address_wait_out_the_cooldown(db):
    client = create_app(db=db, secret_key=b"k" * 32, pledge_cooldown=60).test_client()
    assert pledge(client).status_code == 302
    response = pledge(client, email="grace@example.org", name="Grace Hopper")
    assert response.status_code == 429
    assert "Please wait" in response.get_data(as_text=True)
    assert count(db) == 1


def test_the_supporters_badges_and_the_baked_assertion(client):
    location = pledge(client).location
    token = location.rsplit("/", 1)[1].split("?")[0]
    assert client.get(f"/supporter/{token}/badge.svg").data.startswith(b"<svg")
    png = client.get(f"/supporter/{token}/badge.png")
    assert png.status_code in (200, 404)
    if png.status_code == 200:
        assert png.data.startswith(b"\x89PNG")
    baked = client.get(f"/supporter/{token}/badge-baked.svg")
    found = unbake(baked.data)
    assert found is not None
    assertion = found.payload
    recipient = assertion["recipient"]
    assert recipient["identity"] == hashed_identity("Ada@Example.org", recipient["salt"])
    # the assertion, the badge class and the issuer are hosted at their ids
    hosted = client.get(assertion["id"].replace("http://localhost", ""))
    assert json.loads(hosted.data) == assertion
    badge_class = json.loads(client.get("/openbadges/supporter.json").data)
    assert badge_class["id"] == assertion["badge"]
    issuer = json.loads(client.get("/openbadges/issuer.json").data)
    assert issuer["id"] == badge_class["issuer"]
    assert client.get("/emblem.svg").data.startswith(b"<svg")
    assert client.get("/supporter/forged-token").status_code == 404
    assert client.get("/supporter/forged-token/badge.svg").status_code == 404


def test_a_pledge_without_email_has_no_baked_badge(client):
    location = pledge(client, email="").location
    token = location.rsplit("/", 1)[1].split("?")[0]
    page = client.get(location).get_data(as_text=True)
    assert "baked in" not in page
    assert client.get(f"/supporter/{token}/badge-baked.svg").status_code == 404


def test_the_list_search_and_paging(db):
    client = create_app(db=db, secret_key=b"k" * 32, pledge_cooldown=0, page_size=2).test_client()
    for number, name in enumerate(["Ümit Kaya", "Ada Lovelace", "Grace Hopper"]):
        pledge(client, name=name, email=f"p{number}@example.org")
    pledge(client, name="Private Person", email="private@example.org", public=None)
    page = client.get("/supporters").get_data(as_text=True)
    assert "3 people have pledged" in page
    assert "Private Person" not in page
    more = re.search(r'href="(/supporters\?cursor=[^"]+)"', page)
    assert more is not None
    rest = client.get(more.group(1).replace("&amp;", "&")).get_data(as_text=True)
    names = [n for n in ("Ümit Kaya", "Ada Lovelace", "Grace Hopper") if n in page + rest]
    assert len(names) == 3
    found = client.get("/supporters?q=Grace").get_data(as_text=True)
    assert "Grace Hopper" in found
    assert "Ada Lovelace" not in found
    assert "No supporter" in client.get("/supporters?q=Zed").get_data(as_text=True)
    assert client.get("/supporters?cursor=garbage").status_code in (200, 404)


def test_withdrawal_by_the_secret_link(client, db):
    location = pledge(client).location
    page = client.get(location).get_data(as_text=True)
    link = re.search(r'href="(/withdraw/[^"]+)"', page).group(1)
    assert "Withdraw my pledge" in client.get(link).get_data(as_text=True)
    assert client.post(link, data={"csrf": "forged"}).status_code == 400
    assert count(db) == 1
    token = csrf_of(client, link)
    assert "withdrawn" in client.post(link, data={"csrf": token}).get_data(as_text=True)
    assert count(db) == 0
    assert client.get(location).status_code == 404
    assert client.get("/withdraw/forged").status_code == 404


def test_book_and_share(client):
    from fourresp.content import load_framework

    resources = load_framework().resources
    assert resources.book.title in client.get("/book").get_data(as_text=True)
    share = client.get("/share").get_data(as_text=True)
    assert "%23FourResponsibilities" in share
    assert "#FourResponsibilities" in share


# -- the rules the app is built by -------------------------------------------------------


def test_the_site_uses_only_the_public_api():
    for path in SITE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "fourresp" and parts[1:2] != ["site"]:
                    assert not any(p.startswith("_") for p in parts[1:]), f"{path.name}: {name}"


def test_the_page_shows_the_runners_order_and_text_for_this_run(client):
    runner = Runner(load_scenario())
    token = csrf_of(client, "/scenario")
    client.post("/scenario/start", data={"csrf": token})
    for _ in range(3):
        page = client.get("/scenario").get_data(as_text=True)
        with client.session_transaction() as session:
            run = runner.resume(session["run"])  # the save the cookie holds
        shown = scene_choices(page)
        assert shown == [choice.id for choice in runner.choices(run)]
        first_paragraph = runner.text(run).split("\n\n")[0]
        assert first_paragraph in html.unescape(page)
        client.post("/scenario/choose", data={"choice": shown[0], "csrf": token})


def test_runs_get_their_own_seed_so_the_order_varies(app):
    orders = set()
    for _ in range(12):
        client = app.test_client()
        token = csrf_of(client, "/scenario")
        client.post("/scenario/start", data={"csrf": token})
        orders.add(tuple(scene_choices(client.get("/scenario").get_data(as_text=True))))
    assert len(orders) > 1


def test_serve_answers_every_page_on_localhost(tmp_path):
    env_db = str(tmp_path / "served.db")
    process = subprocess.Popen(
        [sys.executable, "-m", "fourresp", "serve", "--db", env_db, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line + process.stderr.read()
        base = match.group(0)
        for path in (
            "",
            "questionnaire",
            "questionnaire/1",
            "scenario",
            "pledge",
            "supporters",
            "book",
            "share",
            "emblem.svg",
        ):
            for _attempt in range(50):
                try:
                    with urllib.request.urlopen(base + path, timeout=10) as response:
                        assert response.status == 200, path
                    break
                except ConnectionError:
                    time.sleep(0.1)
        assert pathlib.Path(env_db + ".secret").stat().st_mode & 0o077 == 0
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
        process.stderr.close()
