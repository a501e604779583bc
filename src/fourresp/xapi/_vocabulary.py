"""The xAPI vocabulary fourresp speaks: verbs, activity types and result extensions."""

from __future__ import annotations

__all__ = ["ACTIVITY_TYPES", "EXTENSIONS", "VERBS"]

VERBS = {
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "terminated": "http://adlnet.gov/expapi/verbs/terminated",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "launched": "http://adlnet.gov/expapi/verbs/launched",
    "initialized": "http://adlnet.gov/expapi/verbs/initialized",
    "selected": "http://id.tincanapi.com/verb/selected",
}
ACTIVITY_TYPES = {
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "interaction": "http://adlnet.gov/expapi/activities/cmi.interaction",
    "simulation": "http://adlnet.gov/expapi/activities/simulation",
    "objective": "http://adlnet.gov/expapi/activities/objective",
}
#: One result extension per meaning, under ``<activity_base>/extensions/``:
#: ``answer``, the number answered before reverse keying (on every ``answered``);
#: ``responsibility-percent``, each responsibility's percent, or null where it had
#: too few answers (questionnaire's closing statement); ``responsibility-net-marks``,
#: each responsibility's net marks (scenario's ``completed``).
EXTENSIONS = {
    "answer": "extensions/answer",
    "responsibility-percent": "extensions/responsibility-percent",
    "responsibility-net-marks": "extensions/responsibility-net-marks",
}
