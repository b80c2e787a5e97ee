"""People: who is named in the report, who they are to the client, and where.

Names come from three places: the client register (name, aliases and the
forms people write: first name, "Ms Surname", possessives), spaCy's PERSON
entities, and titles ("Dr", "PC", "Mrs"...). Names are grouped into people
(a full name and its first name and surname are one person), each person
gets a role (professional only on positive evidence: a professional title,
a job, or "of <organisation>"; otherwise a third party, since guessing
wrong that way over-redacts rather than leaks) and, for third parties, a
relationship for the label. Then every mention of every name form is found
by string search, so a name spaCy missed in one sentence is still caught.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import hookimpl
from ..context import ReleaseContext
from ..model import Client, Finding, Person
from .client_record import address_parts, occurrences
from .given_names import given_names, name_genders
from .places import address_and_institution_spans
from .recognizers import LOWER, POSTCODE, UPPER
from .vocabulary import GENDERED_WORDS, NOT_NAMES, PROFESSIONAL_TITLES, RELATIONSHIPS, ROLE_WORDS, SOCIAL_TITLES

if TYPE_CHECKING:
    from spacy.tokens import Token

TITLE = "|".join(re.escape(t) for t in (*PROFESSIONAL_TITLES, *SOCIAL_TITLES))
NAME_WORD = (rf"[{UPPER}][{LOWER}'’]*[{LOWER}](?:-[{UPPER}][{LOWER}'’]+)?|[{UPPER}][{LOWER}]?[{UPPER}][{LOWER}]+"
             rf"|O['’][{UPPER}][{LOWER}]+")
TITLED_NAME = re.compile(rf"\b(?P<title>{TITLE})\.?[ \t]+(?:[A-Z]\.?[ \t]+)?(?P<name>(?:(?:{NAME_WORD})[ \t]+){{0,2}}(?:{NAME_WORD}))")
ROLE_PATTERN = re.compile(r"\b(?:" + "|".join(ROLE_WORDS) + r")s?\b", re.IGNORECASE)
RELATIONSHIP_PATTERNS = [(re.compile(rf"\b{word}\b", re.IGNORECASE), label) for word, label in RELATIONSHIPS.items()]
#: "Jo Parry, Support Worker", "Jo Parry (the family's social worker)", "Jo Parry - GP".
#: Words that make what follows a name a clause about them, not their job ("Terry, told our volunteer").
CLAUSE_WORDS = (r"(?:told|said|asked|met|saw|called|rang|phoned|visited|contacted|e-?mailed|texted|gave|sent|showed|"
                r"and|who|that|which|when|has|had|is|was|will|would|to|with|from|by)")
ROLE_AFTER = re.compile(r"\s*(?:\([A-Z]{1,4}\),?)?\s*(?:[(,–|-]\s*(?:the\s+|an?\s+|our\s+|my\s+|her\s+|his\s+|their\s+)?"
                        rf"(?:(?!{CLAUSE_WORDS}\b)[\w'’-]+\s+){{0,3}}?)?(?:" + ROLE_PATTERN.pattern + ")"
                        r"(?!['’])", re.IGNORECASE)  # "(Northbridge Magistrates' Court": a court, not a magistrate
ROLE_NEXT_LINE = re.compile(r"\s*\n\s*(?:[\w-]+\s+){0,3}" + ROLE_PATTERN.pattern, re.IGNORECASE)
#: "Support worker: Jo Parry", "her social worker is Jo Parry", a "To:" line of a letter or e-mail.
ROLE_BEFORE = re.compile(r"(?:(?:" + ROLE_PATTERN.pattern + r")(?:\s+(?:at|of|from|for)\s+(?:[A-Z][\w'’&-]*\s*){1,6})?"
                         r"(?:(?:[ \t]+[a-z]+)?\s*[,:]|(?:\s+\w+)?\s+(?:is|was))?|"
                         r"(?:^|\n)\s*(?:To|From|Cc|Attn|FAO|Dear)\s*:?)\s*$", re.IGNORECASE)
_ORG_KINDS = (r"(?:Police|Council|Hospital|Surgery|Solicitors|Service|Services|Trust|Cafcass|NHS|"
              r"Probation|Team|Centre|Center|Practice|Clinic|Court|Partnership|Association|Charity|"
              r"Housing|Agency|Board|Unit|Authority|First|CAMHS)\b")
#: "Jo Parry of Cotswold Housing", "Teresa Lomax, Vulnerable Customers Team": named with an organisation.
ORG_HINT = re.compile(rf"(?:\b(?:of|at|from|with)\s+|,\s*)(?:the\s+)?(?:[A-Z][\w&'’.-]*\s*){{1,6}}{_ORG_KINDS}")
#: "convicted of assault against Ms Brooks at Stratford Magistrates' Court", "visiting her nan at Riverside
#: Hospital": someone an act is done to at a place, not someone who works there.
DONE_TO_BEFORE = re.compile(r"\b(?:against|assaulted|attacked|harassed|threatened|visit|visits|visiting|visited|"
                            r"seeing|saw)[ \t]+(?:(?:Mr|Mrs|Ms|Miss|Mx|her|his|their)[ \t]+)?(?:\w+[ \t]+)?$")
#: "the social work team at Hollinford General Hospital (Sian Lloyd, 01632 960812)": a contact given for an organisation.
ORG_BRACKET_BEFORE = re.compile(rf"{_ORG_KINDS}[ \t]*\([ \t]*$")
_RELATIONSHIP_WORDS = "|".join(RELATIONSHIPS)
#: "everyone calls him Smithy", "a neighbour he calls \"Big Gaz\"".
_CALLS = (r"(?:(?i:everyone|everybody|people|they|he|she|we|friends|(?:the[ \t]+)?(?:lads|boys|girls|kids|guests|residents))"
          r"[ \t]+calls?(?:[ \t]+(?:him|her|them))?|[A-Z][a-z]+[ \t]+calls[ \t]+(?:him|her|them))")
_NAME_RUN = rf"(?P<name>(?:{NAME_WORD})(?:[ \t]+(?:{NAME_WORD})){{0,2}})"
#: A name introduced by who the person is: "her son, Jake", "a man called Steve",
#: "Jake Smith, son, 15", "Jake (her son)", "Haris, who is 11", "Jake, aged 4".
INTRODUCED_NAMES = (
    re.compile(rf"\b(?:{_RELATIONSHIP_WORDS}|called|named|known[ \t]+(?:only[ \t]+)?(?:to[ \t]+\w+[ \t]+)?as|{_CALLS}|(?:know|knew|knows)[ \t]+(?:him[ \t]+|her[ \t]+)?"
               rf"(?:only[ \t]+)?as|calls[ \t]+(?:him|her)self|goes[ \t]+by|(?:his|her|their)[ \t]+(?:real[ \t]+)?name[ \t]+(?:is|was)|"
               rf"full[ \t]+name[ \t]+(?:\w+[ \t]+){{0,4}}?"
               rf"(?:is|was|to[ \t]+be))(?:,|\s+is)?[ \t]+[\"“]?{_NAME_RUN}\b"),
    # "Danielle Featherstone, who attends our women's group": another of the service's clients
    re.compile(rf"{_NAME_RUN},?[ \t]+who[ \t]+(?:also[ \t]+)?(?:attends|comes[ \t]+to|came[ \t]+to|uses|used|"
               rf"is[ \t]+also[ \t]+(?:a[ \t]+)?(?:client|member))\b"),
    re.compile(rf"{_NAME_RUN}(?:,[ \t]+|[ \t]+\()(?:(?:her|his|their|the|[A-Z][a-z]+['’]s)[ \t]+)?(?:[a-z-]+[ \t]+)?"
               rf"(?:{_RELATIONSHIP_WORDS})\b"),
    re.compile(rf"{_NAME_RUN},?[ \t]+\(?(?:who is|aged|age)[ \t]+\d"),
    # "the man in the flat above, Shane Wilkes,": someone described, then named
    re.compile(rf"\b(?:man|woman|lad|boy|girl|guy|bloke|lady|person)(?:[ \t]+[a-z]+){{0,5}},[ \t]+{_NAME_RUN}(?=,)"),
    re.compile(rf"{_NAME_RUN}[ \t]+\(\d{{1,2}}\)"),
    # "everyone calls him JJ": a nickname of initials
    re.compile(rf"\b(?:{_CALLS}|known[ \t]+as)[ \t]+[\"“']?(?P<name>[A-Z]{{2,3}})\b(?![ \t]*[A-Z])"),
)
INSTITUTION_AFTER = re.compile(r"(?:['’]s)?\s+(?:Surgery|Hospital|School|Church|Centre|House|Court|Road|Street|"
                               r"Lane|Avenue|Close|Mews|Park|College|Academy|Nursery|Practice|Clinic|Hall)\b")
#: A capitalised word used as a place or a group: after "in", "at", "the"..., or before a postcode.
PLACE_WORD = re.compile(rf"\b(?:in|at|near|around|outside|from|the)\s+(?:the\s+)?([A-Z][\w'’-]*)\b"
                        rf"|\b([A-Z][\w'’-]*),?\s+{POSTCODE}\b")
TOWN_WORD = re.compile(r"\b(?:in|at|near|around|outside)\s+([A-Z][\w'’-]*)\b")
#: An organisation or Welsh street word just before a name on its line ("Carers Link Caerwen").
ORG_WORD_BEFORE = re.compile(r"\b(?:Hub|Team|Services?|Centre|Center|Trust|Group|Association|Project|Partnership|"
                             r"Foundation|Society|Network|Housing|Support|Care|Carers|Health|NHS|Women|Recovery|Refugee|"
                             r"Community|Advice|Citizens|Welfare|Council|Clinic|Practice|Unit|Programme|Club|Cymru|"
                             r"Meddygfa|Ffordd|Heol|Stryd|Uned|Neuadd|Swyddfa|Canolfan|Ysgol|Coleg|Ysbyty|Plas)[ \t]+$"
                             # Welsh "Meddygfa'r Llan", "Ffordd y Parc"
                             r"|\b[A-Z][\w]*['’]r[ \t]+$|\b[A-Z][\w]*[ \t]+(?:y|yr)[ \t]+$")
BUILDING_WORDS = frozenset({"House", "Court", "Centre", "Lodge", "Cottage", "Farm", "Hall", "Building", "Chambers"})


@dataclass
class Candidate:
    """A name as found in the text, before people are grouped."""

    start: int
    end: int
    name: str
    title: str | None = None
    #: introduced by who they are to someone ("her neighbour, Wayne Lamb"): a third party
    #: whatever court or office the report later names beside them
    related: bool = False
    #: introduced as the writer's own ("my husband, Khalid Anjum"): a member of staff's family
    writers: bool = False


def _titles_for(client: Client) -> tuple[str, ...]:
    """The client's own titles: those the register's aliases use, else all. "Mrs Sheikh" is his wife
    when the register calls him "Mr Sheikh", and her mother when it calls her "Ms Sheikh"."""
    used = tuple(t for t in SOCIAL_TITLES if any(t in alias.split() for alias in client.aliases))
    return (*used, "Mx") if used else SOCIAL_TITLES


def client_forms(client: Client) -> list[str]:
    """Every way a report is likely to name the client, longest first."""
    parts = client.name.split()
    forms = {client.name, *client.aliases}
    if len(parts) >= 2:
        first, last = parts[0], parts[-1]
        forms |= {first, last, *(f"{t} {last}" for t in _titles_for(client))}
        forms |= {f"{given} {last}" for given in parts[:-1]}  # a middle name used as the first
        forms |= {f"{t} {initial}" for t in ("", *_titles_for(client)) for initial in _initialled(parts)}
    return sorted((f for f in forms if f.strip()), key=len, reverse=True)


def _candidates(context: ReleaseContext) -> list[Candidate]:
    text = context.text
    found = []
    for match in TITLED_NAME.finditer(text):
        name = re.sub(r"['’]s?$", "", match.group("name"))
        found.append(Candidate(match.start(), match.start("name") + len(name), name, match.group("title")))
    for pattern in INTRODUCED_NAMES:
        for match in pattern.finditer(text):
            name = match.group("name")
            if not any(w in NOT_NAMES or w in SOCIAL_TITLES or w in PROFESSIONAL_TITLES for w in name.split()):
                related = not re.match(r"(?:called|named|known|know|knew|calls|goes|his|her|their)\b", match.group(0))
                found.append(Candidate(match.start("name"), match.end("name"), name, related=related,
                                       writers=related and _writers_own(text, match.start())))
    introduced = list(found)
    places = _place_zones(context)
    place_words = {m.group(1) or m.group(2) for m in PLACE_WORD.finditer(text)}
    lower_words = set(re.findall(r"\b[a-z][\w-]*", text))  # "carer's notes" writes "carer" in lower case
    for ent in context.nlp_doc.ents:
        if ent.label_ != "PERSON" or any(s <= ent.start_char and ent.end_char <= e for s, e in places):
            continue
        if INSTITUTION_AFTER.match(text[ent.end_char:]) or re.search(r"\d[A-Za-z]?\s+$", text[max(0, ent.start_char - 8):ent.start_char]):
            continue  # "Rainbow Hill Surgery", "3 Coldharbour Mews": part of a place
        name = _drop_leading_relationship(_drop_trailing_role(re.sub(r"['’]s?$", "", ent.text.strip()).strip()))
        if ROLE_PATTERN.match(name):
            continue  # "Recovery Worker": a job title, not a name
        if ORG_WORD_BEFORE.search(text, max(0, ent.start_char - 30), ent.start_char):
            continue  # "Carers Link Caerwen": the rest of an organisation's name
        words = [w for w in name.split() if re.fullmatch(NAME_WORD, w) and w not in NOT_NAMES]
        if not words or len(words) != len(name.split()) or "\n" in name:
            continue
        if len(words) == 1 and words[0] in place_words:
            continue  # "in Kidderminster", "the Madhiban", "Bewdley DY12 1AF": a place or group, not a name
        if words[-1] in BUILDING_WORDS:
            continue  # "Grove House"
        if len(words) == 1 and words[0].lower() in lower_words:
            continue  # "Carer", "Down's syndrome": a word the report also writes in lower case
        start = ent.start_char + max(ent.text.find(name), 0)
        found.append(Candidate(start, start + len(name), " ".join(words)))
    # spaCy's organisations are no bar here: it tags "held Demi Kitteridge by the throat" an ORG
    towns = {m.group(1).lower() for m in TOWN_WORD.finditer(text)}  # "in Chester", but "a text from Leanne"
    found += _lexicon_names(context, found, _address_zones(context), lower_words | towns)
    strong = [c for c in found if c.title or c in introduced or len(c.name.split()) > 1]
    return found + _listed_with(text, strong, lower_words | {w.lower() for w in place_words if w}, places)


#: Parser tags of a proper noun.
PROPER_NOUN = frozenset({"NNP", "NNPS"})
#: A word that makes a run of capitalised words a street, an institution or an organisation, not
#: a person: "Holly Avenue", "Bruce Grove Health Centre", "Wyre Forest MARAC", "Young People's Centre".
PLACE_OR_ORG_WORD = re.compile(r"(?:Road|Rd|Street|Avenue|Ave|Close|Drive|Grove|Crescent|Terrace|Gardens|Mews|"
                               r"Square|Parade|Boulevard|Wharf|Quay|Yard|Estate|Precinct|Arcade|Buildings|"
                               r"Pharmacy|Surgery|Medical|Practice|Clinic|School|Academy|College|Nursery|Hospital|"
                               r"Centre|Library|Hotel|Pub|Cafe|Café|Stores?|House|Lodge|Cottage|Farm|Act|Solicitors|Law|LLP|"
                               r"Associates|Partners)$"
                               r"|[A-Z]{2,}$|.+['’]s?$")
HYPHENATED_REST = re.compile(rf"(?:-[{UPPER}][{LOWER}'’]+)*")
#: "Wellington, Telford TF1 2NP": a word in the town part of an address, no house number before the postcode.
TOWN_BEFORE_POSTCODE = re.compile(rf"(?:[^\d\n]|\n(?![ \t]*\n)){{0,40}}?\b{POSTCODE}")


def _lexicon_names(context: ReleaseContext, found: list[Candidate], zones: list[tuple[int, int]],
                   common_words: set[str]) -> list[Candidate]:
    """Names the parser tags as proper nouns and the given-name lexicon knows, which spaCy's
    entity recogniser missed: "held Demi Kitteridge by the throat", "- Son Filip, 15". The name
    runs on to one more capitalised word (the surname). A run of capitalised words with an
    organisation, street or institution word in it ("Bruce Grove Health Centre", "Newport
    Carers Link"), or one continuing a capitalised word that does not start a sentence,
    is a place or an organisation."""
    lexicon = given_names()
    # a word the document uses in an address is a town here: "Stafford ST16 1AB", then "our Stafford team"
    address_words = {word for start, end in zones for word in re.findall(r"[A-Z][\w'’-]*", context.text[start:end])}
    taken = [(c.start, c.end) for c in found] + zones
    tokens = context.nlp_doc
    names = []
    for token in tokens:
        if token.text not in lexicon or token.text in address_words or token.tag_ not in PROPER_NOUN or token.text.lower() in common_words \
                or any(s <= token.idx < e for s, e in taken) \
                or "-" in (context.text[token.idx - 1:token.idx], context.text[token.idx + len(token.text):][:1]):
            continue  # "Wing" of "Kwok-Wing", "Al" of "Al-Noor Centre": part of a longer word
        if _continues_a_name(context.text, tokens, token) \
                or any(pattern.fullmatch(token.text) for pattern in context.vocabulary.values()):
            continue  # ... or a sensitive word itself: "her family are Roma"
        run = [token]
        while run[-1].i + 1 < len(tokens) and _same_run(context.text, run[-1], tokens[run[-1].i + 1]) \
                and tokens[run[-1].i + 1].text[:1].isupper():
            run.append(tokens[run[-1].i + 1])
        if len(run) > 3 or any(t.text in NOT_NAMES or t.text in BUILDING_WORDS or PLACE_OR_ORG_WORD.match(t.text)
                                     for t in run) \
                or INSTITUTION_AFTER.match(context.text, run[-1].idx + len(run[-1].text)) \
                or TOWN_BEFORE_POSTCODE.match(context.text, token.idx):
            continue
        end = run[1].idx + len(run[1].text) if len(run) > 1 and re.fullmatch(NAME_WORD, run[1].text) \
            else token.idx + len(token.text)
        end = HYPHENATED_REST.match(context.text, end).end()  # "Paulette Ojukwu-Bell"
        names.append(Candidate(token.idx, end, context.text[token.idx:end]))
        taken.append((token.idx, end))
    return names


def _continues_a_name(text: str, tokens: "Doc", token: "Token") -> bool:
    """Whether the word carries on a capitalised name: "Wyre Forest", "Carers Link", "Kinnear &
    Webb", "Church of Jesus Christ" (but not "Son Filip" or a sentence's first word)."""
    if token.i == 0:
        return False
    previous = tokens[token.i - 1]
    if previous.text in ("&", "of", "'r", "’r", "y", "yr") and token.i > 1 and tokens[token.i - 2].text[:1].isupper():
        return True  # ... and Welsh "Meddygfa'r Llan", "Heol y Felin"
    opens_a_sentence = previous.is_sent_start and previous.tag_ not in PROPER_NOUN  # "Then", not "Kirkfield"
    return previous.text[:1].isupper() and not opens_a_sentence \
        and previous.text.lower() not in RELATIONSHIPS and _same_run(text, previous, token)


def _same_run(text: str, first: "Token", second: "Token") -> bool:
    """Whether two tokens stand next to each other with only a space or tab between them."""
    return text[first.idx + len(first.text):second.idx] in (" ", "\t")


#: ", Caspian", " and Caspian", ", and Caspian": one more single name in a list.
LISTED_NAME = re.compile(rf"(?:,[ \t]+(?:and[ \t]+)?|[ \t]+(?:and|&)[ \t]+)(?P<name>{NAME_WORD})\b(?![ \t]+[{UPPER}]|['’-])")


def _listed_with(text: str, found: list[Candidate], common_words: set[str],
                 places: list[tuple[int, int]]) -> list[Candidate]:
    """Names listed after a name found on good evidence ("her children, Ines and
    Caspian"): spaCy often tags the first of a list and misses the rest."""
    listed = []
    for candidate in found:
        end = candidate.end
        while match := LISTED_NAME.match(text, end):
            name = match.group("name")
            if name in NOT_NAMES or name in SOCIAL_TITLES or name in PROFESSIONAL_TITLES \
                    or name.lower() in common_words or any(s <= match.start("name") < e for s, e in places):
                break
            listed.append(Candidate(match.start("name"), match.end("name"), name))
            end = match.end()
    return listed


def _writers_own(text: str, start: int) -> bool:
    """Whether "my" introduces the relationship at `start`, outside quotation marks (inside
    them, "my husband" is the speaker's)."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    return bool(re.search(r"\bmy\s+(?:own\s+)?$", before, re.IGNORECASE)) and before.count('"') % 2 == 0 \
        and before.count("“") <= before.count("”")


def _place_zones(context: ReleaseContext) -> list[tuple[int, int]]:
    """Stretches of text that name organisations, addresses and institutions,
    where a capitalised word is part of a place ("Shrub Hill Walk",
    "Rainbow Hill Surgery"), not a person."""
    zones = [(e.start_char, e.end_char) for e in context.nlp_doc.ents if e.label_ in ("ORG", "FAC")]
    return zones + _address_zones(context)


def _address_zones(context: ReleaseContext) -> list[tuple[int, int]]:
    """Street addresses and institutions, and the client's registered address however written (found once per document)."""
    if "address_zones" not in context.scratch:
        zones = list(address_and_institution_spans(context))
        if context.client.address:  # "Ty Gwyn, Heol y Bryn": the client's house, not two people
            zones += [span for part in address_parts(context.client.address)
                      for span in occurrences(context.text, part)]
        context.scratch["address_zones"] = zones
    return context.scratch["address_zones"]


def _drop_trailing_role(name: str) -> str:
    """"Becky Lane Recovery Worker" (a signature run together) -> "Becky Lane"."""
    words = name.split()
    for cut in range(1, len(words)):
        if ROLE_PATTERN.match(" ".join(words[cut:])):
            return " ".join(words[:cut])
    return name


def _drop_leading_relationship(name: str) -> str:
    """"Daughter Sioned" (a note's "Daughter Sioned lives in Bristol") -> "Sioned"."""
    first, _, rest = name.partition(" ")
    if rest and any(pattern.fullmatch(first) for pattern, _ in RELATIONSHIP_PATTERNS):
        return rest
    return name


def _family_names(text: str, index: "PeopleIndex") -> list[Candidate]:
    """Names spaCy missed that share a surname with someone already found
    ("Zainab Mahmood (9) and Hamza Mahmood (6)"): relatives come in families."""
    surnames = {name.split()[-1] for person in index.people.values() if person.role != "professional"
                for name in person.names if len(name.split()) > 1}
    surnames.add(index.context.client.name.split()[-1])
    titles = set(SOCIAL_TITLES) | set(PROFESSIONAL_TITLES)
    found = []
    for surname in surnames:
        for match in re.finditer(rf"\b(?P<first>{NAME_WORD})[ \t]+{re.escape(surname)}\b", text):
            first = match.group("first")
            if first not in titles and first not in NOT_NAMES:
                found.append(Candidate(match.start(), match.end(), f"{first} {surname}"))
    return found


#: "Baran Yildiz ("Baz")", "Jason Marsden, known as JJ": another name the same person goes by.
NICKNAME = re.compile(rf"[ \t]*(?:\([ \t]*(?:known[ \t]+as[ \t]+|aka[ \t]+|{_CALLS}[ \t]+)?[\"“'‘]?(?P<bracketed>[A-Z][A-Za-z'’-]{{1,20}})[\"”'’]?[ \t]*\)"
                      r"|,?[ \t]+(?:known[ \t]+as|aka|a\.k\.a\.)[ \t]+[\"“'‘]?(?P<known>[A-Z][A-Za-z'’-]{1,20})[\"”'’]?"
                      r"|[ \t]+[\"“](?P<quoted>[A-Z][A-Za-z'’-]{1,20})[\"”])")


def _nicknames(text: str, index: "PeopleIndex") -> list[tuple[str, str]]:
    """(nickname, person) for the names people are also known by, written beside a name already found."""
    owners = {name: key for key, person in index.people.items() for name in person.names}
    if not owners:
        return []
    names = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(owners, key=len, reverse=True)) + r")\b")
    found = []
    for match in names.finditer(text):
        nick = NICKNAME.match(text, match.end())
        word = nick and (nick.group("bracketed") or nick.group("known") or nick.group("quoted"))
        if word and word not in NOT_NAMES and word not in SOCIAL_TITLES and not ROLE_PATTERN.fullmatch(word) \
                and word not in index.client_words:
            found.append((word, owners[match.group(1)]))
    return found


