"""Matching removed strings against text re-read from a written file.

Each format plugin re-reads its own output by a route that shares no code
with its writer and hands the text here. Matching folds case, white space,
curly quotes and ligatures, on word boundaries, and for longer strings also
with all white space squeezed out (PDF extraction splits and joins words).
"""
from __future__ import annotations

import re

_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00a0": " ", "\u201c": '"', "\u201d": '"'})


def fold(text: str) -> str:
    """Normalise text so a string matches however a file happens to hold it."""
    text = text.translate(_FOLD).replace("\ufb01", "fi").replace("\ufb02", "fl")
    return re.sub(r"\s+", " ", text).strip()


def _pattern(needle: str) -> re.Pattern[str]:
    body = re.escape(fold(needle)).replace(r"\ ", r"\s*").replace(r"\-", r"-\s*")
    return re.compile(r"(?<!\w)" + body + r"(?!\w)", re.IGNORECASE)


def surviving(haystack: str, forbidden: list[str], squeeze_min: int = 8) -> list[str]:
    """The strings of `forbidden` that are still present in `haystack`."""
    folded = fold(haystack)
    squeezed_hay = re.sub(r"\s+", "", folded).lower()
    found = []
    for needle in dict.fromkeys(forbidden):
        if not needle.strip():
            continue
        squeezed = re.sub(r"\s+", "", fold(needle)).lower()
        if _pattern(needle).search(folded) or (len(squeezed) >= squeeze_min and squeezed in squeezed_hay):
            found.append(needle)
    return found
