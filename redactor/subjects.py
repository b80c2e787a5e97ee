"""Who a sensitive sentence is about, from its grammar.

"Alun told us that Jamie uses heroin" is about Jamie, not Alun: the fact
sits in the clause whose verb governs the sensitive word, so we walk up the
dependency tree from each sensitive word to the first verb with a subject
(or, for sexual violence, with a victim: the object of an active verb or
the subject of a passive one) and resolve that to a person. Pronouns look
back for the nearest person of a compatible gender, in the sentence first.
"""
from __future__ import annotations

import re
from typing import Any

from .context import ReleaseContext
from .detectors.vocabulary import GENDERED_WORDS_BY_GENDER

PERSONAL_PRONOUNS = {"she": "f", "her": "f", "herself": "f", "he": "m", "him": "m", "his": "m", "himself": "m",
                     "they": None, "them": None, "their": None}
RELATIVE_PRONOUNS = {"who", "whom", "whose", "that", "which"}
SUBJECT_DEPS = ("nsubj", "nsubjpass")
TAKING_VERBS = frozenset({"take", "takes", "taking", "took", "use", "uses", "using", "used", "steal", "steals",
                          "stealing", "stole", "borrow", "borrowed", "borrowing", "share", "shares", "sharing"})
#: Key prefix for a third party the report names only by relationship.
UNNAMED = "unnamed:"
UNNAMED_PEOPLE = frozenset(w for words in GENDERED_WORDS_BY_GENDER.values() for w in words) | {
    "partner", "ex-partner", "child", "children", "baby", "friend", "neighbour", "neighbours", "parents",
    "grandparents", "relative", "relatives", "cousin", "housemate", "flatmate", "colleague", "boss", "mate"}
VICTIM_KIND = "special.sexual_violence"


def person_findings(context: ReleaseContext) -> list[Any]:
    """The document's name findings in order, indexed once per document."""
    if "person_findings" not in context.scratch:
        context.scratch["person_findings"] = sorted((f for f in context.findings if f.kind == "person"),
                                                    key=lambda f: f.start)
    return context.scratch["person_findings"]


def _person_at(context: ReleaseContext, offset: int) -> str | None:
    for finding in context.scratch["person_findings"]:
        if finding.start <= offset < finding.end:
            return finding.person
    return None


def _compatible(context: ReleaseContext, key: str, gender: str | None) -> bool:
    person = context.people.get(key)
    return gender is None or person is None or person.gender in (None, gender)


def _antecedent(context: ReleaseContext, token: Any, gender: str | None, sentence_start: int) -> str | None:
    """Who a pronoun stands for: the nearest fitting person named before it in
    its sentence; for a pronoun opening its sentence, the person the sentence
    before opened with ("Delyth has MS. She has been sectioned before."), or a
    third party of the pronoun's known gender that sentence was about;
    else the client if the pronoun fits the client (reports are about the
    client); else the nearest fitting person named earlier."""
    earlier = [f for f in context.scratch["person_findings"]
               if f.end <= token.idx and f.start >= max(0, sentence_start - 600)]
    plural = token.lower_ in ("they", "them", "their")  # others than the client, as a rule
    reporter = _reporter(context, token)
    if reporter and _compatible(context, reporter, gender) and not (plural and reporter == "client"):
        return reporter
    knower = _knower(context, token)
    for finding in reversed([f for f in earlier if f.start >= sentence_start]):
        if finding.person and finding.person != knower and _compatible(context, finding.person, gender) and not (plural and finding.person == "client"):
            return finding.person
    if not context.text[sentence_start:token.idx].strip() and (sentence_before := _sentence_before(context, sentence_start)):
        previous = _previous_sentence_opener(context, *sentence_before)
        if previous and _compatible(context, previous, gender) and not (plural and previous == "client"):
            return previous
        previous = _previous_sentence_subject(context, *sentence_before)
        if previous and gender and context.people[previous].gender == gender:
            return previous
    if _compatible(context, "client", gender) and not plural:
        return "client"
    for finding in reversed(earlier):
        if finding.person and _compatible(context, finding.person, gender):
            return finding.person
    return f"{UNNAMED}{token.lower_}"  # not the client, and nobody named fits: someone else


