"""Day-Mer, a drug and alcohol service.

Its policy adds to the base table: when a report shows that the client is
pregnant and using drugs or alcohol, the service must inform the maternity
social work department, whoever the report is for, so the release raises
the ``maternity_social_work`` notice for the reviewing manager.
"""
import re

from redactor import hookimpl
from redactor.model import Notice

PREGNANCY = re.compile(r"\b(?:pregnan\w*|expecting a baby|unborn|antenatal|due date|weeks gone)\b", re.IGNORECASE)
CLIENT_SUBSTANCE_USE = "special.substance_use"


@hookimpl
def redactor_notices(context):
    uses = any(f.category == CLIENT_SUBSTANCE_USE for f in context.findings)
    if uses and PREGNANCY.search(context.text):
        return [Notice("maternity_social_work",
                       "This report shows a pregnant client using drugs or alcohol. Day-Mer's policy requires "
                       "the maternity social work department to be informed; check that it has been.")]
    return []
