"""Presidio recognisers for what UK reports hold: postcodes, phones, addresses...

Each is a `RegexRecognizer`: a list of regular expressions, where a named
group ``value`` (if present) is the part to report, so context words such as
"NHS number" or "born" can anchor a match without being redacted themselves.
"""
from __future__ import annotations

import re
from typing import Callable

from presidio_analyzer import EntityRecognizer, RecognizerResult

POSTCODE = r"(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})"
MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
DATE = (rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTHS}\.?,?\s+\d{{4}}|{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
        r"|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})")
STREET_TYPES = (r"(?:Road|Rd|Street|St(?!\.?[ \t]+[A-Z][a-z])|Avenue|Ave|Close|Lane|Ln|Drive|Dr(?!\.?[ \t]+[A-Z][a-z])|Way|Grove|Crescent|Cres|Court|Ct|"
                r"Place|Pl|Gardens|Gdns|Terrace|Walk|Hill|Rise|Row|Square|Sq|Mews|Park|View|Green|Parade|"
                r"Croft|Vale|Meadows?|Chase|Wynd|Boulevard|Approach|Fields|Gate|End|Lea|Heights|Wharf|Yard|Quay|"
                r"Arcade|Precinct|Estate|Buildings|Stryd|Heol|Ffordd|Lon|Cwrt|Rhodfa)")
#: Letters of names and places beyond ASCII ("Esmé", "Łukasz", "Pen-y-Bryn Ŵyn"); Latin Extended-A
#: mixes cases, so it counts as both.
UPPER = "A-ZÀ-ÖØ-ÞĀ-ž"
LOWER = "a-zß-öø-ÿĀ-žŵŷ"
CAP_WORD = rf"[{UPPER}][{LOWER}'’]*[{LOWER}](?:[A-Z][a-z]+)?(?:-[A-Za-z][{LOWER}'’]*)*"
PLACE = rf"{CAP_WORD}(?:[ -](?:on|upon|under|in|le|by|the|cum)[ -]{CAP_WORD})?(?: {CAP_WORD})?"
HOUSE_NAME = rf"{CAP_WORD}(?: {CAP_WORD})? (?:Cottage|House|Farm|Lodge|Barn|Villa|Manor|Hall|Mill)"
#: "NHS number on our records is 462...": a few lower-case words between a label and its value.
LABEL_GAP = r"(?:[ \t]+(?:[a-z]+|is|was)){0,4}?"
#: White space inside an address: a line break, but never a blank line (a new paragraph is not
#: the next line of an address: "20 March 2026\n\nDear Dr Vaughan").
GAP = r"(?:[ \t]*\n[ \t]*|[ \t]+)"
SEP = rf"(?:,[ \t]*(?:\n[ \t]*)?|{GAP})"
STREET_PREPOSITIONS = "|".join([*(rf"(?<=\b{word} )" for word in ("on", "in", "off", "at", "of", "along", "near", "down",
                                                                   "from")),
                                "(?<=\\bstreet, )", "(?<=\\broad, )"])  # "my home street, Biddulph Way"
#: "Holly Walk Pharmacy" names a business, not an address.
INSTITUTION_WORD = (r"\s+(?:Pharmacy|Surgery|Medical|Health|Practice|Clinic|School|Academy|College|Nursery|"
                    r"Hospital|Centre|Church|Chapel|Mosque|Library|Hotel|Pub|Cafe|Café|Stores?)\b")
STREET_NAME = rf"(?:{CAP_WORD} ){{0,2}}{CAP_WORD} {STREET_TYPES}\b(?!{INSTITUTION_WORD})"
# A street needs a house number, a house name, or a preposition before it
# ("lives on Mill Lane"): "Becky Lane" signing a letter is a person.
STREET = (rf"(?:(?:Flat|Apartment|Apt|Unit|Room)\s+\d+[A-Za-z]?{SEP})?"
          rf"(?:(?:{HOUSE_NAME}){SEP}(?:\d{{1,4}}[A-Za-z]?(?:-\d{{1,4}})?,?{GAP})?|\d{{1,4}}[A-Za-z]?(?:-\d{{1,4}})?,?{GAP}"
          rf"|{STREET_PREPOSITIONS}){STREET_NAME}")
ADDRESS_TAIL = rf"(?:{SEP}(?!{POSTCODE}\b){PLACE}){{0,2}}(?:{SEP}{POSTCODE}\b)?"


