"""Whose is a contact detail or identifier: an ordered list of small rules, the first answer wins.

Each rule reads a `Scene` (the detail, its sentence, its line and the people
named around it, each worked out once) and returns (role, person, reason) or
None to pass. The order is the meaning: what the words right next to a detail
say ("my personal mobile", "his flat on") outranks who was named nearest, and
who was named nearest outranks the paragraph. When no rule answers, the
detail is a third party's, which the base policy never releases.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import cached_property

from ..context import ReleaseContext
from ..detectors.people import ROLE_PATTERN
from ..model import Finding
from ..subjects import UNNAMED, UNNAMED_PEOPLE, owner_of_span, pronoun_referent
from .mentions import (PERSONAL_GENDER, PLURAL, Mention, Mentions, fits_client, fitting_person, mentions_of,
                       register_match, role_of, sentence_of)

#: (role, person key, reason)
Owner = tuple[str, "str | None", str]

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
                    r"\bmy\s+(?:own\s+)?(?:house|flat|street|road|front\s+door)\b|"
                    r"\bmy\s+(?:own\s+)?(?:husband|wife|partner|son|daughter|children|kids|child|family|mum|dad|mother|"
                    r"father)(?:['’]s)?\b|"
                    r"\b(?:staff|worker|colleague|volunteer)['’]s?\s+(?:own\s+|personal\s+|private\s+|home\s+)",
                    re.IGNORECASE)
#: "... on Malpas Road, which is on my route home": said of the detail just after it.
MY_OWN_AFTER = re.compile(r"[^.;]{0,40}\b(?:my\s+(?:own\s+)?(?:route|way|walk|journey|drive|bus|train)\s+home|"
                          r"where\s+I\s+(?:live|catch|get|park)|near\s+my\s+(?:home|house)|"
                          r"(?:is|was)\s+my\s+(?:own|personal|private|home)\s+(?:phone|mobile|number|line|landline|e-?mail)|"
                          r"where\s+my\s+(?:own\s+)?(?:children|kids|son|daughter|family)|where\s+I\b|"
                          r"(?:at|near)\s+my\s+(?:own\s+)?(?:sister|brother|mum|mother|dad|father|parents|friend|daughter|son)['’]s)\b",
                          re.IGNORECASE)
THEIR_OWN = re.compile(r"(?:\b(?:her|his|their)|['’]s)\s+(?:own\s+)?(?:personal|private|home|own|route\s+home|way\s+home|"
                       r"(?:\w+\s+)?(?:account|profile|page|handle))\b",
                       re.IGNORECASE)
PERSONAL_DETAIL = re.compile(r"\b(?:personal|private)\s+(?:mobile|phone|number|e-?mail|whatsapp|facebook|"
                             r"instagram|account|address)\b|\bhome\s+(?:landline|phone|telephone|number|mobile|e-?mail)\s+of\b|"
                             # a signature's "Mob (personal, weekends only):"
                             r"\b(?:mob|mobile|phone|tel|number)\s*\(\s*(?:personal|private|own)\b",
                             re.IGNORECASE)
#: "texted MLW from a new number,": a number someone called from.
CALLED_FROM_A_NUMBER = re.compile(r"\b(?:texted|texting|rang|rung|ringing|called|calling|phoned|phoning|messaged|messaging|contacted)"
                         r"\s+(?P<who>[^.;]{1,40}?)\s+(?:from|on|using)\s+(?:a|an|his|her|their|another|the)\s+"
                         r"(?:new\s+|different\s+|unknown\s+|withheld\s+)?(?:number|mobile|phone)[,:(]?\s*$", re.IGNORECASE)
#: "he has texted": the caller, named by a pronoun just before the verb.
CALLER_PRONOUN = re.compile(r"\b(he|she|they)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
#: "she lives just round the corner on", "who lives two streets away,": who lives at the place after it.
LIVES_LEAD = re.compile(r"\b(?P<who>he|she|they|who)\s+(?:also\s+|now\s+|still\s+|actually\s+)?(?:lives?|is\s+living)"
                        r"\b[^.;]{0,60}$", re.IGNORECASE)
ASKED = re.compile(r"\b(?:asked|asking|asks|wondered|whether)\b", re.IGNORECASE)
#: "walks them to", "drops the kids off at": who is taken to a school is who goes there.
SCHOOL_RUN = re.compile(r"\b(?:takes?|took|taking|walks?|walked|walking|drops?|dropped|dropping|drives?|drove|driving|"
                        r"collects?|collected|collecting|picks?|picked|picking)\s+(?:them|the\s+(?:kids|children|little\s+"
                        r"ones|boys|girls|twins)|(?:her|his|their)\s+(?:\w+\s+)?(?:sons?|daughters?|kids|children|boys?|"
                        r"girls?|brothers?|sisters?|twins))\s+(?:up\s+|off\s+|in\s+)?(?:to|from|at)\s+(?:the\s+)?$",
                        re.IGNORECASE)
#: "gave Precious her personal number": the person a detail was given to, just before the detail.
GIVEN_TO = re.compile(r"\b(?:gave|given|give|gives|passed|handed|texted|sent)\s+$", re.IGNORECASE)
#: A signature or letterhead line: a job title or an organisation named before the detail.
WORK_ROLE = re.compile(ROLE_PATTERN.pattern, re.IGNORECASE)
#: (Not before a colon: "Housing: still at ..." is a field's label, not an organisation.)
WORK_ORG = re.compile(r"\b(?:Network|Service|Services|Association|Trust|Council|Hub|Team|Centre|Homes|Housing|"
                      r"Surgery|Practice|Police|Project|Charity|Ltd|Limited|Partnership|Foundation|Society|Office|"
                      r"Hospital|Clinic|Pharmacy|Solicitors|LLP|Chambers|Library|Agency|Authority|"
                      # a court of law, not "Dunmore Court" where people live
                      r"(?:Magistrates['’]?|Crown|County|Family|Youth|Coroners['’]?|Combined)[ \t]+Court)\b(?![ \t]*:)")
#: "Service: Day-Mer, 2nd Floor, Weavers Court...": a field that says the line is the service's own.
WORK_FIELD = re.compile(r"^[ \t]*[-*•]?[ \t]*(?:Service|Organisation|Organization|Agency|Office|Base|Team)[ \t]*:",
                        re.IGNORECASE | re.MULTILINE)
CONTACT_WORD = re.compile(r"\b(?:mobile|phone|tel|telephone|e-?mail|contact|number|address|date of birth|DOB|"
                          r"NHS|National Insurance|NI)\b", re.IGNORECASE)
#: "His mobile is ...": a sentence that starts by saying whose the detail is.
LEADING_POSSESSIVE = re.compile(r"\s*(?:[\d.]+\s+)?(his|her|their)\b", re.IGNORECASE)
#: "to his flat on Main Street", "her number is", "his landline, 01632...": a possessive just before the
#: detail says whose it is.
NEAR_POSSESSIVE = re.compile(r"\b(his|her|their)\s+(?:[a-z-]+,?\s+){0,2}(?:on|in|at|is|was|of)?\s*:?\s*$", re.IGNORECASE)
#: The words for someone unnamed but for who they are to a person ("her mum", "a mate").
_RELATIVES = "|".join(sorted((re.escape(w) for w in UNNAMED_PEOPLE - {"colleague"}), key=len, reverse=True))
#: "Both children attend Oakapple School", "her mother's house at 2 Pludds Court": a relative
#: named only by relationship, a few words before the detail, owns it. Lower case on purpose:
#: "Eastmoor Children's Social Care, 0113..." is not a child's.
RELATIVE_LEAD = re.compile(rf"\b(?P<who>{_RELATIVES})(?:s|['’]s?)?(?:\s+[\w'’-]+){{0,3}}?\s*[:,(]?\s*$")
#: "Amy's daughter": a name said only to say whose relative someone is.
POSSESSIVE_RELATIVE = re.compile(rf"['’]s?\s+(?:(?:eldest|youngest|older|younger|little|big|baby|step|ex-?|late)\s*)?"
                                 rf"(?P<who>{_RELATIVES})\b", re.IGNORECASE)
#: "..., which she believes is Mr Mottram's new number": whose it is, said just after it.
SAID_TO_BE_THEIRS = re.compile(r"[^.;]{0,50}?\b(?:is|was|are)\s+(?P<owner>(?:[A-Z][\w'’-]*\s+){0,2}[A-Z][\w'’-]*)['’]s\s+"
                               r"(?:\w+\s+)?(?:number|mobile|phone|landline|e-?mail|address)\b")
#: "rang our reception twice from 07700 900731", "messages from 07700...": the sender's detail.
CALLED_FROM = re.compile(r"\b(?:from|using)\s+$")
#: "Deano's number in Mihai's phone is 07700...", "messages from Lewy's number, 07700...":
#: the first person whose number the sentence names before the detail.
NAMED_OWNERS_DETAIL = re.compile(r"['’]s\s+(?:\w+\s+)?(?:number|mobile|phone|landline|e-?mail|address|"
                                 r"(?:facebook|instagram|tiktok|snapchat|twitter)(?:\s+(?:account|page|name))?)\b",
                                 re.IGNORECASE)
#: "messaging her on Instagram (@...)", "follows his TikTok, @...": the account of the person the pronoun names.
THEIR_ACCOUNT = re.compile(r"\b(her|him|his|them|their)\s+(?:on\s+)?(?:facebook|instagram|tiktok|snapchat|twitter|x|"
                           r"threads|whatsapp)(?:\s+(?:account|page|profile|handle))?\s*[(:,]?\s*$", re.IGNORECASE)
OBJECT_GENDER = {"him": "m"}
#: "Phone: ...", "- Mobile: ...": a field of a details block.
FIELD_LINE = re.compile(r"\s*[-*•]?\s*[A-Z][\w /'’-]{0,25}:")
#: "- Vascular dementia, diagnosed 2024": a bullet of a list.
BULLET = re.compile(r"[ \t]*[-*•][ \t]+")
#: The labels a signature puts before its own numbers ("Tel: 01632...").
SIGNATURE_LABEL = re.compile(r"\s*(?:Tel|Telephone|Office|Direct line|Switchboard|Web|Website)\b", re.IGNORECASE)
#: The "Name:" or "Client:" field that starts a person's details block.
NAME_FIELD = re.compile(r"[ \t]*[-*•]?[ \t]*(?:(?:full|client(?:'s)?|child(?:'s)?|patient(?:'s)?)[ \t]+name|name|client|"
                        r"service[ \t]+user|patient|young[ \t]+person|tenant|resident)[ \t]*:", re.IGNORECASE)
#: "Titan Gym on Forge Lane, where his cousin Bartek works": the words after a place say whose it is.
WHERE_SOMEONE_WORKS = re.compile(r"[^.;\n]{0,30}?,?\s+where\s+(?:[\w'’-]+\s+){1,4}?(?P<verb>works|worked|volunteers|studies|"
                                 r"lives|trains|swims|shops|drinks|prays)\b")
#: "Bethan's at 22 Maes yr Haf", "Pawel's place, 19 Orchard Way": between a name and the place that is theirs.
NAMED_PLACE = re.compile(r"['’]s?(?:\s+(?:house|flat|place|home|address))?[,:]?\s+(?:(?:at|in|on)\s+)?")
#: "... on Heol Rhosyn on her way home", "the bus stop on Holloway Road that Marek uses on his way home".
THEIR_WAY_HOME_AFTER = re.compile(r"[^.;\n]{0,40}?\b(?:on|along)\s+(?:her|his|their|the)\s+way\s+home\b|"
                                  r"[^.;\n]{0,30}?\b(?:lives?|living)\s+(?:nearby|round\s+there|round\s+the\s+corner)\b")
#: Lower case on purpose: "Grove House" is an office building, "her house" a home.
HOME_WORD = re.compile(r"\b(?:flat|house|home|lives?|living)\b")
#: E-mail domains of the NHS, government, police, councils, courts, schools and universities.
AGENCY_DOMAIN = re.compile(r"(?:^|\.)(?:nhs|gov|police|pnn|council|cafcass|probation|justice|court|sch|ac)\.",
                           re.IGNORECASE)
PO_BOX = re.compile(r"(?:PO|P\.O\.)\s+Box\b", re.IGNORECASE)
#: "He attends the Ty Canol day service": a pronoun earlier in the detail's sentence.
SENTENCE_PRONOUN = re.compile(r"\b(he|she|his|her|they|their)\b", re.IGNORECASE)
PRONOUN = re.compile(r"\b(?:her|his|their|she|he|they)\b", re.IGNORECASE)
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


class Scene:
    """One detail and what surrounds it, each part worked out once, when a rule first asks."""

    def __init__(self, finding: Finding, context: ReleaseContext) -> None:
        self.finding, self.context, self.text = finding, context, context.text
        self.value = self.text[finding.start:finding.end]
        self.sent_start, self.sent_end = sentence_of(context, finding.start)
        self.lead_start = max(self.sent_start, finding.start - 80)
        #: up to 80 characters of the sentence before the detail
        self.lead = self.text[self.lead_start:finding.start]
        self.line_start = self.text.rfind("\n", 0, finding.start) + 1
        line_end = self.text.find("\n", finding.end)
        self.line_end = line_end if line_end >= 0 else len(self.text)
        self.line = self.text[self.line_start:self.line_end]
        self.mentions: Mentions = mentions_of(context)

    @cached_property
    def nearest(self) -> list[Mention]:
        """People, and organisations just before an organisation's kind of detail, earlier in the sentence."""
        org_reach = ORG_REACH if self.finding.kind in ORG_OWNED_KINDS else -1
        return [m for m in self.mentions.before(self.finding.start, self.sent_start)
                if (m[3] is not None or self.finding.start - m[1] <= org_reach)
                and not (self.finding.kind in IDENTIFIER_KINDS and m[2] == "professional")]

    @cached_property
    def people(self) -> list[Mention]:
        return [m for m in self.nearest if m[3] is not None]

    @cached_property
    def own(self) -> re.Match | None:
        """"her own", "his personal mobile": a detail said to be someone's own."""
        return THEIR_OWN.search(self.lead) or PERSONAL_DETAIL.search(self.lead)

    @cached_property
    def paragraph_people(self) -> list[Mention]:
        blank = self.text.rfind("\n\n", 0, self.finding.start)
        return [m for m in self.mentions.before(self.finding.start, blank + 2 if blank >= 0 else 0)
                if m[3] is not None]

    @property
    def short_line(self) -> bool:
        return len(self.line) <= SHORT_LINE

    @cached_property
    def field_line(self) -> bool:
        """"Phone: ...", "- Mobile: ...": the detail's line is a field of a details block."""
        return bool(FIELD_LINE.match(self.line))