def _name_words(name: str) -> list[str]:
    return [w for w in name.split() if w not in PROFESSIONAL_TITLES and w not in SOCIAL_TITLES]


class PeopleIndex:
    """Groups candidate names into people and gives each a role."""

    def __init__(self, context: ReleaseContext) -> None:
        self.context = context
        self.client_words = set(context.client.name.split()) | {w for a in context.client.aliases for w in a.split()}
        self.people: dict[str, Person] = {}
        self._by_word: dict[str, str] = {}
        self._related: set[str] = set()
        self._writers: set[str] = set()

    def _is_client(self, words: list[str]) -> bool:
        return all(w in self.client_words for w in words)

    def add(self, candidate: Candidate) -> None:
        words = _name_words(candidate.name)
        if not words or self._is_client(words) or any(w in NOT_NAMES for w in words):
            return
        if len(words) == 1:
            key = self._by_word.get(words[0])
            if key is None and words[0] in self.client_words:
                return  # a bare client surname or first name: the client
            key = key or words[0]
        else:
            key = next((self._by_word[w] for w in words[:-1] if w in self._by_word
                        and len(self.people[self._by_word[w]].names) > 0), None) or " ".join(words)
        person = self.people.setdefault(key, Person(key=key, role="third_party"))
        person.names.add(" ".join(words))
        for word in words:
            if word not in self.client_words:
                self._by_word.setdefault(word, key)
        if candidate.title in PROFESSIONAL_TITLES:
            person.role = "professional"
        if candidate.related:
            self._related.add(key)
        if candidate.writers:
            self._writers.add(key)

    def classify(self, mentions: dict[str, list[tuple[int, int]]]) -> None:
        """Decide each person's role and relationship from the words around them."""
        text = self.context.text
        for key, person in self.people.items():
            spans = mentions.get(key, [])
            if person.role != "professional" and key not in self._related \
                    and any(_works_here(text, s, e) for s, e in spans):
                person.role = "professional"
            if key in self._writers:
                person.role = "staff_family"
            word, relationship = _relationship(text, spans)
            if person.role == "third_party":
                person.relationship = relationship
            person.gender = GENDERED_WORDS.get(word.lower()) if word else None


