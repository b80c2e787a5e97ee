"""Pattern detection through Presidio: contact details and identifiers.

Presidio reuses the spaCy Doc the pipeline already parsed, so the model
runs once per document whatever the number of recognisers.
"""
from __future__ import annotations

from typing import Any

from .. import hookimpl
from ..context import ReleaseContext
from ..model import Finding
from ..nlp import LANGUAGE, nlp_artifacts, offline_email_recognizer
from .recognizers import uk_recognizers

#: Presidio entity -> our finding kind; a plugin's own entity becomes a kind
#: of its own name in lower case, attributed like any contact detail.
KINDS = {
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "UK_POSTCODE": "postcode",
    "UK_ADDRESS": "address",
    "UK_NHS": "nhs_number",
    "UK_NINO": "ni_number",
    "DATE_OF_BIRTH": "dob",
    "SOCIAL_HANDLE": "social_handle",
    "CASE_REFERENCE": "case_reference",
    "VEHICLE_REGISTRATION": "vehicle",
}


@hookimpl
def redactor_add_recognizers(config: dict[str, Any]) -> list[Any]:
    return [*uk_recognizers(), offline_email_recognizer()]


@hookimpl
def redactor_detect(context: ReleaseContext) -> list[Finding]:
    results = context.analyzer.analyze(
        text=context.text, language=LANGUAGE,
        nlp_artifacts=nlp_artifacts(context.analyzer, context.nlp_doc))
    return [Finding(r.start, r.end, KINDS.get(r.entity_type, r.entity_type.lower()), rule=f"presidio:{r.entity_type}",
                    score=r.score)
            for r in results]