Rule = Callable[[Scene], "Owner | None"]


def on_the_register(scene: Scene) -> Owner | None:
    """The register says it is the client's."""
    if scene.finding.person == "client" or register_match(scene.finding, scene.context):
        return "client", "client", "matches the client register"
    return None


def the_writers_own(scene: Scene) -> Owner | None:
    """"my personal mobile", "Malpas Road, which is on my route home"."""
    if MY_OWN.search(scene.lead) or MY_OWN_AFTER.match(scene.text, scene.finding.end, scene.sent_end):
        return "staff", None, "a member of staff's own contact detail"
    return None


def a_po_box(scene: Scene) -> Owner | None:
    if PO_BOX.match(scene.value):
        return "professional", None, "a PO box is an organisation's address"
    return None


def an_agency_email(scene: Scene) -> Owner | None:
    if scene.finding.kind == "email" and AGENCY_DOMAIN.search(scene.value.rsplit("@", 1)[-1]):
        return "professional", None, "an agency's e-mail domain"
    return None


def a_handle_naming_someone(scene: Scene) -> Owner | None:
    """An address or handle spelling someone's name is theirs ("t.ruddockhale@..."); a
    worker's personal one is a staff detail; "his own personal e-mail" naming nobody is not the client's."""
    if scene.finding.kind not in ("email", "social_handle"):
        return None
    named = _person_in_handle(scene.value, scene.context)
    personal = scene.finding.kind == "social_handle" or scene.own
    if named:
        role = scene.context.people[named].role
        return ("staff" if role == "professional" and personal else role), named, \
            "the address or handle carries the person's name"
    if scene.own:
        return "staff", None, "a personal address that does not carry the client's name"
    return None