THIRD_PERSON = re.compile(r"\b(?:she|he|her|his|him)\b", re.IGNORECASE)


def infer_genders(context: ReleaseContext, people: dict[str, Person],
                  mentions: dict[str, list[tuple[int, int]]]) -> None:
    """Fill in unknown genders from titles, then from reflexive pronouns in
    sentences that name only that person ("Sam blames herself") and from a
    next sentence that starts with a pronoun ("Sam has moved. She..."), unless
    a pronoun comes before the name, when the next sentence likely goes on about
    that other person. Other pronouns in the same sentence often mean someone else."""
    text = context.text
    owner = {span: key for key, spans in mentions.items() for span in spans}
    votes: dict[str, int] = {key: 0 for key in people}
    for (start, end), key in owner.items():
        title = re.match(r"(Mr|Mrs|Ms|Miss)\b", text[start:end])
        if title:
            votes[key] += 5 if title.group(1) != "Mr" else -5
    for alias in context.client.aliases:  # the register's "Ms Collins" says so even if the report never does
        title = re.match(r"(Mr|Mrs|Ms|Miss)\b", alias)
        if title and "client" in votes:
            votes["client"] += 5 if title.group(1) != "Mr" else -5
    sentences = context.sentences
    for index, (s_start, s_end) in enumerate(sentences):
        named = {key for (start, _), key in owner.items() if s_start <= start < s_end}
        if len(named) != 1:
            continue
        key = named.pop()
        sentence = text[s_start:s_end].lower()
        votes[key] += 2 * len(re.findall(r"\bherself\b", sentence)) - 2 * len(re.findall(r"\bhimself\b", sentence))
        first_named = min(start for (start, _), k in owner.items() if k == key and s_start <= start < s_end)
        # "During his review he checked Sam's phone. He..." is about someone a pronoun already named
        if index + 1 < len(sentences) and not THIRD_PERSON.search(text, s_start, first_named):
            opener = re.match(r"\s*(she|he)\b", text[sentences[index + 1][0]:sentences[index + 1][1]], re.IGNORECASE)
            if opener:
                votes[key] += 1 if opener.group(1).lower() == "she" else -1
    lexicon = name_genders()
    for key, person in people.items():
        if person.gender is None and votes.get(key):
            person.gender = "f" if votes[key] > 0 else "m"
        elif person.gender is None:  # nothing in the report says: a name given only to women (or men)
            first_words = {name.split()[0] for name in person.names if " " in name}
            person.gender = lexicon.get(first_words.pop()) if len(first_words) == 1 else None


