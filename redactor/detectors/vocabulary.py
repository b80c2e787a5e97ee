"""The default vocabulary, loaded from ``redactor/defaults/vocabulary.yaml``.

Kept as data so that an organisation reads (and extends) the same lists the
detectors use.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

VOCABULARY_FILE = Path(__file__).resolve().parent.parent / "defaults" / "vocabulary.yaml"


@lru_cache(maxsize=1)
def default_vocabulary() -> dict[str, Any]:
    return yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))


_VOCAB = default_vocabulary()
PROFESSIONAL_TITLES: tuple[str, ...] = tuple(_VOCAB["professional_titles"])
SOCIAL_TITLES: tuple[str, ...] = tuple(_VOCAB["social_titles"])
ROLE_WORDS: tuple[str, ...] = tuple(_VOCAB["role_words"])
RELATIONSHIPS: dict[str, str] = dict(_VOCAB["relationships"])
NOT_NAMES: frozenset[str] = frozenset(_VOCAB["not_names"])
COMMON_WORD_NAMES: frozenset[str] = frozenset(_VOCAB["common_word_names"])
SPECIAL: dict[str, list[str]] = {kind: list(patterns) for kind, patterns in _VOCAB["special"].items()}
GENDERED_WORDS_BY_GENDER: dict[str, list[str]] = dict(_VOCAB["gendered_words"])
GENDERED_WORDS: dict[str, str] = {word: gender for gender, words in GENDERED_WORDS_BY_GENDER.items()
                                  for word in words}
COUNSELLING_SETTINGS: list[str] = list(_VOCAB["counselling_settings"])
REPORTED_SPEECH: list[str] = list(_VOCAB["reported_speech"])