def a_workers_own(scene: Scene) -> Owner | None:
    """"her personal mobile" after a worker is named, or with no one named, or where "her" cannot be the client;
    "MW's personal mobile" where MW is nobody the report names as client or third party; "gave Precious her
    personal number", where the client is who it was given to."""
    if not scene.own:
        return None
    staff = [m for m in scene.people if m[2] in ("professional", "staff")]
    pronoun = PERSONAL_GENDER.get(scene.own.group(0).split()[0].lower())
    own_start = scene.lead_start + scene.own.start()
    unnamed_owner = scene.own.group(0)[:1] in "'’" and not any(m[1] == own_start for m in scene.people)
    given_to_client = bool(scene.people) and scene.people[0][3] == "client" \
        and GIVEN_TO.search(scene.text, scene.sent_start, scene.people[0][0]) is not None
    if staff or not scene.people or unnamed_owner or given_to_client \
            or (scene.people[0][3] == "client" and not fits_client(scene.context, pronoun)):
        return "staff", staff[0][3] if staff else None, "a member of staff's own contact detail"
    return None


def after_a_work_cue(scene: Scene) -> Owner | None:
    """"contact me at the office on ...", "To: ..."; but "from our office to her flat on Alexandra
    Road" names a home after the cue, "he rang our reception from 07700..." the caller's number,
    and "she works on reception at Stanmoor Leisure Centre" her workplace."""
    if scene.finding.kind == "workplace":
        return None
    lead_in = scene.text[max(scene.line_start, scene.sent_start):scene.finding.start]
    cues = list(PROFESSIONAL_CUE.finditer(lead_in))
    if cues and not HOME_WORD.search(lead_in[cues[-1].end():]) and not CALLED_FROM.search(lead_in):
        if not scene.nearest or scene.nearest[0][2] in ("professional", "staff", "client"):
            return "professional", None, "a work contact detail"
    return None


