"""Default attribution: whose is each finding, and so which policy category.

- A name belongs to the person it names.
- A contact detail or identifier belongs to whoever the sentence ties it
  to: "my personal mobile" is staff's, "contact me at Day-Mer on..." and a
  letterhead are professional, otherwise the nearest person named before
  it in its sentence (or the person a "her"/"his" points back to). The
  ordered rules are in `details.py`; the index of who is named where in
  `mentions.py`.
- A special-category sentence, or one about someone's private circumstances
  (debts, an eviction), is about its grammatical subject.
- A sentence about the writer's own life ("my own son is in her class") is
  a member of staff's personal detail.

Anything that cannot be tied to anyone is treated as a third party's, which
the base policy never releases: not knowing whose a phone number is must
never be a reason to let it go.
"""
from __future__ import annotations

import re

from .. import hookimpl
from ..context import ReleaseContext
from ..detectors.places import RESIDENCE_RULE, address_and_institution_spans
from ..detectors.recognizers import STREET_NAME, WELSH_STREET
from ..detectors.special import SETTING_RULE, SPEECH
from ..model import CIRCUMSTANCES, STAFF_LIFE, Attribution, Finding
from ..subjects import about, person_findings, speaker
from .details import HOME_WORD, IDENTIFIER_KINDS, block_subject, owner_of_detail
from .mentions import register_match, role_of, sentence_of

CONTACT_KINDS = frozenset({"phone", "email", "address", "postcode", "social_handle", "school", "workplace",
                           "home_area", "place", "vehicle"})
#: Where a client can be found, rather than how to contact her.
CLIENT_LOCATION_KINDS = frozenset({"school", "place", "home_area"})
#: "telephoned one of our volunteers, Yasmin, at home on 01632...": a worker's home number.
AT_HOME = re.compile(r"\b(?:at\s+home|home\s+(?:number|phone|landline|tel))\b[^.;]*$", re.IGNORECASE)
FIRST_PERSON = re.compile(r"\b(?:I|my|me)\b")
ROLE_CATEGORY = {"client": "client.identity", "third_party": "third_party.identity",
                 "professional": "professional", "staff": "professional", "staff_family": "staff.personal"}


def _detail_key(context: ReleaseContext, finding: Finding) -> str:
    value = context.text[finding.start:finding.end]
    digits = re.sub(r"\D", "", value)
    return digits if finding.kind == "phone" and len(digits) >= 9 else re.sub(r"\W+", " ", value).strip().lower()


def _work_details(context: ReleaseContext) -> set[str]:
    """Details shown somewhere in the document to be an organisation's: the
    same number or address is then a work one wherever else it appears."""
    if "work_details" not in context.scratch:
        context.scratch["work_details"] = {
            _detail_key(context, f) for f in context.findings
            if f.kind in CONTACT_KINDS and owner_of_detail(f, context)[0] == "professional"}
    return context.scratch["work_details"]


def _sentence_owner(context: ReleaseContext, finding: Finding) -> tuple[str, str | None]:
    """(role, person) a special-category sentence is about: a third party if
    any of its sensitive words is about one, else the client."""
    if finding.rule == SETTING_RULE:
        key = speaker(context, finding.start, finding.end, SPEECH)
        role = role_of(context, key) or "client"
        return (role, key) if role != "staff" else ("professional", key)
    keys = about(context, finding.start, finding.end, finding.kind)
    third = sorted(k for k in keys if role_of(context, k) in ("third_party", "staff_family"))
    if third:
        return "third_party", third[0]
    if not keys and (owner := block_subject(context, finding.start)) and role_of(context, owner) == "third_party":
        return "third_party", owner  # "SECTION 3: PERPETRATOR / Name: ... / Previous: convicted of ABH"
    if not keys and finding.kind != CIRCUMSTANCES:
        # no clause says whose it is: a sentence naming only third parties is about them (but "the
        # arrears built up after his husband died" are the client's: circumstances need a subject)
        named = {f.person for f in person_findings(context) if finding.start <= f.start < finding.end}
        roles = {context.people[k].role for k in named if k in context.people}
        if roles == {"third_party"}:
            return "third_party", sorted(named)[0]
    return "client", "client"


def _names_a_street(place: str) -> bool:
    """"Sorrel Way", "Tŷ Gwyn, Lôn Isaf": one home's street, not a town many addresses share."""
    return bool(re.fullmatch(STREET_NAME, place) or WELSH_STREET.search(place))


def _in_an_address(context: ReleaseContext, finding: Finding) -> bool:
    """Whether the place's name is part of some street address or institution in the document."""
    town = re.compile(rf"\b{re.escape(context.text[finding.start:finding.end])}\b")
    return any(town.search(context.text, start, end) for start, end in address_and_institution_spans(context))


@hookimpl
def redactor_attribute(finding: Finding, context: ReleaseContext) -> Attribution:
    if finding.kind == "term":
        return Attribution("manual", reason="named by the person releasing it")
    if finding.kind == "person":
        person = context.people.get(finding.person or "")
        role = person.role if person else "third_party"
        return Attribution(ROLE_CATEGORY[role], finding.person, f"a name of a {role.replace('_', ' ')}")
    if finding.kind == STAFF_LIFE:
        return Attribution("staff.personal", reason="the writer's own life, told in passing")
    if finding.kind.startswith("special.") or finding.kind == CIRCUMSTANCES:
        role, key = _sentence_owner(context, finding)
        if role == "professional":
            return Attribution("professional", key, "what a professional said, not the client's disclosure")
        if role == "third_party":
            return Attribution("third_party.special", key, "the sentence is about a third party")
        category = "client.circumstances" if finding.kind == CIRCUMSTANCES else finding.kind
        return Attribution(category, key, "the sentence is about the client")
    # Contact details, identifiers, and any kind a plugin's recogniser adds:
    # whoever the text ties them to.
    role, key, reason = owner_of_detail(finding, context)
    if role in ("client", "third_party") and finding.kind in CONTACT_KINDS and not register_match(finding, context) \
            and _detail_key(context, finding) in _work_details(context):
        role, key, reason = "professional", None, "given elsewhere in the report as a work contact detail"
    if finding.kind == "home_area" and FIRST_PERSON.search(context.text[slice(*sentence_of(context, finding.start))]):
        role, key, reason = "staff", None, "the writer's own way home"
    if role == "professional" and (finding.kind in ("home_area", "place") or (
            finding.kind in ("address", "postcode")
            and HOME_WORD.search(context.text[sentence_of(context, finding.start)[0]:finding.start]))):
        role, reason = "staff", "where a member of staff lives or goes home"
    if role == "professional" and finding.kind in ("phone", "email") \
            and AT_HOME.search(context.text, max(0, finding.start - 30), finding.start):
        role, reason = "staff", "a member of staff's number at home"
    if role == "client" and finding.rule == RESIDENCE_RULE and _in_an_address(context, finding) \
            and not _names_a_street(context.text[finding.start:finding.end]):
        # "Sarah lives in Worcester" where the service's address is in Worcester: a shared town (a street
        # names one home, shared or not)
        role, reason = "professional", "a town the report's addresses share says nothing about one person"
    if role == "professional":
        return Attribution("professional", key, reason)
    if role in ("staff", "staff_family"):
        return Attribution("staff.personal", key, reason)
    if role == "client":
        if finding.kind in CLIENT_LOCATION_KINDS:
            return Attribution("special.location", key, reason)
        return Attribution("client.identifiers" if finding.kind in IDENTIFIER_KINDS else "client.contact",
                           key, reason)
    return Attribution("third_party.contact", key, reason)

