"""A community group's template confidentiality policy.

Its policy adds to the base table: consent is recorded by signed form or
e-mail, so a consent whose evidence is neither does not count; personal
details of workers, volunteers and users are never given out
(``staff.personal`` is never released by the base table).
"""
import re
from dataclasses import replace

from redactor import hookimpl
from redactor.policy.base import base_decision

ACCEPTED_EVIDENCE = re.compile(r"\b(?:sign\w*|form|e-?mail\w*)\b", re.IGNORECASE)


@hookimpl
def redactor_decide(finding, context):
    """Decide as the base table does, counting only consent with accepted evidence."""
    accepted = [c for c in context.consents if ACCEPTED_EVIDENCE.search(c.evidence)]
    if len(accepted) == len(context.consents):
        return None
    return base_decision(finding.category or "", replace(context, consents=accepted))