def on_a_po_box_line(scene: Scene) -> Owner | None:
    if PO_BOX.search(scene.line):
        return "professional", None, "on a line with an organisation's PO box"
    return None


def on_a_work_line(scene: Scene) -> Owner | None:
    """A signature or letterhead line naming a job or an organisation, taken as a whole; in
    running text, the detail's own sentence. Not when a home word or a client or third party comes between."""
    if scene.finding.kind not in ORG_OWNED_KINDS:
        return None
    work_from = scene.line_start if len(scene.line) <= 2 * SHORT_LINE else scene.sent_start
    work_words = [m.end() for pattern in (WORK_ROLE, WORK_ORG, WORK_FIELD)
                  for m in pattern.finditer(scene.text, work_from, scene.finding.start)]
    if work_words and not HOME_WORD.search(scene.text, max(work_words), scene.finding.start) \
            and not any(m[3] is not None and m[2] in ("client", "third_party")
                        for m in scene.mentions.before(scene.finding.start, work_from)):
        return "professional", None, "on a line naming a job or an organisation"
    return None


def under_a_signature_line(scene: Scene) -> Owner | None:
    """"Grace Obi, Project Coordinator, Kinder Corner Family Project / The Pavilion, Meadow Lane...":
    a short line of address or number under a line naming a job or an organisation."""
    signature_row = " | " in scene.line and len(scene.line) <= 2 * SHORT_LINE  # "address | office ... | mobile ..."
    if scene.finding.kind not in ORG_OWNED_KINDS or not (scene.short_line or signature_row) or scene.line_start == 0:
        return None
    above_start = scene.text.rfind("\n", 0, scene.line_start - 1) + 1
    above = scene.text[above_start:scene.line_start - 1]
    if not above.strip() or len(above) > 2 * SHORT_LINE or not (WORK_ROLE.search(above) or WORK_ORG.search(above)) \
            or HOME_WORD.search(scene.line) or HOME_WORD.search(above) or FIELD_LINE.match(above) \
            or (scene.field_line and not SIGNATURE_LABEL.match(scene.line)):
        return None  # "Address: Flat 22, Ferncliff Court / Mobile: 07700...": a details block, not a signature
    if any(m[3] is not None and m[2] in ("client", "third_party")
           for m in scene.mentions.before(scene.finding.start, above_start)):
        return None
    return "professional", None, "under a signature line naming a job or an organisation"