def _line_after(text: str, end: int) -> str:
    stop = text.find("\n", end)
    line = text[end: stop if stop >= 0 else len(text)]
    if not line.strip() and stop >= 0:  # a signature: the role is on the next line
        nxt = text.find("\n", stop + 1)
        line = text[stop + 1: nxt if nxt >= 0 else len(text)]
    return line


#: "Present: ...", "Apologies: ...": the people at a meeting of workers, as minutes list them.
ATTENDANCE_LINE = re.compile(r"^[ \t]*(?:Present|Attendees|Attending|In attendance|Apologies|Attended|Minute[- ]?taker)"
                             r"[ \t]*:", re.IGNORECASE | re.MULTILINE)
#: "Brian Tetley and Sam Oduya (befriending volunteers)": the role after a pair is both people's.
NEXT_IN_PAIR = re.compile(rf"[ \t]+(?:and|&)[ \t]+{_NAME_RUN}")
#: "our volunteer Mick Dyson's house": a role just before a possessive still names the job.
OUR_ROLE = re.compile(r"\b(?:our|my)[ \t]+(?:[\w-]+[ \t]+)?(?:" + ROLE_PATTERN.pattern + r")[ \t]*$", re.IGNORECASE)


def _works_here(text: str, start: int, end: int) -> bool:
    """Whether a mention is framed by a job or an organisation."""
    after = _line_after(text, end)[:90]
    before = text[max(0, start - 60):start]
    possessive = text[end:end + 2] in ("'s", "’s")  # "Tyrone's school": his, not his job
    pair = NEXT_IN_PAIR.match(after)
    line_start = text.rfind("\n", 0, start) + 1
    return bool(ROLE_AFTER.match(after) or ROLE_NEXT_LINE.match(text[end:end + 80])
                or (pair and ROLE_AFTER.match(after[pair.end():]))
                or ATTENDANCE_LINE.match(text, line_start, start)
                or (ORG_HINT.match(after.lstrip(" ")) and not DONE_TO_BEFORE.search(before))
                or ORG_BRACKET_BEFORE.search(before)
                or (not possessive and ROLE_BEFORE.search(before))
                or OUR_ROLE.search(before))


