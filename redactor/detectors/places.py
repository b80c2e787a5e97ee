"""Places where a person can be found: schools, care homes, workplaces, home areas.

A named school, workplace or the district someone's home is in locates
them as surely as an address does; whose it is, and so whether it may go,
is attribution's call.
"""
from __future__ import annotations

import re

from .. import hookimpl
from ..context import ReleaseContext
from ..model import Finding
from .recognizers import ADDRESS_PATTERNS, STREET_NAME

MONTHS_AND_DAYS = (r"(?!(?:January|February|March|April|May|June|July|August|September|October|November|"
                   r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Year)s?\b)")
#: A capitalised word; a full stop only inside it ("C.I.C") or after "St" and "Co", never the one ending a sentence.
PLACE_NAME_WORD = r"[A-Z](?:[\w'’&-]|\.(?=\w))*(?:(?<=\bSt)\.|(?<=\bCo)\.)?"
PLACE_NAME = rf"{PLACE_NAME_WORD}(?:[ \t]+(?:(?:of|on|and|&)[ \t]+)?{PLACE_NAME_WORD})*"
TOWN_IN = r"[ \t]+in[ \t]+[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?"
IN_TOWN = rf"(?:{TOWN_IN})?"
#: "Vale Fresh packing plant, Stanmore": the town after a named place, through a word or two of what it is.
TOWN_AFTER = (r"(?:[ \t]+[a-z]+){0,2},[ \t]+[A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+)?"
              r"(?=[ \t]*[,.;)]|[ \t]+(?:and|but|so|who|which|where|since|until)\b)")
INSTITUTION = re.compile(
    r"\b(?:[A-Z][\w'’&.-]*[ \t]+(?:(?:of|and|&|C of E|CofE|RC)[ \t]+)?){1,5}(?:Primary School|Infant School|Junior School|High School|Secondary School|"
    r"Grammar School|School|Nursery|Pre-School|Preschool|Academy|College|Sixth Form|Children's Centre|Comprehensive|"
    r"University|Pupil Referral Unit|"
    r"Care Home|Nursing Home|Residential Home|[Cc]are [Hh]ome|[Nn]ursing [Hh]ome|Day Centre|Hospice|[Dd]ay [Ss]ervice|[Dd]ay [Cc]entre|Primary|"
    r"Infants|Juniors|High|Secondary)\b" + IN_TOWN
    # "Little Acorns Nursery, Hollin Lane": the street it is on goes with it
    + rf"(?:,[ \t]+{STREET_NAME})?"
    # Welsh names put the kind first: Ysgol Bro Wysg, Canolfan Dydd Pennal
    + r"|\b(?:Ysgol|Canolfan|Coleg|Meithrinfa|Cartref)(?:['’]r)?(?:[ \t]+(?:(?:y|yr|'r)[ \t]+)?[A-Z][\w'’-]*){1,4}"
    # "her nursery, Sunflower Corner", "a school called Oakfield": the kind in lower case, then the name
    + "|(?:" + "|".join(rf"(?<=\b{kind}{joint})" for kind in ("nursery", "school", "college", "playgroup", "academy")
                        for joint in (", ", " called ")) + r")[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,3}")
#: "Sparkle Hand Car Wash on Kingsland Road": the street a business is on.
ON_STREET = r"[ \t]+on[ \t]+(?:the[ \t]+)?[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,3}"
WORKPLACE_NOUN = (r"(?:firm|company|business|factory|warehouse|shop|garage|caf[eé]|salon|depot|plant|site|barber(?:s|shop)?|"
                  r"restaurant|takeaway|pub|hotel|store|supermarket|office|call[ \t]+centre|centre|yard|farm|bar|club|"
                  r"care[ \t]+home|nursing[ \t]+home|car[ \t]+wash|tyre[ \t]+fitters?|launderette|bakery|"
                  r"kitchen|laundry|abattoir|distribution[ \t]+centre|depot)")
