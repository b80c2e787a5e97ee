"""Special categories, decided per sentence, not per keyword.

"She was [X] by her uncle" still discloses, so when a sentence uses the
vocabulary of a special category the whole sentence is the finding. Whose
it is (the client's, or a third party's) is attribution's job. Words inside
an organisation's name ("Drug and Alcohol Service", "Muslim Welfare
Association") describe the organisation, not a person, and do not count;
nor do words a manager already removed by hand with ``--term``: the
manager chose to take out exactly those words.
"""
from __future__ import annotations

import bisect
import re
from typing import Any

from .. import hookimpl
from ..context import ReleaseContext
from ..model import STAFF_LIFE, Finding
from .places import address_and_institution_spans
from .terms import term_pattern
from ..errors import UsageError
from .vocabulary import COUNSELLING_SETTINGS, REPORTED_SPEECH, SPECIAL

#: Leading paragraph numbers ("2.3 ") stay outside a redacted sentence.
NUMBERING = re.compile(r"^\s*(?:\(?\d+(?:\.\d+)*[.)]?|\(?[a-z][.)]|[-•*])\s+")


def compile_vocabulary(kinds: dict[str, list[str]]) -> dict[str, re.Pattern[str]]:
    """One case-insensitive, word-bounded pattern per special kind. A pattern that is not text
    (in YAML, an unquoted "(?: x)" reads as a mapping) or does not compile stops the run with
    the kind and the entry named, rather than silently detecting less."""
    for kind, patterns in kinds.items():
        for pattern in patterns:
            if not isinstance(pattern, str):
                raise UsageError(f"vocabulary {kind}: entry {pattern!r} is not a text pattern (quote it in YAML)")
            try:
                re.compile(pattern)
            except re.error as error:
                raise UsageError(f"vocabulary {kind}: pattern {pattern!r} is not a valid regular expression: {error}")
    return {kind: re.compile(r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in patterns) + r")(?![\w-])",
                             re.IGNORECASE)
            for kind, patterns in kinds.items() if patterns}


@hookimpl
def redactor_special_vocabulary(config: dict[str, Any]) -> dict[str, list[str]]:
    """The default vocabulary plus the organisation config's ``vocabulary:``."""
    merged = {kind: list(patterns) for kind, patterns in SPECIAL.items()}
    for kind, patterns in (config.get("vocabulary") or {}).items():
        merged.setdefault(kind, []).extend(patterns)
    return merged


#: An organisation's name, as opposed to a faith or a group of people that
#: spaCy also tags ORG ("Seventh-day Adventist" is a person's religion).
ORGANISATION_NAME = re.compile(r"\b(?:Association|Service|Services|Trust|Team|Centre|Center|Council|Project|"
                               r"Hospital|Clinic|Surgery|Society|Network|Charity|Foundation|Programme|Unit|Hub|"
                               r"Partnership|Agency|Group|Ltd|Limited|CIC|Welfare|Support|Practice|Medical|School|"
                               r"College|Academy|Police|Court|Homes|Housing|Office|Department|Authority|Board|"
                               r"Cafcass|NHS)\b")


def _organisation_spans(context: ReleaseContext) -> list[tuple[int, int]]:
    spans = [(e.start_char, e.end_char) for e in context.nlp_doc.ents
             if e.label_ in ("ORG", "FAC") and ORGANISATION_NAME.search(e.text)]
    return spans + address_and_institution_spans(context)  # "8 Church Green East" is a street


ADDRESSEE_LINE = re.compile(r"\s*(?:To|From|Cc|Bcc|Attn|FAO)\s*:", re.IGNORECASE)
COUNSELLING = "special.counselling"
HEALTH = "special.health"
SUBSTANCE_USE = "special.substance_use"
#: Health words that, beside substance-use words, describe treating the substance use.
TREATMENT = re.compile(r"(?i:prescri\w*|medication|(?:sleeping )?tablets?|\d+ ?mg|script|dose|withdrawal|paramedics?|"
                       r"hospital|A&E|overdose\w*|clinic|GP appointments?|diazepam|pregabalin|gabapentin|shakes|"
                       r"taken to hospital)")