def _relationship(text: str, spans: list[tuple[int, int]]) -> tuple[str | None, str]:
    """The relationship word nearest before a person's first mentions (else just
    after), in its sentence, and the label it gives."""
    for start, end in sorted(spans)[:3]:
        sentence_start = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
        for window, nearest_last in ((text[sentence_start:start], True), (text[end:end + 40], False)):
            best = None
            for pattern, label in RELATIONSHIP_PATTERNS:
                for match in pattern.finditer(window):
                    key = match.end() if nearest_last else -match.start()
                    if best is None or key > best[0] or (key == best[0] and len(match.group(0)) > len(best[1])):
                        best = (key, match.group(0), label)
            if best:
                return best[1], best[2]
    return None, "person"


WORD = re.compile(r"[A-Z]\.|[A-Za-z\u00C0-\u024F][\w'’-]*")  # "J." is one word: an initial


class NameMatcher:
    """Finds every mention of every name form in one pass over the words.

    Forms are looked up by their words (case-insensitively for forms of two
    or more words; a one-word form must be capitalised as written), longest
    first at each word, so "Riley Pritchard" wins over the client's
    "Pritchard". A client form beats the same form of anyone else.
    """

    def __init__(self, forms: list[tuple[str, str]]) -> None:
        self.index: dict[tuple[str, ...], tuple[str, str]] = {}
        for form, key in forms:
            words = tuple(w.lower() for w in form.split())
            if words and (words not in self.index or key == "client"):
                self.index[words] = (form, key)
        self.longest = max((len(w) for w in self.index), default=0)
        self.first_words = {words[0] for words in self.index}

    def find(self, text: str) -> list[tuple[int, int, str]]:
        tokens = [(m.start(), m.end(), m.group(0)) for m in WORD.finditer(text)]
        found, i = [], 0
        while i < len(tokens):
            first = tokens[i][2].lower()
            if first not in self.first_words and re.sub(r"['’]s?$", "", first) not in self.first_words:
                i += 1  # no name starts with this word
                continue
            for n in range(min(self.longest, len(tokens) - i), 0, -1):
                span = tokens[i:i + n]
                if any(text[a[1]:b[0]].strip() for a, b in zip(span, span[1:])):
                    continue  # only white space may stand between the words of a name
                words = [t[2] for t in span]
                last = re.sub(r"['’]s?$", "", words[-1])
                hit = self.index.get(tuple(w.lower() for w in words[:-1]) + (last.lower(),))
                shouted = n == 1 and hit is not None and len(last) > 2 and last == hit[0].upper() \
                    and not _after_a_capitalised_word(text, tokens, i)
                if hit is None or (n == 1 and last != hit[0] and not shouted):
                    continue
                start = _capitals_before(text, tokens, i) if shouted else span[0][0]
                found.append((start, span[-1][0] + len(last), hit[1]))
                i += n
                break
            else:
                i += 1
        return found