def _reporter(context: ReleaseContext, token: Any) -> str | None:
    """The named subject of the verb that reports the pronoun's clause, when the clause names
    nobody before the pronoun: in "Kyle told Eileen that he works at a car wash", "he" is
    Kyle, the teller, not Eileen, the nearest name."""
    clause = next((t for t in [token, *token.ancestors] if t.dep_ == "ccomp"), None)
    if clause is None or clause.head is clause or clause.head.lower_ in KNOWING_VERBS:
        return None
    clause_start = min(t.idx for t in clause.subtree)
    if any(clause_start <= f.start < token.idx for f in context.scratch["person_findings"]):
        return None  # "Marcie said Tyrone was sent home after he...": someone named in the clause is nearer
    subject = next((c for c in clause.head.children if c.dep_ in SUBJECT_DEPS), None)
    return _person_at(context, subject.idx) if subject is not None else None


#: Verbs of finding out: "Sabiha now knows that she lives on Astwood Road" is someone else's home.
KNOWING_VERBS = frozenset({"know", "knows", "knew", "known", "discover", "discovered", "learn", "learned", "learnt",
                           "find", "found", "realise", "realised", "realize", "realized"})


def _knower(context: ReleaseContext, token: Any) -> str | None:
    """The named subject of a verb of finding out whose clause holds the pronoun: one knows
    where someone else lives, so the pronoun is not the knower."""
    clause = next((t for t in token.ancestors if t.dep_ in ("ccomp", "advcl", "xcomp")), None)
    if clause is None or clause.head.lower_ not in KNOWING_VERBS:
        return None
    subject = next((c for c in clause.head.children if c.dep_ in SUBJECT_DEPS), None)
    return _person_at(context, subject.idx) if subject is not None else None


def _sentence_before(context: ReleaseContext, sentence_start: int) -> tuple[int, int] | None:
    """The sentence that ends before `sentence_start`, if any."""
    return next((span for span in reversed(context.sentences) if span[1] <= sentence_start), None)


def _previous_sentence_opener(context: ReleaseContext, start: int, end: int) -> str | None:
    """The person named first in the sentence [start, end), if it starts with them."""
    first = next((f for f in context.scratch["person_findings"] if start <= f.start < end), None)
    if first is None or context.text[start:first.start].strip(" -•*\t") \
            or context.text[first.end:first.end + 2] in ("'s", "’s"):
        return None  # "Sarah's mother, Jean, ..." opens with Jean, not Sarah
    return first.person


def _previous_sentence_subject(context: ReleaseContext, start: int, end: int) -> str | None:
    """The third party the sentence [start, end) is about, named as its subject or beside it: "His
    mother, Zubeida, has lived with them since 2019. She has diabetes..." is Zubeida's."""
    span = context.nlp_doc.char_span(start, end, alignment_mode="expand")
    subject = next((c for c in span.root.children if c.dep_ in SUBJECT_DEPS), None) if span is not None else None
    if subject is None:
        return None
    for candidate in (subject, *(c for c in subject.children if c.dep_ == "appos")):
        key = _person_at(context, candidate.idx)
        if key and key in context.people and context.people[key].role == "third_party":
            return key
    return None


def resolve(context: ReleaseContext, token: Any, sentence_start: int) -> str | None:
    """The person a token names or stands for, if any."""
    key = _person_at(context, token.idx)
    if key:
        return key
    lower = token.lower_
    if lower in UNNAMED_PEOPLE and token.tag_.startswith("NN"):
        return f"{UNNAMED}{lower}"  # "her mother", "his brother": someone else, even unnamed
    if lower in RELATIVE_PRONOUNS and token.head.dep_ == "relcl":
        return resolve(context, token.head.head, sentence_start)
    if lower in PERSONAL_PRONOUNS:
        return _antecedent(context, token, PERSONAL_PRONOUNS[lower], sentence_start)
    for child in token.children:
        if child.dep_ == "poss":
            owner = resolve(context, child, sentence_start)
            if owner:
                return owner
    return None


