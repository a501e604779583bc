"""Fitting into the learning-technology ecosystem: SurveyJS and Twine (Twee 3).

- :func:`to_surveyjs` / :func:`from_surveyjs`: a questionnaire as SurveyJS survey
  JSON (with calculated values that preview fourresp's scores, empty where
  fourresp's would be "insufficient"), and SurveyJS results back as a response
  for authoritative scoring (a :class:`SurveyImport`, listing the keys it left
  aside).
- :func:`to_twee` / :func:`from_twee`: a scenario as a Twine story, and back,
  losslessly.

xAPI statements for a learning record store are in :mod:`fourresp.xapi`.
"""

from typing import TYPE_CHECKING

from fourresp._public import lazy

if TYPE_CHECKING:
    from fourresp.exchange._surveyjs import (
        SurveyImport,
        from_surveyjs,
        responsibility_expression,
        to_surveyjs,
    )
    from fourresp.exchange._twee import from_twee
    from fourresp.exchange._twee_export import to_twee
else:
    # Each name's module is imported when the name is first used (see fourresp._public).
    __getattr__, __dir__ = lazy(
        __name__,
        {
            "_surveyjs": (
                "SurveyImport",
                "from_surveyjs",
                "responsibility_expression",
                "to_surveyjs",
            ),
            "_twee": ("from_twee",),
            "_twee_export": ("to_twee",),
        },
    )

__all__ = [
    "SurveyImport",
    "from_surveyjs",
    "from_twee",
    "responsibility_expression",
    "to_surveyjs",
    "to_twee",
]