def the_number_someone_called_from(scene: Scene) -> Owner | None:
    """"he has texted MLW from a new number, 07700...": the caller's number, so not the person called."""
    called = CALLED_FROM_A_NUMBER.search(scene.lead)
    if scene.finding.kind != "phone" or not called:
        return None
    verb = scene.lead_start + called.start()
    caller = CALLER_PRONOUN.search(scene.text, scene.sent_start, verb)
    if caller:
        key = pronoun_referent(scene.context, caller.start(1), scene.sent_start)
        person = scene.context.people.get(key or "")
        if person is not None:
            return person.role, key, "the number the caller called from"
    callee = [m for m in scene.people if m[0] >= scene.lead_start + called.start("who")]
    if callee and callee[0][2] in ("client", "professional", "staff"):
        return "third_party", None, "the number someone called the client or a worker from"
    return None


def children_taken_there(scene: Scene) -> Owner | None:
    """"walks them to St Woolos Vale Primary", "drops the kids at Little Acorns": the children's school."""
    if scene.finding.kind == "school" and SCHOOL_RUN.search(scene.lead):
        return "third_party", UNNAMED + "children", "the school the children are taken to"
    return None


def a_relative_just_before(scene: Scene) -> Owner | None:
    """"Both children attend Oakapple School", "her mother's house at 2 Pludds Court"; but
    "staying with her sister in X" is where the client stays."""
    relative = RELATIVE_LEAD.search(scene.lead)
    if relative and not any(m[0] >= scene.lead_start + relative.start() for m in scene.nearest) \
            and not re.search(r"\bwith\s+(?:\w+\s+)?$", scene.lead[:relative.start()]):
        return "third_party", UNNAMED + relative.group("who").lower(), "a relative named just before it"
    return None