SETTING_RULE = "counselling_setting"
SETTING = re.compile(r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in COUNSELLING_SETTINGS) + r")(?![\w-])", re.IGNORECASE)
SPEECH = re.compile(r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in REPORTED_SPEECH) + r")(?![\w-])", re.IGNORECASE)


def _counselling_by_setting(sentence: str) -> bool:
    """What someone said in a session, a chat or a visit: a setting and reported speech."""
    return bool(SETTING.search(sentence) and SPEECH.search(sentence))


class VocabularyHits:
    """Every vocabulary match in the document, by kind, less those inside an organisation's
    name, an address or a --term; one pass over the text per kind, looked up per sentence."""

    def __init__(self, text: str, vocabulary: dict[str, re.Pattern[str]], excluded: bytearray) -> None:
        self.hits = {kind: [m for m in pattern.finditer(text) if not (excluded[m.start()] and excluded[m.end() - 1])]
                     for kind, pattern in vocabulary.items()}
        self.starts = {kind: [m.start() for m in hits] for kind, hits in self.hits.items()}

    def within(self, kind: str, start: int, end: int) -> list[re.Match[str]]:
        starts = self.starts.get(kind, [])
        return [m for m in self.hits[kind][bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]
                if m.end() <= end]


def _special(kinds: set[str]) -> bool:
    """Whether any of the kinds is a special category (circumstances and the writer's life are not)."""
    return any(kind.startswith("special.") for kind in kinds)


def _in_quotes(text: str, sentence_start: int, offset: int) -> bool:
    """Whether `offset` is inside quotation marks opened earlier in its sentence."""
    before = text[sentence_start:offset]
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


@hookimpl
def redactor_detect(context: ReleaseContext) -> list[Finding]:
    text = context.text
    orgs = _organisation_spans(context)
    manual = [m.span() for term in context.terms for m in term_pattern(term).finditer(text)]
    excluded = bytearray(len(text) + 1)  # 1 where a word belongs to an organisation, address or --term
    for zone_start, zone_end in orgs + manual:
        excluded[zone_start:zone_end] = b"\x01" * (zone_end - zone_start)
    hits = VocabularyHits(text, context.vocabulary, excluded)
    findings = []
    setting_paragraph = -1  # start of the paragraph whose earlier sentence named a session
    for start, end in context.sentences:
        sentence = text[start:end]
        paragraph = text.rfind("\n\n", 0, start)
        if ADDRESSEE_LINE.match(sentence):
            continue  # "Cc: Ann Lee (specialist midwife, substance use)": who a letter goes to
        numbering = NUMBERING.match(sentence)
        body_start = start + (numbering.end() if numbering else 0)
        kinds = {kind for kind in context.vocabulary if hits.within(kind, start, end)}
        if HEALTH in kinds and SUBSTANCE_USE in kinds and all(
                TREATMENT.fullmatch(h.group(0)) for h in hits.within(HEALTH, start, end)):
            kinds.discard(HEALTH)  # "methadone 30ml daily, prescribed": the treatment of the substance use
        if STAFF_LIFE in kinds and all(_in_quotes(text, start, hit.start()) for hit in hits.within(STAFF_LIFE, start, end)):
            kinds.discard(STAFF_LIFE)  # 'Sarah said "my kids are my world"': her words, not the writer's
        findings += [Finding(body_start, end, kind, rule=f"vocabulary:{kind}") for kind in sorted(kinds)]
        if COUNSELLING not in kinds and (_counselling_by_setting(sentence) or (
                setting_paragraph == paragraph and not _special(kinds) and SPEECH.search(sentence))):
            findings.append(Finding(body_start, end, COUNSELLING, rule=SETTING_RULE))
        if COUNSELLING in kinds or SETTING.search(sentence):
            setting_paragraph = paragraph  # "In our sessions Sarah talked about X. She said Y.": Y too
    return findings