def _victim(context: ReleaseContext, verb: Any, sentence_start: int) -> str | None:
    """The person a sexual-violence verb was done to; a pronoun victim is the
    client when she or he can be (disclosures are the client's own). "Made
    her have sex" puts the victim in the clause the verb governs."""
    for child in [*verb.children, *(g for c in verb.children if c.dep_ in ("ccomp", "xcomp") for g in c.children)]:
        if child.dep_ in ("dobj", "nsubjpass", "nsubj") and child.lower_ in PERSONAL_PRONOUNS and child.head is not verb:
            if _compatible(context, "client", PERSONAL_PRONOUNS[child.lower_]):
                return "client"
        if child.dep_ in ("dobj", "nsubjpass") and child.head is verb:
            if child.lower_ in PERSONAL_PRONOUNS and _compatible(context, "client", PERSONAL_PRONOUNS[child.lower_]):
                return "client"
            return resolve(context, child, sentence_start)
    return None


def about(context: ReleaseContext, start: int, end: int, kind: str) -> set[str]:
    """The people the `kind` words of the sentence at [start, end) are about."""
    doc = context.nlp_doc
    person_findings(context)
    sentence = doc.char_span(start, end, alignment_mode="expand")
    pattern = context.vocabulary.get(kind)
    if sentence is None or pattern is None:
        return set()
    found = set()
    for match in pattern.finditer(context.text, start, end):
        token = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if token is None:
            continue
        key = _about_token(context, token.root, kind, start)
        if key:
            found.add(key)
    return found


def _about_token(context: ReleaseContext, token: Any, kind: str, sentence_start: int) -> str | None:
    """The person a sensitive word is about: the subject of the nearest clause
    above it, else the owner named by a possessive on the way ("Delyth's MS
    nurse"), which loses to a subject ("she took Emrys's tablets" is hers)."""
    current, owner_by_possessive = token, None
    direct = next((resolve(context, c, sentence_start) for c in token.children if c.dep_ == "poss"), None)
    verb = next((t for t in token.ancestors if t.tag_.startswith("VB")), None)
    if direct and (verb is None or verb.lower_ not in TAKING_VERBS):
        return direct  # "his father's drinking" is his; "taking Emrys's tablets" is the taker's
    for _ in range(12):
        if owner_by_possessive is None:
            owner_by_possessive = next((resolve(context, c, sentence_start) for c in current.children
                                        if c.dep_ == "poss"), None)
        if kind == VICTIM_KIND and (current.tag_.startswith("VB") or current.tag_ == "MD"):
            victim = _victim(context, current, sentence_start)
            if victim:
                return victim
        subjects = [c for c in current.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            owner = resolve(context, subjects[0], sentence_start)
            if owner:
                return owner
            if owner_by_possessive:
                return owner_by_possessive
            # "since the IVF failed": a thing as subject; the clause above says whose it is
        if current.head is current:
            return owner_by_possessive
        current = current.head
    return owner_by_possessive


def owner_of_span(context: ReleaseContext, start: int, end: int, sentence_start: int) -> str | None:
    """Who the clause holding [start, end) is about ("he works at a car wash on Seafield Road" is his)."""
    person_findings(context)
    span = context.nlp_doc.char_span(start, end, alignment_mode="expand")
    return _about_token(context, span.root, "", sentence_start) if span is not None else None


def pronoun_referent(context: ReleaseContext, offset: int, sentence_start: int) -> str | None:
    """Who the pronoun at `offset` stands for ("Kyle told Eileen... His mobile is" is Kyle's)."""
    person_findings(context)
    span = context.nlp_doc.char_span(offset, offset + 1, alignment_mode="expand")
    return resolve(context, span.root, sentence_start) if span is not None else None


def speaker(context: ReleaseContext, start: int, end: int, speech: "re.Pattern[str]") -> str | None:
    """Who said what a sentence reports: the subject of its first reporting verb."""
    doc = context.nlp_doc
    person_findings(context)
    for match in speech.finditer(context.text, start, end):
        verb = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if verb is None:
            continue
        for child in verb.root.children:
            if child.dep_ in SUBJECT_DEPS:
                return resolve(context, child, start)
    return None
