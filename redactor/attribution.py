"""Default attribution: whose is each finding, and so which policy category.

- A name belongs to the person it names.
- A contact detail or identifier belongs to whoever the sentence ties it
  to: "my personal mobile" is staff's, "contact me at Day-Mer on..." and a
  letterhead are professional, otherwise the nearest person named before
  it in its sentence (or the person a "her"/"his" points back to).
- A special-category sentence is about its grammatical subject.

Anything that cannot be tied to anyone is treated as a third party's, which
the base policy never releases: not knowing whose a phone number is must
never be a reason to let it go.
"""
from __future__ import annotations

import bisect
import re

from . import hookimpl
from .context import ReleaseContext
from .model import Attribution, Finding
from .detectors.people import ROLE_PATTERN
from .detectors.special import ORGANISATION_NAME, SETTING_RULE, SPEECH
from .subjects import UNNAMED, UNNAMED_PEOPLE, about, owner_of_span, person_findings, pronoun_referent, speaker

CONTACT_KINDS = frozenset({"phone", "email", "address", "postcode", "social_handle", "school", "workplace",
                           "home_area", "place"})
#: Where a client can be found, rather than how to contact her.
CLIENT_LOCATION_KINDS = frozenset({"school", "place", "home_area"})
#: Details an organisation named just before them can own ("Day-Mer, 12 Sansome Walk").
ORG_OWNED_KINDS = frozenset({"phone", "email", "address", "postcode"})
#: Details that say where someone lives, works or studies, which the clause around them ties to a person.
PLACE_KINDS = frozenset({"address", "school", "workplace", "place", "home_area"})
IDENTIFIER_KINDS = frozenset({"dob", "nhs_number", "ni_number", "case_reference"})
MY_OWN = re.compile(r"\bmy\s+(?:own|personal|private|home)\b|\b(?:me|us)\s+at\s+home\b|\bmy\s+(?:mobile|number|phone)\b|"
                    r"\bmy\s+(?:route|way|walk|journey|drive)\s+(?:home|back)\b|"
                    r"\bI\s+(?:usually\s+|often\s+|always\s+)?(?:drive|walk|cycle|run|go|get\s+the\s+bus)\s+home\b|"
                    r"\bmy\s+(?:\w+\s+)?(?:account|profile|page|handle|facebook|instagram|tiktok|twitter|"
                    r"snapchat|whatsapp)\b|\bI\s+(?:live|lived|am\s+living)\b|\bour\s+(?:own\s+)?(?:house|home|flat)\b|"
                    r"\bI\s+(?:\w+\s+){0,3}(?:get|go|walk|drive|cycle)\s+home\b|"
                    r"\bmy\s+(?:own\s+)?(?:husband|wife|partner|son|daughter|children|kids|child|family|mum|dad|mother|"
                    r"father)(?:['’]s)?\b|"
                    r"\b(?:staff|worker|colleague|volunteer)['’]s?\s+(?:own\s+|personal\s+|private\s+|home\s+)",
                    re.IGNORECASE)
THEIR_OWN = re.compile(r"(?:\b(?:her|his|their)|['’]s)\s+(?:own\s+)?(?:personal|private|home|own|route\s+home|way\s+home|"
                       r"(?:\w+\s+)?(?:account|profile|page|handle))\b",
                       re.IGNORECASE)
#: A signature or letterhead line: a job title or an organisation named before the detail.
WORK_ROLE = re.compile(ROLE_PATTERN.pattern, re.IGNORECASE)
WORK_ORG = re.compile(r"\b(?:Network|Service|Services|Association|Trust|Council|Hub|Team|Centre|Homes|Housing|"
                      r"Surgery|Practice|Police|Project|Charity|Ltd|Limited|Partnership|Foundation|Society|Office|"
                      r"Hospital|Clinic|Court)\b")
