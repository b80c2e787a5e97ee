"""A lexicon of given names, so that a name the small spaCy model misses
("held Demi Kitteridge by the throat", "- Son Filip, 15") is still found.

The lexicon is Faker's lists of first names for the locales whose people
live in the UK in numbers (Faker is MIT-licensed and ships them as plain
Python data, so nothing is fetched), plus `defaults/given_names.txt`: names
of communities Faker's lists miss (Welsh, Somali, Yoruba short forms...).
Names that are also everyday words ("Will", "May", "Floor") are left out,
and a lexicon name only counts where the parser tags it a proper noun
outside any organisation, street or institution (see people.py).
"""
from __future__ import annotations

import importlib
import re
from functools import lru_cache
from pathlib import Path

from .vocabulary import COMMON_WORD_NAMES, NOT_NAMES, PROFESSIONAL_TITLES, RELATIONSHIPS, ROLE_WORDS, SOCIAL_TITLES

SUPPLEMENT_FILE = Path(__file__).resolve().parent.parent / "defaults" / "given_names.txt"
#: Faker person providers whose first names are used.
FAKER_LOCALES = (
    "en", "en_GB", "en_IE", "en_IN", "en_KE", "en_NG", "en_NZ", "en_PK", "en_US", "ga_IE", "pl_PL", "ro_RO",
    "tr_TR", "cs_CZ", "sk_SK", "lt_LT", "lv_LV", "hu_HU", "hr_HR", "sl_SI", "et_EE", "it_IT", "es_ES", "pt_PT",
    "pt_BR", "fr_FR", "de_DE", "nl_NL", "da_DK", "sv_SE", "no_NO", "fi_FI", "yo_NG", "ig_NG", "ha_NG", "tw_GH",
    "zu_ZA", "sw", "id_ID", "vi_VN", "az_AZ",
)
FIRST_NAME_LISTS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")
#: One written word of a name: a capital, then letters (accents allowed), apostrophes or hyphens.
NAME_SHAPE = re.compile(r"[A-ZÀ-Þ][a-zß-ÿĀ-ɏ'’-]+")


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Every given name in the lexicon, without words that are also job titles, relationships or everyday words."""
    names: set[str] = set()
    for locale in FAKER_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in FIRST_NAME_LISTS:
            for name in getattr(provider, attribute, ()):
                names.update(word for word in name.split() if NAME_SHAPE.fullmatch(word))
    names.update(line.strip() for line in SUPPLEMENT_FILE.read_text(encoding="utf-8").splitlines()
                 if NAME_SHAPE.fullmatch(line.strip()))
    excluded = {*COMMON_WORD_NAMES, *NOT_NAMES, *PROFESSIONAL_TITLES, *SOCIAL_TITLES,
                *(word.capitalize() for word in (*RELATIONSHIPS, *ROLE_WORDS))}
    return frozenset(names - excluded)


@lru_cache(maxsize=1)
def name_genders() -> dict[str, str]:
    """"f" or "m" for a given name that Faker's lists give only as a woman's or only as a man's
    name, in every locale; a name given as both ("Andrea", "Sam") has no entry."""
    seen: dict[str, set[str]] = {}
    for locale in FAKER_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute, gender in (("first_names_female", "f"), ("first_names_male", "m")):
            for name in getattr(provider, attribute, ()):
                seen.setdefault(name, set()).add(gender)
    return {name: genders.pop() for name, genders in seen.items() if len(genders) == 1}