#: Capitals that head a line without being part of a name ("STATEMENT OF BROOKS").
SHOUTED_NOT_NAMES = frozenset({"OF", "THE", "AND", "TO", "BY", "FOR", "IN", "RE", "FROM", "BETWEEN", "V", "VS",
                               "STATEMENT", "WITNESS", "REPORT", "CASE", "NAME"})


def _after_a_capitalised_word(text: str, tokens: list[tuple[int, int, str]], i: int) -> bool:
    """"Bianca DUMITRESCU": a surname in capitals after a first name belongs to that first name."""
    return i > 0 and text[tokens[i - 1][1]:tokens[i][0]] == " " and tokens[i - 1][2].istitle()


def _capitals_before(text: str, tokens: list[tuple[int, int, str]], i: int) -> int:
    """Where a name in capitals starts: "CHANTELLE BROOKS (Respondent)" is one name when BROOKS is known,
    so up to two capitalised words just before it on the line go with it."""
    start = tokens[i][0]
    for j in range(i - 1, max(i - 3, -1), -1):
        word = tokens[j][2]
        if not (word.isupper() and word.isalpha() and len(word) > 1) or word in SHOUTED_NOT_NAMES \
                or text[tokens[j][1]:start] != " ":
            break
        start = tokens[j][0]
    return start