#: "... on Malpas Road, which is on my route home": said of the detail just after it.
MY_OWN_AFTER = re.compile(r"[^.;]{0,40}\b(?:my\s+(?:own\s+)?(?:route|way|walk|journey|drive|bus|train)\s+home|"
                          r"where\s+I\s+(?:live|catch|get|park)|near\s+my\s+(?:home|house)|"
                          r"(?:is|was)\s+my\s+(?:own|personal|private|home)\s+(?:phone|mobile|number|line|landline|e-?mail))\b",
                          re.IGNORECASE)
CONTACT_WORD = re.compile(r"\b(?:mobile|phone|tel|telephone|e-?mail|contact|number|address|date of birth|DOB|"
                          r"NHS|National Insurance|NI)\b", re.IGNORECASE)
FIRST_PERSON = re.compile(r"\b(?:I|my|me)\b")
#: "His mobile is ...": a sentence that starts by saying whose the detail is.
LEADING_POSSESSIVE = re.compile(r"\s*(?:[\d.]+\s+)?(his|her|their)\b", re.IGNORECASE)
#: "to his flat on Main Street", "her number is": a possessive just before the detail says whose it is.
NEAR_POSSESSIVE = re.compile(r"\b(his|her|their)\s+(?:[a-z-]+\s+){0,2}(?:on|in|at|is|was|of)?\s*:?\s*$", re.IGNORECASE)
#: "Both children attend Oakapple School", "her mother's house at 2 Pludds Court": a relative
#: named only by relationship, a few words before the detail, owns it.
RELATIVE_LEAD = re.compile(r"\b(?P<who>" + "|".join(sorted((re.escape(w) for w in UNNAMED_PEOPLE - {"colleague"}),
                                                          key=len, reverse=True))
                           + r")(?:s|['’]s?)?(?:\s+[\w'’-]+){1,3}?\s*:?\s*$", re.IGNORECASE)
#: "..., which she believes is Mr Mottram's new number": whose it is, said just after it.
SAID_TO_BE_THEIRS = re.compile(r"[^.;]{0,50}?\b(?:is|was|are)\s+(?P<owner>(?:[A-Z][\w'’-]*\s+){0,2}[A-Z][\w'’-]*)['’]s\s+"
                               r"(?:\w+\s+)?(?:number|mobile|phone|landline|e-?mail|address)\b")
#: Lower case on purpose: "Grove House" is an office building, "her house" a home.
HOME_WORD = re.compile(r"\b(?:flat|house|home|lives?|living)\b")
#: E-mail domains of the NHS, government, police, councils, courts, schools and universities.
AGENCY_DOMAIN = re.compile(r"(?:^|\.)(?:nhs|gov|police|pnn|council|cafcass|probation|justice|court|sch|ac)\.",
                           re.IGNORECASE)
PO_BOX = re.compile(r"(?:PO|P\.O\.)\s+Box\b", re.IGNORECASE)
PERSONAL_DETAIL = re.compile(r"\b(?:personal|private)\s+(?:mobile|phone|number|e-?mail|whatsapp|facebook|"
                             r"instagram|account|address)\b|\bhome\s+(?:landline|phone|telephone|number|mobile|e-?mail)\s+of\b",
                             re.IGNORECASE)
PERSONAL_GENDER = {"her": "f", "his": "m", "she": "f", "he": "m"}
#: "He attends the Ty Canol day service": a pronoun earlier in the detail's sentence.
SENTENCE_PRONOUN = re.compile(r"\b(he|she|his|her|they|their)\b", re.IGNORECASE)
PLURAL = frozenset({"they", "their", "them"})
#: An organisation named this close before a detail ("Day-Mer on 01632...") owns it.
ORG_REACH = 20
#: A line this short is a field of a details block ("NHS number 186 091 3903").
SHORT_LINE = 90
PROFESSIONAL_CUE = re.compile(
    r"\b(?:contact\s+(?:me|us)|call\s+(?:me|us)|reach\s+(?:me|us)|(?:the|our|my)\s+office|"
    r"office\s+(?:number|line|phone|hours)|switchboard|duty\s+line|helpline|sent\s+(?:by\s+[\w\s-]+\s+)?to|"
    r"copied\s+to|copy\s+to|"
    r"reception|main\s+line|direct\s+line|work\s+(?:phone|mobile|number)|our\s+(?:number|address)|PO\s+Box|To:|"
    r"based\s+at)\b", re.IGNORECASE)
