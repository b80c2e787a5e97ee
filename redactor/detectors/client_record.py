"""What the register holds about the client, found however the report writes it.

The date of birth in every common form (14/03/1989, 14 March 1989,
1989-03-14...) and the address on file, whole or by its first line and
postcode, so a client's details are recognised even without context words.
"""
from __future__ import annotations

import re
from datetime import date

from .. import hookimpl
from ..context import ReleaseContext
from ..model import Finding
from .recognizers import POSTCODE, STREET_NAME


def date_forms(day: date) -> list[str]:
    """The ways a report is likely to write a date."""
    month, short = day.strftime("%B"), day.strftime("%b")
    suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(day.day, "th")
    d, m, y = day.day, day.month, day.year
    return [f"{d} {month} {y}", f"{d}{suffix} {month} {y}", f"{d} {short} {y}", f"{d}{suffix} of {month} {y}",
            f"{month} {d}, {y}", f"{month} {d} {y}", f"{d:02d}/{m:02d}/{y}", f"{d}/{m}/{y}", f"{d:02d}/{m:02d}/{y % 100:02d}",
            f"{d:02d}.{m:02d}.{y}", f"{d:02d}-{m:02d}-{y}", day.isoformat()]


def address_parts(address: str) -> list[str]:
    """The whole address, its numbered lines (number and street), its street ("don't post anything to
    Weir Street"), its postcode, and a house name with the street after it ("Ty'n y Coed, Heol y Bryn"),
    which name the home as surely."""
    parts = [address]
    lines = [p.strip() for p in re.split(r",|\n", address) if p.strip()]
    parts += [line for line in lines if re.search(r"\d", line) and not re.fullmatch(POSTCODE, line)]
    # the first line naming a street is the street; a later one is the town ("Ebbw Vale")
    parts += [street.group(0) for street in (re.search(STREET_NAME, line) for line in lines) if street][:1]
    if len(lines) > 2 and not re.search(r"\d", lines[0]):
        parts += [lines[0], f"{lines[0]}, {lines[1]}", lines[1]]
    parts += re.findall(POSTCODE, address)
    return parts


#: "Moor Row Primary": the client's street (or house name) is only part of a longer name here.
NAME_GOES_ON = re.compile(r"[ \t]+[A-Z][a-z]")
#: "Flat 3, Weir Street": the client's street in someone else's address.
NUMBER_BEFORE = re.compile(r"\d[A-Za-z]?,?[ \t]+$")


def _part_of_something_else(text: str, start: int, end: int) -> bool:
    """Whether a street or house name of the client's address, found alone, is part of
    another name or address: a neighbour at "Flat 3, Weir Street" lives elsewhere."""
    return bool(NAME_GOES_ON.match(text, end) or NUMBER_BEFORE.search(text, max(0, start - 12), start))


def occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    """Where `needle` appears, its words separated by any spaces, commas or line breaks."""
    words = [re.escape(word) for word in re.split(r"[\s,]+", needle.strip()) if word]
    pattern = r"(?<![\w/.-])" + r"[\s,]+".join(words) + r"(?![\w/-])"
    return [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]


@hookimpl
def redactor_detect(context: ReleaseContext) -> list[Finding]:
    client, text, findings = context.client, context.text, []
    if client.dob:
        for form in date_forms(client.dob):
            findings += [Finding(s, e, "dob", rule="client_register:dob", person="client")
                         for s, e in occurrences(text, form)]
    if client.address:
        for part in address_parts(client.address):
            findings += [Finding(s, e, "address", rule="client_register:address", person="client")
                         for s, e in occurrences(text, part)
                         if re.search(r"\d", part) or not _part_of_something_else(text, s, e)]
    return findings