#: "a minicab firm, Racecourse Minicabs", "a packing factory in Kirton": what it is, then its name or town.
#: "in Kirton", "at Ashchurch", "on Mill Street": where a described workplace is.
LOCATED = r"[ \t]+(?:in|at|on)[ \t]+(?:the[ \t]+)?[A-Z][\w'’-]*(?:[ -][A-Z][\w'’-]*){0,3}"
DESCRIBED_WORKPLACE = (rf"(?:(?:an?|his|her|their)[ \t]+)?(?:[\w'’-]+[ \t]+){{0,2}}{WORKPLACE_NOUN}"
                       rf"(?:,[ \t]+{PLACE_NAME}(?:{ON_STREET})?|{LOCATED})")
#: "the care home in Craven Arms where Danielle works": a place the next words say someone works or studies at.
WHERE_WORKS = re.compile(rf"\b(?:the|a|an)[ \t]+(?P<place>(?:[\w-]+[ \t]+){{0,2}}{WORKPLACE_NOUN}(?:{LOCATED})?)"
                         r",?[ \t]+where[ \t]+(?:[\w'’-]+[ \t]+){1,2}(?:works|worked|studies|volunteers)\b")
WORKPLACE = re.compile(
    r"\b(?i:works|working|worked|employed|job|shifts?|drives|driving|volunteers|volunteering|workplace|studies|studying|"
    r"student)\b"
    r"(?:[ \t]+(?:as[ \t]+an?[ \t]+(?:[\w-]+[ \t]+){0,2}[\w-]+|nights|days|evenings|weekends|part-time|full-time|shifts|"
    r"landline|phone|number|address|early|late|long|(?:\w+[ \t]+)?shifts|cash[ -]in[ -]hand|for[ \t]+cash)){0,2}"
    # "works on reception at", "working most days at", "works offshore for": a few words, then "at" or "for"
    r"(?:[ \t]+(?:at|for|in|by|with|on)|(?:[ \t]+[a-z]+){1,4}?[ \t]+(?:at|for))[ \t]+(?:the[ \t]+)?(?P<place>"
    + DESCRIBED_WORKPLACE + "|" + MONTHS_AND_DAYS + PLACE_NAME + rf"(?:(?:[ \t]+[a-z]+){{0,2}}{TOWN_IN}|{ON_STREET}|{TOWN_AFTER})?)")
#: Jobs a person is named for at a workplace: "the manager at Star Cars", "an HGV driver for Teifi Haulage".
JOB = (r"(?:manager|owner|supervisor|assistant|cleaner|chef|cook|driver|mechanic|receptionist|labourer|porter|"
       r"waiter|waitress|barman|barmaid|bartender|cashier|packer|picker|operative|technician|engineer|electrician|"
       r"plumber|builder|fitter|apprentice|trainee|security[ \t]+guard|guard|carer|care[ \t]+worker|nurse|"
       r"hairdresser|barber|stylist|teacher|lecturer|accountant|administrator|clerk|sales\w*|butcher|baker|"
       r"lifeguard|instructor|steward|warden|caretaker|handyman|courier|attendant)")
JOB_AT = re.compile(rf"\b(?:is|was|as|becomes|became)[ \t]+(?:the|a|an)[ \t]+(?:[\w-]+[ \t]+){{0,2}}?{JOB}s?"
                    rf"[ \t]+(?:at|for|with)[ \t]+(?:the[ \t]+)?(?P<place>{MONTHS_AND_DAYS}{PLACE_NAME}"
                    rf"(?:(?:[ \t]+[a-z]+){{0,2}}{TOWN_IN}|{ON_STREET})?)")
#: "runs a car valeting business on the Pallion Industrial Estate": the business and where it is.
BUSINESS = re.compile(r"\b(?:runs|owns|manages|ran|owned|set[ \t]+up)[ \t]+(?P<place>(?:(?:an?|the|his|her|their)[ \t]+"
                      r"(?:[\w-]+[ \t]+){0,3}(?:business|shop|garage|caf[eé]|salon|stall|firm|company|pub|takeaway|"
                      r"restaurant)(?:[ \t]+(?:on|at|in)[ \t]+(?:the[ \t]+)?" + PLACE_NAME + ")?"
                      # "runs the Anatolia Grill on Fore Street"
                      + rf"|(?:the[ \t]+)?{MONTHS_AND_DAYS}[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){{0,3}}(?:{ON_STREET}|{TOWN_IN})?))")
