"""xAPI 1.0.3 statements for questionnaire attempts and scenario runs.

The app sends them to its learning record store (LRS); fourresp has no HTTP
client. Every statement is checked against ``schemas/xapi-statement.schema.json``,
RFC 3987 for every IRI, and the specification's rules a schema cannot say (a raw
score within its min and max) before it is returned, so nothing invalid is ever
emitted: a value from the app that would break a rule raises
:class:`~fourresp.errors.ArgumentError`.

- :func:`agent`: the actor, identified by ``mbox``, ``mbox_sha1sum`` or an
  ``account`` (exactly one).
- :func:`questionnaire_statements`: one ``answered`` statement per answered item
  (a likert interaction; the score is the keyed score the library counts, the
  answer as given is in the ``answer`` extension), then ``completed`` when the
  attempt could be scored (completion true, the overall percent as the score) or
  ``terminated`` when it could not (completion false, no score).
- :func:`scenario_statements`: ``launched`` and ``initialized``, one ``selected``
  statement per choice (a choice interaction: the scene's choices listed by id
  and text, the chosen id as the response), then, once the run is finished,
  ``completed`` and ``passed`` or ``failed`` by the ending's verdict.

Ids are random (UUID 4) unless the app passes ``namespace``: then every id is a
UUID 5 of the namespace, the actor's identifier, the registration and the
statement's role and position, so two learners never share an id and a resend of
the same attempt is byte-identical (its timestamps then come from the attempt's
own data or one fixed datetime, never a clock).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fourresp._public import lazy

if TYPE_CHECKING:
    from fourresp.xapi._checks import validate_statement
    from fourresp.xapi._statements import questionnaire_statements, scenario_statements
    from fourresp.xapi._values import Timestamp as Timestamp
    from fourresp.xapi._values import agent
    from fourresp.xapi._vocabulary import ACTIVITY_TYPES, EXTENSIONS, VERBS
else:
    # Each name's module is imported when the name is first used (see fourresp._public).
    __getattr__, __dir__ = lazy(
        __name__,
        {
            "_checks": ("validate_statement",),
            "_statements": (
                "questionnaire_statements",
                "scenario_statements",
            ),
            "_values": (
                "Timestamp",
                "agent",
            ),
            "_vocabulary": (
                "ACTIVITY_TYPES",
                "EXTENSIONS",
                "VERBS",
            ),
        },
    )

__all__ = [
    "ACTIVITY_TYPES",
    "EXTENSIONS",
    "VERBS",
    "agent",
    "questionnaire_statements",
    "scenario_statements",
    "validate_statement",
]