def a_sentence_opening_possessive(scene: Scene) -> Owner | None:
    """"His mobile is ...", with no one named in the sentence before the detail."""
    pronoun = LEADING_POSSESSIVE.match(scene.text, scene.sent_start, scene.finding.start)
    if not pronoun or [m for m in scene.people if m[0] >= scene.sent_start]:
        return None
    context, mentions = scene.context, scene.mentions
    gender = PERSONAL_GENDER.get(pronoun.group(1).lower())
    known = fitting_person(context, mentions, scene.sent_start, gender, known=True) if gender else None
    key = known[3] if known else pronoun_referent(context, pronoun.start(1), scene.sent_start)
    if key == "client":  # the parse's default for a pronoun that fits her: the nearest fitting name is likelier
        nearest_fitting = fitting_person(context, mentions, scene.sent_start, gender)
        key = nearest_fitting[3] if nearest_fitting else key
    role = role_of(context, key)
    return (role, key, "the person the pronoun before it refers to") if role else None


def said_to_be_someones(scene: Scene) -> Owner | None:
    """"07700 900652, which she believes is Mr Mottram's new number"."""
    said_to_be = SAID_TO_BE_THEIRS.match(scene.text, scene.finding.end, scene.sent_end)
    if said_to_be:
        owner = next((m for m in scene.mentions.after(scene.finding.end, scene.sent_end) if m[3] is not None
                      and m[0] >= said_to_be.start("owner")), None)
        if owner and owner[0] < said_to_be.end("owner"):
            return owner[2], owner[3], "the words after it say whose it is"
    return None


def where_the_next_words_name_someone(scene: Scene) -> Owner | None:
    """"going to Titan Gym on Forge Lane, where his cousin Bartek works": the place of whoever the
    words after it say works, lives or spends time there, when that is not the client; a worker's
    own gym or street (not their workplace) is a staff member's personal detail."""
    if scene.finding.kind not in PLACE_KINDS:
        return None
    where = WHERE_SOMEONE_WORKS.match(scene.text, scene.finding.end)
    named = [m for m in scene.mentions.after(scene.finding.end, where.end()) if m[3] is not None] if where else []
    if named and named[0][2] in ("third_party", "staff_family"):
        return named[0][2], named[0][3], "the words after it say who works or lives there"
    if named and named[0][2] in ("professional", "staff") and where.group("verb") not in ("works", "worked", "volunteers"):
        return "staff", named[0][3], "where the words after it say a worker lives or spends their own time"
    return None


def a_named_persons_detail(scene: Scene) -> Owner | None:
    """"Deano's number in Mihai's phone is 07700...": the first person in the sentence whose
    number, address or account it names (the next "Mihai's phone" is where it was found);
    "sleeping at Bethan's at 22 Maes yr Haf", "(Pawel's place, 19 Orchard Way)": whose place it is."""
    for mention in reversed(scene.people):
        if NAMED_OWNERS_DETAIL.match(scene.text, mention[1], scene.finding.start) \
                or NAMED_PLACE.fullmatch(scene.text, mention[1], scene.finding.start):
            return mention[2], mention[3], "the sentence names it as this person's"
    return None


def an_account_a_pronoun_names(scene: Scene) -> Owner | None:
    """"Delroy has started messaging her on Instagram (@...)": when "her" cannot be the client, the
    handle is the account of whoever she is; a worker's or volunteer's account is always personal."""
    account = THEIR_ACCOUNT.search(scene.lead) if scene.finding.kind == "social_handle" else None
    if not account:
        return None
    word = account.group(1).lower()
    gender = PERSONAL_GENDER.get(word) or OBJECT_GENDER.get(word)
    if word not in PLURAL and fits_client(scene.context, gender):
        return None
    owner = fitting_person(scene.context, scene.mentions, scene.finding.start, gender, plural=word in PLURAL)
    if owner and owner[3] != "client":
        role = "staff" if owner[2] == "professional" else owner[2]
        return role, owner[3], "the account of the person the pronoun names"
    return "third_party", None, "an account that cannot be the client's"