#: "attends the Ty Derwen day opportunities centre in Rhosllanerchrugog": a named service someone goes to.
ATTENDS = re.compile(r"\b(?:attends|attending|attended|goes[ \t]+to|go[ \t]+to)[ \t]+(?:the[ \t]+)?(?P<place>[A-Z][\w'’-]*"
                     r"(?:[ \t]+[A-Z][\w'’-]*){0,3}(?:[ \t]+[a-z]+){0,3}[ \t]+(?:centre|center|service|club|group|unit|"
                     rf"project|school|nursery|college|academy|hub)(?:{TOWN_IN})?)")
#: "going to Titan Gym on Forge Lane", "prays at the Madina Masjid on Cobden Street": a named venue on its street.
VENUE_ON_STREET = re.compile(r"\b(?:attends|goes[ \t]+to|go[ \t]+to|going[ \t]+to|went[ \t]+to|prays[ \t]+at|praying[ \t]+at|"
                             r"worships[ \t]+at|trains[ \t]+at)[ \t]+(?:the[ \t]+)?(?P<place>[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,3}"
                             r"(?:[ \t]+(?:gym|church|chapel|mosque|temple|gurdwara|mandir|pool))?" + ON_STREET + ")")
#: "the name of his firm, Pell Roofing of Ashchurch": a workplace named after the word for it.
NAMED_WORKPLACE = re.compile(r"\b(?i:his|her|their)[ \t]+(?:own[ \t]+)?(?:firm|company|business|shop|garage|employer|"
                             r"workplace|salon|takeaway|restaurant|caf[eé]),[ \t]+(?P<place>" + PLACE_NAME + ")")
#: A details block's field: "Workplace: taxi driver for Orbit Taxis", "Work: taxi driver, Star Cars,
#: Tamberley", "School: Oakfield Primary".
PLACE_FIELD = re.compile(r"(?im)^[ \t]*[-*•]?[ \t]*(?P<label>workplace|employer|place of work|works at|work|employment|job|"
                         r"school|nursery|college)"
                         r"[ \t]*:[ \t]*(?P<place>[^\n]{2,80}?)[ \t]*$")
HOME_AREA = re.compile(
    r"\b(?:(?:route|way|walk|walks|walked|walking|journey|drive|drives|drove|driving|cycle|cycles|cycled|cycling|run|runs|"
    r"bus|goes|went|get|gets|got|getting)[ \t]+"
    r"(?:home|back)[ \t]+"
    r"(?:(?:home|to[ \t]+my[ \t]+\w+)[ \t]+)?(?:to|through|via|from|along|past|across|over|by)|home[ \t]+(?:in|at|near))"
    # "getting back to me", "back to work": a reply or a routine, not a place
    r"[ \t]+(?P<place>(?!(?:me|you|him|her|us|them|it|work|school|normal|sleep|bed)\b)(?:the[ \t]+)?[^,.;:()\n]{2,60}?)"
    r"(?=[,.;:()\n]|[ \t]+(?:and|but|so|because|every|each|most|on|at|"
    r"after|before|when|while|with|if|until|which|where|means|is|was|past)\b)")
#: A named place ("Stratford upon Avon", "Pontcanna, Cardiff"), never a month or a day.
PLACE_WORDS = (MONTHS_AND_DAYS + r"[A-Z][\w'’-]*(?:[ \t]+(?:(?:of|on|upon|in|under|le|y|yr)[ \t]+)?[A-Z][\w'’-]*)*"
               r"(?:,[ \t]+[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)?(?=[ \t]*[,.;]|[ \t]+[a-z]))?")