class RegexRecognizer(EntityRecognizer):
    """Matches regular expressions; reports the ``value`` group when there is one."""

    def __init__(self, entity: str, patterns: list[str], score: float = 0.85,
                 validate: Callable[[str], bool] | None = None, flags: int = 0) -> None:
        self._regexes = [re.compile(p, flags) for p in patterns]
        self._validate = validate
        self._score = score
        super().__init__(supported_entities=[entity], name=f"uk_{entity.lower()}")

    def load(self) -> None:  # nothing to load: the patterns are compiled in __init__
        return None

    def analyze(self, text: str, entities: list[str], nlp_artifacts: object = None) -> list[RecognizerResult]:
        results = []
        for regex in self._regexes:
            for match in regex.finditer(text):
                group = "value" if "value" in regex.groupindex else 0
                start, end = match.span(group)
                if start < 0 or (self._validate and not self._validate(match.group(group))):
                    continue
                results.append(RecognizerResult(self.supported_entities[0], start, end, self._score))
        return results


STREET_ADDRESS = re.compile(rf"(?<![\w-]){STREET}{ADDRESS_TAIL}")
#: Any numbered line ending in a town and a postcode ("3 Stryd y Bont, Llandeilo SA19 6BP").
NUMBERED_ADDRESS = re.compile(rf"(?<![\w-])(?:(?:Flat|Unit|Apartment)\s+)?\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Za-z][\w'’-]*\s+){{0,4}}?"
                              rf"[A-Z][\w'’-]*,\s*(?:[A-Z][\w'’-]*(?:[ -][A-Z][\w'’-]*)?,\s*)?[A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+)?"
                              rf"\s+{POSTCODE}\b")
#: A street with no number but a postcode after it ("Yr Hen Ysgol, Chapel Street, Tregaron SY25 6HA").
STREET_WITH_POSTCODE = re.compile(rf"(?<![\w-])(?:{CAP_WORD}(?: {CAP_WORD}){{0,3}},\s*)?{STREET_NAME},?\s+"
                                  rf"(?:{PLACE},?\s+)?{POSTCODE}\b")
#: Welsh streets name their kind first: "2 Ffordd Pen-y-dre, Gilwern", "Tŷ Gwyn, Lôn Isaf", "3 Stryd y Capel".
WELSH_STREET = re.compile(rf"(?<![\w-])(?:(?:Tŷ|Ty|Plas|Bwthyn|Fferm)\s+{CAP_WORD},\s+)?(?:\d{{1,4}}[A-Za-z]?,?\s+)?(?:Heol|Ffordd|Stryd|Lôn|Lon|Cwrt|Rhodfa|Maes|Parc|Llwyn)"
                          rf"\s+(?:(?:y|yr)\s+)?{CAP_WORD}(?:\s+(?:y|yr|{CAP_WORD}))*{ADDRESS_TAIL}")
ADDRESS_PATTERNS = (STREET_ADDRESS, NUMBERED_ADDRESS, STREET_WITH_POSTCODE, WELSH_STREET)


def _not_a_court(candidate: str) -> bool:
    """"Bristol Magistrates Court" is a courthouse, not somebody's street."""
    return not re.search(r"\b(?:Magistrates['’]?|Crown|County|Family|Youth|Combined|Royal Courts?)\s+Court\b",
                         candidate)


def _uk_phone_digits(candidate: str) -> bool:
    """A UK number has 10 digits after the trunk 0 (or +44), 9 for a few old ranges; a number
    mistyped with one digit too many still reaches someone, so it goes too."""
    digits = re.sub(r"\D", "", candidate)
    if digits.startswith("44"):
        digits = "0" + digits[2:].lstrip("0")
    return digits.startswith("0") and len(digits) in (10, 11, 12)  # one digit too many is still a number


def _ten_digits(candidate: str) -> bool:
    digits = [int(d) for d in re.sub(r"\D", "", candidate)]
    return len(digits) == 10