def a_possessive_just_before(scene: Scene) -> Owner | None:
    """"to his flat on Main Street", "their number is": when the possessive cannot be the client's."""
    possessive = NEAR_POSSESSIVE.search(scene.lead)
    if not possessive or any(m[0] >= scene.lead_start + possessive.start() for m in scene.people):
        return None
    word = possessive.group(1).lower()
    gender = PERSONAL_GENDER.get(word)
    if word not in PLURAL and fits_client(scene.context, gender):
        return None
    owner = fitting_person(scene.context, scene.mentions, scene.finding.start, gender, plural=word in PLURAL)
    if owner and owner[2] in ("professional", "staff"):
        # "Mr Jennings gave Tomasz his landline": with a third party who fits in the sentence, the
        # possessive may be his; a detail only leaves as a worker's when no one else could own it
        owner = next((m for m in scene.people if m[2] == "third_party"
                      and scene.context.people[m[3]].gender in (None, gender)), owner)
    if owner and owner[3] != "client":
        at_home = owner[2] in ("professional", "staff") and HOME_WORD.search(scene.lead, possessive.start())
        return ("staff" if at_home else owner[2]), owner[3], "the person the possessive before it refers to"
    return "third_party", None, "a possessive that cannot be the client's"


def the_subject_of_its_clause(scene: Scene) -> Owner | None:
    """A place in running text belongs to whom its clause is about, and "messages from 07700..." to the sender,
    when that is a third party, or a worker living there."""
    kind = scene.finding.kind
    sent_from = kind in ("phone", "email") and CALLED_FROM.search(scene.lead)
    if not ((kind in PLACE_KINDS and not scene.short_line) or sent_from):
        return None
    key = owner_of_span(scene.context, scene.finding.start, scene.finding.end, scene.sent_start)
    role = role_of(scene.context, key)
    way_home = THEIR_WAY_HOME_AFTER.match(scene.text, scene.finding.end, scene.sent_end)
    if way_home and role is None:  # "... that Marek uses on his way home": the worker named before it
        named = [m for m in scene.mentions.after(scene.finding.end, way_home.end()) if m[3] is not None]
        key = named[0][3] if named else key
        role = role_of(scene.context, key)
    lives_there = kind in ("place", "home_area") or HOME_WORD.search(scene.lead) or way_home
    if role in ("third_party", "staff_family") or (role in ("professional", "staff") and lives_there):
        return ("staff" if role == "professional" and way_home else role), key, "the person its clause is about"
    return None


def whoever_lives_there(scene: Scene) -> Owner | None:
    """"... because she lives just round the corner on Fernhill Lane", "who lives two streets away, on
    Coppice Lane": a home is the home of whoever the words before it say lives there."""
    if scene.finding.kind not in PLACE_KINDS:
        return None
    lives = LIVES_LEAD.search(scene.lead)
    if not lives or ASKED.search(scene.lead, 0, lives.start()):
        return None  # "asked Dean whether he still lives in X": the asker is not who the question is about
    at = scene.lead_start + lives.start("who")
    if lives.group("who").lower() == "who":
        named = [m for m in scene.mentions.before(at, scene.sent_start) if m[3] is not None]
        key = named[0][3] if named else None
    else:
        key = pronoun_referent(scene.context, at, scene.sent_start)
    person = scene.context.people.get(key or "")
    return (person.role, key, "the person the sentence says lives there") if person else None


def the_nearest_person_before(scene: Scene) -> Owner | None:
    """The nearest person named before it; but "Sophie Chen, age 9, Amy's daughter, Year 4 at
    Rosemount Primary" names Amy only to say whose daughter: the relative is meant."""
    if scene.nearest:
        start, end, role, key = scene.nearest[0]
        relative = POSSESSIVE_RELATIVE.match(scene.text, end)
        if relative:
            return "third_party", UNNAMED + relative.group("who").lower(), "a relative named just before it"
        return role, key, "nearest person named before it"
    return None


def in_the_letterhead(scene: Scene) -> Owner | None:
    if scene.finding.start < scene.mentions.first_person_start() or _in_letterhead(scene.context, scene.finding):
        return "professional", None, "letterhead, before anyone is named"
    return None


def a_pronoun_earlier_in_its_sentence(scene: Scene) -> Owner | None:
    """"He attends the Ty Canol day service"."""
    subject = SENTENCE_PRONOUN.search(scene.text, scene.sent_start, scene.finding.start)
    if subject:
        word = subject.group(1).lower()
        owner = fitting_person(scene.context, scene.mentions, scene.sent_start, PERSONAL_GENDER.get(word),
                               plural=word in PLURAL)
        if owner:
            return owner[2], owner[3], "the person a pronoun before it refers to"
    return None