PLACE = rf"(?P<place>{PLACE_WORDS})"
#: "my son's Saturday football club in Bayston Hill": a venue named by where it is.
VENUE = re.compile(r"(?P<place>(?:\b(?!(?:my|her|his|their|our|the|a|an|at|to|in)\b)[\w'’-]+[ \t]+){0,2}\b(?:club|gym|church|"
                   r"mosque|temple|gurdwara|chapel|library|pool|leisure[ \t]+centre|playgroup|school)[ \t]+(?:in|at|on)[ \t]+"
                   + PLACE_WORDS + ")")
#: Where someone lives or has moved to: "lives nearby in Bengeworth", "rehoused in Shrewsbury".
RESIDENCE = re.compile(
    r"\b(?:[Ll]ives?|[Ll]iving|[Ll]ived|[Ss]tays?|[Ss]taying|[Ss]tayed|resides?|residing|rehoused|relocated|moved|moving|"
    r"housed|(?:took|take|takes|taking|drove|drives|dropped|drop)[ \t]+(?:him|her|them)(?:[ \t]+back)?[ \t]+to|"
    r"(?:at|to)[ \t]+(?:university|uni)|"
    r"settled|(?:is|are|was|were)[ \t]+still|remains?|remained|(?:foster|kinship|residential)[ \t]+care|"
    r"(?:house|home|flat|address|where[ \t]+I[ \t]+live)(?=[ \t]+(?:on|in|at)))\b(?:,?[ \t]+(?:[\w'’]+|St\.|[A-Z]\.)){0,8}?,?[ \t]+"
    # "lives in a flat above the Red Kite café"
    r"(?:in|at|on|near|to|into|above|behind|opposite|beside|next[ \t]+to)[ \t]+(?:the[ \t]+)?"
    # "in the next village, Maesglas"
    r"(?:(?:next|same|neighbouring|nearby)[ \t]+(?:village|town|street|road|estate),?[ \t]+)?"
    # "in the Bole area of Addis Ababa"
    rf"(?P<place>{PLACE_WORDS}(?:[ \t]+(?:area|district|part|side|estate|outskirts)[ \t]+(?:of|in)[ \t]+{PLACE_WORDS})?)")
EMPLOYER = re.compile(r"\b(?:employer,?|workplace,|(?:workplace|(?:his|her|their)[ \t]+(?:work|place[ \t]+of[ \t]+work))"
                      r"(?:[ \t]+[a-z]+)?[ \t]+(?:at|is))[ \t]+" + PLACE)
#: "outside Dalston Junction station, which he knew I use on my way home": a place the sentence
#: goes on to say is on the writer's way home or where the writer lives.
MY_PLACE = re.compile(r"\b(?:at|outside|near|by|on|in|from)[ \t]+(?:the[ \t]+)?" + PLACE
                      + r"(?:[ \t]+(?:station|stop|bus[ \t]+stop|stop))?,?(?=[^.;\n]{0,50}\b(?:my[ \t]+(?:own[ \t]+)?"
                      r"(?:route|way|walk|journey|drive|bus|train)[ \t]+home|where[ \t]+I\b))")
#: "walks home the same way after every session, along Harehills Lane to Coldcotes Avenue".
ROUTE_HOME = re.compile(r"\b(?:walks?|walked|drives?|drove|cycles?|cycled|goes|went|gets?|got)[ \t]+home\b[^.;\n]{0,40}?"
                        r"\b(?:along|via|through|past|up|down|across)[ \t]+(?:the[ \t]+)?"
                        rf"(?P<place>{PLACE_WORDS}(?:[ \t]+to[ \t]+{PLACE_WORDS})?)")
#: "named the street where she lives, Holly Avenue in Whickham".
WHERE_LIVES_NAMED = re.compile(r"\bwhere[ \t]+(?:[\w'’-]+[ \t]+){1,3}?(?:lives?|stays?)(?:[ \t]+now)?,[ \t]+" + PLACE)
#: "I drive past Tunnel Hill on my way home": the writer's own route.
MY_ROUTE = re.compile(r"\bI[ \t]+(?:\w+[ \t]+)?(?:drive|walk|cycle|go|pass|get[ \t]+off|get[ \t]+on)[ \t]+"
                      r"(?:past|through|via|along|by|at)[ \t]+(?:the[ \t]+)?" + PLACE)