def uk_recognizers() -> list[EntityRecognizer]:
    """The recognisers a UK report needs beyond names and e-mail addresses."""
    return [
        RegexRecognizer("UK_POSTCODE", [rf"\b{POSTCODE}\b"]),
        # Phones in every common writing, including Ofcom's drama ranges
        # (07700 900xxx, 01632 960xxx) that libphonenumber calls invalid.
        RegexRecognizer("PHONE_NUMBER", [
            r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(0|0)\d{2,4}\)?[\s.-]?\d{3,4}[\s.-]?\d{3,4}(?![\w])",
        ], validate=_uk_phone_digits),
        RegexRecognizer("UK_ADDRESS", [
            *(pattern.pattern for pattern in ADDRESS_PATTERNS),
            rf"\b(?:PO|P\.O\.) Box \d+{ADDRESS_TAIL}",
            r"\b(?:Flat|Apartment|Apt|Room)\s+\d+[A-Za-z]?\b",  # "Mr Hemming of Flat 24"
            r"\b(?:at|from)\s+(?P<value>(?:[Nn]umber|[Nn]o\.?)\s+\d+[A-Za-z]?)\b",  # "next door, at number 5"
        ], validate=_not_a_court),
        RegexRecognizer("UK_NHS", [
            rf"(?i:NHS)\s*(?i:number|no\.?|#)?{LABEL_GAP}\s*:?\s*(?P<value>\d{{3}}[\s-]?\d{{3}}[\s-]?\d{{4}})\b",
        ], validate=_ten_digits),
        RegexRecognizer("CASE_REFERENCE", [
            # police, Home Office and court references identify a person as surely as an NI number
            r"(?i:\bPNC|\bCRO|Home\s+Office|\bHO|\bNASS|\bport|\bcase)\s+(?i:reference|ref\.?|number|no\.?)\s*:?\s*"
            r"(?P<value>[A-Z0-9][A-Z0-9/-]{4,}[A-Z0-9])\b",
            r"\b(?:PNC|CRO)(?:\s+(?i:number|no\.?|ref\.?))?\s*:?\s*(?P<value>\d{2}/\d{3,7}[A-Z])\b",
        ]),
        RegexRecognizer("UK_NINO", [
            r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b",
            # Any prefix (QQ is HMRC's specimen) when the text says what it is.
            rf"(?i:National\s+Insurance|\bNI\b|\bNINO\b)(?:\s+(?i:number|no\.?))?{LABEL_GAP}\s*:?\s*"
            r"(?P<value>[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D])\b",
        ]),
        RegexRecognizer("DATE_OF_BIRTH", [
            rf"(?i:\bborn(?:\s+on)?|\bDOB|\bD\.O\.B\.?|date\s+of\s+birth){LABEL_GAP}\s*:?\s*(?P<value>{DATE})",
        ]),
        # A car says where someone is as surely as an address: "a silver Corsa, registration KX19 FPD".
        RegexRecognizer("VEHICLE_REGISTRATION", [
            r"\b[A-HJ-PR-Y][A-HJ-PR-Y]\d{2}[ \t]?[A-HJ-PR-Z]{3}\b",
            r"(?i:registration|\breg\.?|number\s+plate|plate)\s*(?i:number|no\.?)?\s*:?\s*"
            r"(?P<value>[A-Z]\d{1,3}[ \t]?[A-Z]{3}|[A-Z]{3}[ \t]?\d{1,3}[A-Z]?)\b",
        ]),
        RegexRecognizer("SOCIAL_HANDLE", [
            r"(?<![\w.@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?\b",
            r"(?i)\b(?:https?://)?(?:www\.)?(?:facebook|instagram|tiktok|twitter|x|snapchat|linkedin)\.com/[\w./-]+",
            # "her Facebook page, Harriet Selby Makes": a page or account named after the word for it
            r"(?i:facebook|instagram|tiktok|twitter|snapchat|youtube|linkedin)\s+(?i:page|account|profile|group|"
            r"channel)(?:,|\s+(?i:called|named))\s+(?P<value>[A-Z][\w'’&.-]*(?:\s+[A-Z][\w'’&.-]*){0,4})",
            # "my personal Facebook profile, rosie.trelawny.sails": a handle written without its @
            r"(?i:facebook|instagram|tiktok|twitter|snapchat|threads)(?:\s+(?i:page|account|profile|handle|username|name))?"
            r"\s*(?:,|:|\s+is|\s+called|\()?\s*(?P<value>[a-z0-9_]+(?:[._][a-z0-9_]+)+)\b",
            # "my personal Facebook (Maggie Tennant-Ayre)": the account's name in brackets
            r"(?i:facebook|instagram|tiktok|twitter|snapchat|youtube|linkedin)(?:\s+(?i:page|account|profile))?\s*"
            r"\((?P<value>[A-Z][\w'’&.-]*(?:\s+[A-Z][\w'’&.-]*){0,4})\)",
        ]),
    ]