PRONOUN = re.compile(r"\b(?:her|his|their|she|he|they)\b", re.IGNORECASE)
ROLE_CATEGORY = {"client": "client.identity", "third_party": "third_party.identity",
                 "professional": "professional", "staff": "professional", "staff_family": "staff.personal"}


class Mentions:
    """People and organisations named in a document, in order, for lookups by offset."""

    def __init__(self, context: ReleaseContext) -> None:
        spans = [(f.start, f.end, context.people[f.person].role, f.person)
                 for f in context.findings if f.kind == "person" and f.person in context.people]
        spans += [(e.start_char, e.end_char, "professional", None)
                  for e in context.nlp_doc.ents if e.label_ in ("ORG", "FAC") and ORGANISATION_NAME.search(e.text)
                  and not any(s < e.end_char and e.start_char < t for s, t, _, _ in spans)]
        self.spans = sorted(spans, key=lambda s: (s[0], s[1]))
        self.starts = [s[0] for s in self.spans]

    def before(self, offset: int, floor: int) -> list[tuple[int, int, str, str | None]]:
        """Mentions ending at or before `offset` and starting at or after `floor`, nearest first."""
        index = bisect.bisect_left(self.starts, offset)
        return [m for m in reversed(self.spans[:index]) if m[1] <= offset and m[0] >= floor]

    def after(self, offset: int, ceiling: int) -> list[tuple[int, int, str, str | None]]:
        index = bisect.bisect_left(self.starts, offset)
        return [m for m in self.spans[index:] if m[1] <= ceiling]

    def first_person_start(self) -> int:
        return next((s for s, _, role, key in self.spans if key is not None), 1 << 60)


def mentions_of(context: ReleaseContext) -> Mentions:
    """The mention index of a context, built once per document."""
    if "mentions" not in context.scratch:
        context.scratch["mentions"] = Mentions(context)
    return context.scratch["mentions"]


def sentence_of(context: ReleaseContext, offset: int) -> tuple[int, int]:
    starts = [s for s, _ in context.sentences]
    index = bisect.bisect_right(starts, offset) - 1
    if index >= 0 and offset < context.sentences[index][1]:
        return context.sentences[index]
    return offset, offset


def _register_match(finding: Finding, context: ReleaseContext) -> bool:
    """Whether the finding overlaps something the client register says is the client's."""
    if "register_spans" not in context.scratch:
        context.scratch["register_spans"] = [(f.start, f.end) for f in context.findings
                                             if f.rule.startswith("client_register:")]
    return any(start < finding.end and finding.start < end for start, end in context.scratch["register_spans"])


def _person_in_handle(value: str, context: ReleaseContext) -> str | None:
    """The person whose names an e-mail address or handle spells most of (hyphens and
    apostrophes dropped: "t.ruddockhale" is Tom Ruddock-Hale; "dafydd.hopkins" is Dafydd
    Hopkins, not the client Eleri Hopkins)."""
    local = re.split(r"@", value.lstrip("@"))[0].lower()
    best, best_score = None, 0
    for key, person in context.people.items():
        names = {re.sub(r"[-'’]", "", w.lower()) for name in person.names for w in name.split() if len(w) >= 3}
        if key == "client":
            names |= {re.sub(r"[-'’]", "", w.lower()) for w in [context.client.name, *context.client.aliases]
                      for w in w.split() if len(w) >= 3}
        # a name of four letters or more may run on into the rest of a handle: "kellyd.bristol"
        score = sum(1 for n in names if re.search(rf"(?<![a-z]){re.escape(n)}" + ("" if len(n) >= 4 else "(?![a-z])"),
                                                  local))
        if score > best_score:
            best, best_score = key, score
    return best