#: "met Shauna on the 38 bus on my way home", "I get the 12A home": the writer's own bus.
MY_BUS = re.compile(r"\b(?:the|my)[ \t]+(?P<place>(?:number[ \t]+)?\d{1,3}[A-Z]?[ \t]+bus)"
                    r"(?=[^.;\n]{0,50}\bmy[ \t]+(?:own[ \t]+)?(?:route|way|journey)[ \t]+home)"
                    r"|\bI[ \t]+(?:usually[ \t]+|always[ \t]+)?(?:get|take|catch)[ \t]+the[ \t]+"
                    r"(?P<number>\d{1,3}[A-Z]?(?:[ \t]+bus)?)[ \t]+home\b")
#: "... at Burneside, where I live": a place the next words say someone lives.
WHERE_LIVES = re.compile(r"\b(?:at|in|near|to|from|as[ \t]+far[ \t]+as)[ \t]+(?:the[ \t]+)?" + PLACE
                         + r",?[ \t]+(?:near[ \t]+|close[ \t]+to[ \t]+)?where[ \t]+(?:[\w'’-]+[ \t]+){1,2}?(?:live|lives|stay|stays)\b")


#: The rule of a place found as where someone lives.
RESIDENCE_RULE = "places:residence"


def address_and_institution_spans(context: ReleaseContext) -> list[tuple[int, int]]:
    """Where the document names a street address or an institution, found once per document:
    a capitalised word there is part of a place, not a name or a sensitive word."""
    if "address_and_institution_spans" not in context.scratch:
        context.scratch["address_and_institution_spans"] = [
            m.span() for pattern in (*ADDRESS_PATTERNS, INSTITUTION) for m in pattern.finditer(context.text)]
    return context.scratch["address_and_institution_spans"]


@hookimpl
def redactor_detect(context: ReleaseContext) -> list[Finding]:
    text, findings = context.text, []
    for match in INSTITUTION.finditer(text):
        findings.append(Finding(match.start(), match.end(), "school", rule="places:institution"))
    for pattern in (ATTENDS, VENUE_ON_STREET):
        for match in pattern.finditer(text):
            findings.append(Finding(*match.span("place"), "school", rule="places:attends"))
    for pattern in (WORKPLACE, BUSINESS, WHERE_WORKS, NAMED_WORKPLACE, JOB_AT):
        for match in pattern.finditer(text):
            findings.append(Finding(*match.span("place"), "workplace", rule="places:workplace"))
    for pattern in (HOME_AREA, MY_ROUTE, MY_PLACE, ROUTE_HOME):
        for match in pattern.finditer(text):
            findings.append(Finding(*match.span("place"), "home_area", rule="places:home_area"))
    for match in MY_BUS.finditer(text):
        findings.append(Finding(*match.span("place" if match.group("place") else "number"), "home_area",
                                rule="places:home_area"))
    for match in PLACE_FIELD.finditer(text):
        kind = "school" if match.group("label").lower() in ("school", "nursery", "college") else "workplace"
        findings.append(Finding(*match.span("place"), kind, rule="places:field"))
    own_address = context.client.address or ""
    for pattern, rule in ((RESIDENCE, RESIDENCE_RULE), (WHERE_LIVES, RESIDENCE_RULE),
                          (WHERE_LIVES_NAMED, RESIDENCE_RULE), (VENUE, "places:venue"),
                          (EMPLOYER, "places:workplace")):
        for match in pattern.finditer(text):
            place = match.group("place")
            writer = re.search(r"\b(?:I|my|me)\b", text[max(0, match.start() - 12):match.end()])
            if rule == RESIDENCE_RULE and not writer and re.search(rf"\b{re.escape(place)}\b", own_address):
                continue  # the client's own town says nothing her address does not; the writer's home does
            findings.append(Finding(*match.span("place"), "place", rule=rule))
    return findings