def the_person_its_sentence_names(scene: Scene) -> Owner | None:
    """"... 07700 900123 (Kyle's mum)"; but on a field line of a details block ("Phone: 07700 900957
    (taken from Eileen's phone book)") the block's person, named above, owns it."""
    if scene.field_line and scene.paragraph_people:
        return None
    following = [m for m in scene.mentions.after(scene.finding.end, scene.sent_end) if m[3] is not None]
    if following:
        return following[0][2], following[0][3], "the person its sentence names"
    return None


def the_person_its_paragraph_is_about(scene: Scene) -> Owner | None:
    """A field of a details block, or a sentence with a pronoun, belongs to the last person named in its
    paragraph; a sentence saying "phone", "address" or "DOB" to the last client or third party named there."""
    block = [m for m in scene.paragraph_people
             if not (scene.finding.kind in IDENTIFIER_KINDS and m[2] == "professional")]
    lead_in = scene.text[scene.sent_start:scene.finding.start]
    if block and scene.short_line and scene.field_line:
        # "Name: Connor Threlfall / ... Eileen's / Phone: 07700...": the block's named person
        named = _on_a_name_field(scene.text, block)
        if named:
            return named[2], named[3], "the person its details block names"
    if block and (PRONOUN.search(lead_in) or scene.short_line):
        return block[0][2], block[0][3], "the person its paragraph is about"
    if CONTACT_WORD.search(lead_in):
        named = [m for m in block if m[2] in ("client", "third_party")]
        if named:
            return named[0][2], named[0][3], "the person its paragraph is about"
    return None


def on_a_line_of_the_register(scene: Scene) -> Owner | None:
    if any(f.rule.startswith("client_register:") and scene.line_start <= f.start < scene.line_end
           for f in scene.context.findings):
        return "client", "client", "on a line of the client's registered details"
    return None


#: In order: the first rule to answer decides.
DETAIL_RULES: tuple[Rule, ...] = (
    on_the_register, the_writers_own, a_po_box, an_agency_email, a_handle_naming_someone, a_workers_own,
    after_a_work_cue, on_a_po_box_line, on_a_work_line, under_a_signature_line, the_number_someone_called_from,
    children_taken_there,
    a_relative_just_before,
    a_sentence_opening_possessive, said_to_be_someones, where_the_next_words_name_someone, a_named_persons_detail,
    an_account_a_pronoun_names,
    a_possessive_just_before, the_subject_of_its_clause, whoever_lives_there, the_nearest_person_before, in_the_letterhead,
    a_pronoun_earlier_in_its_sentence, the_person_its_sentence_names, the_person_its_paragraph_is_about,
    on_a_line_of_the_register,
)


def _on_a_name_field(text: str, people: list[Mention]) -> Mention | None:
    """The first of `people` named on a "Name:" (or "Client:") line."""
    return next((m for m in people if NAME_FIELD.match(text, text.rfind("\n", 0, m[0]) + 1)), None)


def block_subject(context: ReleaseContext, offset: int) -> str | None:
    """The person a details block is about, for a field or bullet line of it at `offset`: the
    person on its "Name:" line ("SECTION 3: PERPETRATOR / Name: Jermaine Whitfield / ... /
    Previous: convicted of ABH"), else the person its first line opens with ("Huw Pugh, husband,
    74. / - Vascular dementia, diagnosed 2024")."""
    text = context.text
    line_start = text.rfind("\n", 0, offset) + 1
    if not (FIELD_LINE.match(text, line_start) or BULLET.match(text, line_start)):
        return None
    blank = text.rfind("\n\n", 0, line_start)
    block_start = blank + 2 if blank >= 0 else 0
    people = [m for m in reversed(mentions_of(context).before(line_start, block_start)) if m[3] is not None]
    named = _on_a_name_field(text, people)
    if named:
        return named[3]
    first = people[0] if people else None
    if first and not text[text.rfind("\n", 0, first[0]) + 1:first[0]].strip(" \t-•*"):
        return first[3]
    return None


def owner_of_detail(finding: Finding, context: ReleaseContext) -> Owner:
    """(role, person, reason) for a contact detail or identifier."""
    scene = Scene(finding, context)
    for rule in DETAIL_RULES:
        owner = rule(scene)
        if owner:
            return owner
    return "third_party", None, "no owner found: treated as a third party's"


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