def _fitting_person(context: ReleaseContext, mentions: Mentions, before: int, gender: str | None,
                    plural: bool = False, known: bool = False) -> tuple[int, int, str, str | None] | None:
    """The nearest person named before `before` whose gender fits a pronoun (is known to,
    with `known`); "they" and "their" stand for others than the client."""
    fits = (gender,) if known else (None, gender)
    for mention in mentions.before(before, max(0, before - 600)):
        person = context.people.get(mention[3] or "")
        if person and (gender is None or person.gender in fits) and not (plural and mention[3] == "client"):
            return mention
    return None


def _in_letterhead(context: ReleaseContext, finding: Finding) -> bool:
    """Whether the detail is in the document's first block of lines and that block names no client
    or third party: the sender's letterhead, or the addressee's block of a letter."""
    first_break = context.text.find("\n\n")
    if first_break < 0 or finding.start > first_break:
        return False
    return not any(f.start < first_break and f.person and context.people.get(f.person)
                   and context.people[f.person].role in ("client", "third_party")
                   and f.kind == "person" and len(context.text[f.start:f.end]) > 5
                   for f in context.findings)


def _fits_client(context: ReleaseContext, gender: str | None) -> bool:
    client = context.people.get("client")
    return gender is None or client is None or client.gender in (None, gender)


def _paragraph_start(text: str, offset: int) -> int:
    blank = text.rfind("\n\n", 0, offset)
    return blank + 2 if blank >= 0 else 0