def _titled_forms(names: set[str], titles: tuple[str, ...]) -> set[str]:
    """Each name, its first name and surname, with each of `titles` and as initials."""
    forms = set(names)
    for name in names:
        words = name.split()
        forms |= {words[0], words[-1]}
        forms |= {f"{t} {words[-1]}" for t in titles}
        forms |= {f"{t} {name}" for t in titles}
        if len(words) > 1:
            forms |= {f"{t} {initial}".strip() for t in ("", *titles) for initial in _initialled(words)}
    return forms


def _initialled(words: list[str]) -> set[str]:
    """"J. Doe" and "J Doe" for John Doe."""
    return {f"{words[0][0]}. {words[-1]}", f"{words[0][0]} {words[-1]}"}


@hookimpl
def redactor_detect(context: ReleaseContext) -> list[Finding]:
    text = context.text
    index = PeopleIndex(context)
    for candidate in sorted(_candidates(context), key=lambda c: -len(c.name.split())):
        index.add(candidate)
    for candidate in _family_names(text, index):
        index.add(candidate)
    forms: list[tuple[str, str]] = [(form, "client") for form in client_forms(context.client)]
    titles = tuple(t for t in (*SOCIAL_TITLES, *PROFESSIONAL_TITLES) if re.search(rf"\b{t}\b", text))
    for key, person in index.people.items():
        forms += [(form, key) for form in _titled_forms(person.names, titles)
                  if form.split()[-1] not in index.client_words or len(form.split()) > 1]
    nicknames = _nicknames(text, index)
    # one word of someone's name inside an address is the place: "Wethercote" in "9 Tanner's Row, Wethercote"
    addresses = _address_zones(context)
    taken = [(start, end, key) for start, end, key in NameMatcher(forms + nicknames).find(text)
             if key == "client" or " " in text[start:end] or not any(s <= start and end <= e for s, e in addresses)]
    mentions: dict[str, list[tuple[int, int]]] = {}
    nickname_words = {word for word, _ in nicknames}
    for start, end, key in taken:
        if text[start:end] not in nickname_words:  # "JJ" says nothing of who he is to her; "Jason, her ex" does
            mentions.setdefault(key, []).append((start, end))
    index.classify(mentions)
    context.people = {"client": Person(key="client", role="client", names={context.client.name}), **index.people}
    infer_genders(context, context.people, mentions)
    return [Finding(start, end, "person", rule="client_register" if key == "client" else "person_names",
                    person=key)
            for start, end, key in taken]
