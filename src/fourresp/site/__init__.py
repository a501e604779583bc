"""The Four Responsibilities site, served: a reference web app built on fourresp.

``pip install "fourresp[site]"`` then ``fourresp serve``, or build the app in your
own code and serve it with any WSGI server::

    from fourresp.site import create_app

    app = create_app(db="supporters.db", secret_key=b"a long random secret")

It uses only fourresp's public API (a test checks), so it doubles as the worked
example of embedding the library in a web framework: the questionnaire (form ->
:class:`~fourresp.assessment.Response` -> :func:`~fourresp.assessment.score` ->
page), the practice scenario (one :class:`~fourresp.scenario.Runner` step per
request, the save kept in the signed session cookie), and the pledge (form ->
registry -> badge, with an Open Badges assertion baked in). ``docs/site.md``
walks through it route by route.

>>> from fourresp.site import create_app
>>> app = create_app(db=":memory:", secret_key=b"x" * 32)
>>> app.test_client().get("/").status_code
200
"""

from fourresp.site._app import SiteSettings, create_app

__all__ = ["SiteSettings", "create_app"]

# Shown as fourresp.site.SiteSettings, not the private module they live in.
SiteSettings.__module__ = create_app.__module__ = __name__