def _owner_of_detail(finding: Finding, context: ReleaseContext) -> tuple[str, str | None, str]:
    """(role, person, reason) for a contact detail or identifier."""
    if finding.person == "client" or _register_match(finding, context):
        return "client", "client", "matches the client register"
    text = context.text
    value = text[finding.start:finding.end]
    sent_start, sent_end = sentence_of(context, finding.start)
    lead_start = max(sent_start, finding.start - 80)
    lead = text[lead_start:finding.start]
    if MY_OWN.search(lead) or MY_OWN_AFTER.match(text[finding.end:sent_end]):
        return "staff", None, "a member of staff's own contact detail"
    if PO_BOX.match(value):
        return "professional", None, "a PO box is an organisation's address"
    if finding.kind == "email" and AGENCY_DOMAIN.search(value.rsplit("@", 1)[-1]):
        return "professional", None, "an agency's e-mail domain"
    if finding.kind in ("email", "social_handle"):
        named = _person_in_handle(value, context)
        if named:
            role = context.people[named].role
            personal = finding.kind == "social_handle" or THEIR_OWN.search(lead) or PERSONAL_DETAIL.search(lead)
            return ("staff" if role == "professional" and personal else role), named, \
                "the address or handle carries the person's name"
        if THEIR_OWN.search(lead) or PERSONAL_DETAIL.search(lead):  # "his own personal e-mail, bilal.r@...": not hers
            return "staff", None, "a personal address that does not carry the client's name"
    line_start = text.rfind("\n", 0, finding.start) + 1
    mentions = mentions_of(context)
    org_reach = ORG_REACH if finding.kind in ORG_OWNED_KINDS else -1
    nearest = [m for m in mentions.before(finding.start, sent_start)
               if (m[3] is not None or finding.start - m[1] <= org_reach)
               and not (finding.kind in IDENTIFIER_KINDS and m[2] == "professional")]
    people = [m for m in nearest if m[3] is not None]
    own = THEIR_OWN.search(lead) or PERSONAL_DETAIL.search(lead)
    if own:
        staff = [m for m in people if m[2] in ("professional", "staff")]
        pronoun = PERSONAL_GENDER.get(own.group(0).split()[0].lower())
        if staff or not people or (people[0][3] == "client" and not _fits_client(context, pronoun)):
            return "staff", staff[0][3] if staff else None, "a member of staff's own contact detail"
    lead_in = text[max(line_start, sent_start):finding.start]
    cues = list(PROFESSIONAL_CUE.finditer(lead_in))
    # "from our office to her flat on Alexandra Road": a home named after the cue is not the office
    if cues and not HOME_WORD.search(lead_in[cues[-1].end():]):
        if not nearest or nearest[0][2] in ("professional", "staff", "client"):
            return "professional", None, "a work contact detail"
    line_end = text.find("\n", finding.end)
    line_length = (line_end if line_end >= 0 else len(text)) - line_start
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    if PO_BOX.search(line):
        return "professional", None, "on a line with an organisation's PO box"
    # a signature or letterhead line as a whole; in running text, the detail's own sentence
    work_from = line_start if line_length <= 2 * SHORT_LINE else sent_start
    work_words = [m.end() for pattern in (WORK_ROLE, WORK_ORG) for m in pattern.finditer(text, work_from, finding.start)]
    if finding.kind in ORG_OWNED_KINDS and work_words and not HOME_WORD.search(text, max(work_words), finding.start) \
            and not any(m[3] is not None and m[2] in ("client", "third_party")
                        for m in mentions.before(finding.start, work_from)):
        return "professional", None, "on a line naming a job or an organisation"
    relative = RELATIVE_LEAD.search(lead)
    if relative and not any(m[0] >= lead_start + relative.start() for m in nearest) \
            and not re.search(r"\bwith\s+(?:\w+\s+)?$", lead[:relative.start()]):  # "staying with her sister in X"
        return "third_party", UNNAMED + relative.group("who").lower(), "a relative named just before it"
    pronoun = LEADING_POSSESSIVE.match(text[sent_start:finding.start])
    if pronoun and not [m for m in people if m[0] >= sent_start]:
        gender = PERSONAL_GENDER.get(pronoun.group(1).lower())
        known = _fitting_person(context, mentions, sent_start, gender, known=True) if gender else None
        key = known[3] if known else pronoun_referent(context, sent_start + pronoun.start(1), sent_start)
        if key == "client":  # the parse's default for a pronoun that fits her: the nearest fitting name is likelier
            nearest_fitting = _fitting_person(context, mentions, sent_start, gender)
            key = nearest_fitting[3] if nearest_fitting else key
        if _role_of(context, key):
            return _role_of(context, key), key, "the person the pronoun before it refers to"
    said_to_be = SAID_TO_BE_THEIRS.match(text, finding.end, sent_end)
    if said_to_be:  # "07700 900652, which she believes is Mr Mottram's new number"
        owner = next((m for m in mentions.after(finding.end, sent_end) if m[3] is not None
                      and m[0] >= said_to_be.start("owner")), None)
        if owner and owner[0] < said_to_be.end("owner"):
            return owner[2], owner[3], "the words after it say whose it is"
    possessive = NEAR_POSSESSIVE.search(lead)
    if possessive and not any(m[0] >= lead_start + possessive.start() for m in people):
        word = possessive.group(1).lower()
        gender = PERSONAL_GENDER.get(word)
        if word in PLURAL or not _fits_client(context, gender):
            owner = _fitting_person(context, mentions, finding.start, gender, plural=word in PLURAL)
            if owner and owner[3] != "client":
                at_home = owner[2] in ("professional", "staff") and HOME_WORD.search(lead, possessive.start())
                return ("staff" if at_home else owner[2]), owner[3], "the person the possessive before it refers to"
            return "third_party", None, "a possessive that cannot be the client's"
    sent_from = finding.kind in ("phone", "email") and re.search(r"\b(?:from|using)\s+$", lead)
    if (finding.kind in PLACE_KINDS and line_length > SHORT_LINE) or sent_from:  # "messages from 07700...": the sender's
        key = owner_of_span(context, finding.start, finding.end, sent_start)
        role = _role_of(context, key)
        lives_there = finding.kind in ("place", "home_area") or HOME_WORD.search(lead)
        if role in ("third_party", "staff_family") or (role in ("professional", "staff") and lives_there):
            return role, key, "the person its clause is about"
    if nearest:
        _, _, role, key = nearest[0]
        return role, key, "nearest person named before it"
    if finding.start < mentions.first_person_start() or _in_letterhead(context, finding):
        return "professional", None, "letterhead, before anyone is named"
    subject = SENTENCE_PRONOUN.search(text[sent_start:finding.start])
    if subject:
        word = subject.group(1).lower()
        owner = _fitting_person(context, mentions, sent_start, PERSONAL_GENDER.get(word), plural=word in PLURAL)
        if owner:
            return owner[2], owner[3], "the person a pronoun before it refers to"
    following = [m for m in mentions.after(finding.end, sent_end) if m[3] is not None]
    if following:
        return following[0][2], following[0][3], "the person its sentence names"
    block = [m for m in mentions.before(finding.start, _paragraph_start(text, finding.start)) if m[3] is not None]
    short_line = line_length <= SHORT_LINE
    if block and (PRONOUN.search(text[sent_start:finding.start]) or short_line):
        return block[0][2], block[0][3], "the person its paragraph is about"
    if CONTACT_WORD.search(text[sent_start:finding.start]):
        named = [m for m in block if m[2] in ("client", "third_party")]
        if named:
            return named[0][2], named[0][3], "the person its paragraph is about"
    if any(f.rule.startswith("client_register:") and line_start <= f.start < line_start + len(line)
           for f in context.findings):
        return "client", "client", "on a line of the client's registered details"
    return "third_party", None, "no owner found: treated as a third party's"


def _role_of(context: ReleaseContext, key: str | None) -> str | None:
    """The role of the person `key` names; someone named only by relationship is a third party."""
    if key and key.startswith(UNNAMED):
        return "third_party"
    person = context.people.get(key or "")
    return person.role if person else None


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
            if f.kind in CONTACT_KINDS and _owner_of_detail(f, context)[0] == "professional"}
    return context.scratch["work_details"]


def _sentence_owner(context: ReleaseContext, finding: Finding) -> tuple[str, str | None]:
    """(role, person) a special-category sentence is about: a third party if
    any of its sensitive words is about one, else the client."""
    if finding.rule == SETTING_RULE:
        key = speaker(context, finding.start, finding.end, SPEECH)
        role = _role_of(context, key) or "client"
        return (role, key) if role != "staff" else ("professional", key)
    keys = about(context, finding.start, finding.end, finding.kind)
    third = sorted(k for k in keys if _role_of(context, k) in ("third_party", "staff_family"))
    if third:
        return "third_party", third[0]
    if not keys:  # no clause says whose it is: a sentence naming only third parties is about them
        named = {f.person for f in person_findings(context) if finding.start <= f.start < finding.end}
        roles = {context.people[k].role for k in named if k in context.people}
        if roles == {"third_party"}:
            return "third_party", sorted(named)[0]
    return "client", "client"


@hookimpl
def redactor_attribute(finding: Finding, context: ReleaseContext) -> Attribution:
    if finding.kind == "term":
        return Attribution("manual", reason="named by the person releasing it")
    if finding.kind == "person":
        person = context.people.get(finding.person or "")
        role = person.role if person else "third_party"
        return Attribution(ROLE_CATEGORY[role], finding.person, f"a name of a {role.replace('_', ' ')}")
    if finding.kind.startswith("special."):
        role, key = _sentence_owner(context, finding)
        if role == "professional":
            return Attribution("professional", key, "what a professional said, not the client's disclosure")
        if role == "third_party":
            return Attribution("third_party.special", key, "the sentence is about a third party")
        return Attribution(finding.kind, key, "the sentence is about the client")
    # Contact details, identifiers, and any kind a plugin's recogniser adds:
    # whoever the text ties them to.
    role, key, reason = _owner_of_detail(finding, context)
    if role in ("client", "third_party") and finding.kind in CONTACT_KINDS and not _register_match(finding, context) \
            and _detail_key(context, finding) in _work_details(context):
        role, key, reason = "professional", None, "given elsewhere in the report as a work contact detail"
    if finding.kind == "home_area" and FIRST_PERSON.search(context.text[slice(*sentence_of(context, finding.start))]):
        role, key, reason = "staff", None, "the writer's own way home"
    if role == "professional" and (finding.kind in ("home_area", "place") or (
            finding.kind in ("address", "postcode")
            and HOME_WORD.search(context.text[sentence_of(context, finding.start)[0]:finding.start]))):
        role, reason = "staff", "where a member of staff lives or goes home"
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

