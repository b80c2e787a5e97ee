"""Pages into one text: running headers and footers set apart, the body read across page breaks.

A report exported from a word processor repeats its header and footer on
every page; read page after page, that text lands in the middle of the body
wherever a page breaks, splitting a sentence (and sometimes a word) and
naming people before the letterhead. So:

* page furniture is found: lines in the top or bottom band of a page whose
  text (numbers aside, so page numbers match) comes back at the same place
  on another page, or, in a one-page document, lines in a narrow band that
  a wide gap parts from the rest. Furniture stays in the text (it must be
  redacted too) but as its own segments, "header" and "footer", one per page
  it is on, after the whole body;
* the body runs on across page breaks: when a page's last paragraph does
  not end a sentence and its last line was wrapped rather than ended, the
  next page's first paragraph continues it after a synthesised space (none
  after a word broken at a hyphen).

Text in another direction than the page's main flow, or invisible text (an
OCR layer), is kept apart too, one segment per page and kind after the body.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ...model import Segment
from .interpreter import GlyphRef
from .textmodel import Block, TextLine, broken_word, hard_break, paragraphs, render, starts_field

#: Header and footer bands: this share of the page height from its top or bottom edge.
BAND = 0.12
#: In a one-page document nothing repeats, so furniture must sit in a narrower band...
SINGLE_PAGE_BAND = 0.10
#: ...and be parted from the body by a gap of at least this many font sizes (baseline to baseline).
SINGLE_PAGE_GAP = 3.0
#: Two lines are at the same place on two pages when their distances from the edge differ by less
#: than this share of the font size (or this many points, whichever is more).
SAME_PLACE = 0.3
SAME_PLACE_MIN = 2.0
#: Lines whose starts round to the same or neighbouring multiples of this many points are in one
#: column (for its right edge).
SAME_COLUMN = 1.0
PARAGRAPH_GAP = "\n\n"
#: A paragraph that ends like this ends a sentence: . ! ? or : and any closing quotes or brackets.
SENTENCE_END = re.compile(r"[.!?:][\"'”’)\]]*\s*$")


@dataclass
class PageLayout:
    """One page's text sorted into body, header, footer and text off the main flow."""

    number: int
    top: float
    bottom: float
    upright: bool  # the page and its main flow are upright, so top and bottom mean something
    main: Block | None
    extras: list[Block]
    header: list[TextLine] = field(default_factory=list)
    footer: list[TextLine] = field(default_factory=list)

    @property
    def body(self) -> list[TextLine]:
        furniture = {id(line) for line in self.header + self.footer}
        return [line for line in (self.main.lines if self.main else []) if id(line) not in furniture]

    def side(self, line: TextLine, band: float) -> str | None:
        """"top" or "bottom" when the line is in that band of the page, else None."""
        height = self.top - self.bottom
        if not self.upright or height <= 0:
            return None
        if line.baseline >= self.top - band * height:
            return "top"
        if line.baseline <= self.bottom + band * height:
            return "bottom"
        return None

    def from_edge(self, line: TextLine, side: str) -> float:
        return self.top - line.baseline if side == "top" else line.baseline - self.bottom


def page_layout(number: int, page: Any, blocks: list[Block]) -> PageLayout:
    """Pick the page's main flow (the visible text in the direction most of it runs) from its blocks."""
    visible = [block for block in blocks if block.visible]
    main = max(visible, key=lambda block: (block.chars, block.angle == 0), default=None)
    box = page.cropbox
    top, bottom = max(float(box.top), float(box.bottom)), min(float(box.top), float(box.bottom))
    rotation = int(page.get("/Rotate", 0) or 0) % 360
    upright = main is not None and main.angle == 0 and rotation == 0
    return PageLayout(number, top, bottom, upright, main, [block for block in blocks if block is not main])


def _normalised(text: str) -> str:
    return " ".join(re.sub(r"\d+", "#", text).split())


def _repeated(layouts: list[PageLayout]) -> None:
    """Mark lines in a band whose text comes back at the same place on another page."""
    seen: dict[tuple[str, str], list[tuple[int, float]]] = {}
    candidates = []
    for layout in layouts:
        for line in layout.main.lines if layout.main else []:
            side = layout.side(line, BAND)
            if side is None or not line.text.strip():
                continue
            key = (side, _normalised(line.text))
            place = layout.from_edge(line, side)
            seen.setdefault(key, []).append((layout.number, place))
            candidates.append((layout, line, side, key, place))
    for layout, line, side, key, place in candidates:
        tolerance = max(SAME_PLACE * line.size, SAME_PLACE_MIN)
        if any(number != layout.number and abs(other - place) <= tolerance for number, other in seen[key]):
            (layout.header if side == "top" else layout.footer).append(line)


def _parted_run(layout: PageLayout, lines: list[TextLine], side: str) -> list[TextLine]:
    """The lines from the page edge inwards, all in the narrow band, that a wide gap parts from the rest."""
    run: list[TextLine] = []
    for line, following in zip(lines, lines[1:]):
        if layout.side(line, SINGLE_PAGE_BAND) != side:
            return []
        run.append(line)
        if abs(line.baseline - following.baseline) >= SINGLE_PAGE_GAP * max(line.size, following.size):
            return run
    return []


def find_furniture(layouts: list[PageLayout]) -> None:
    """Fill each page's header and footer lines."""
    if len(layouts) > 1:
        _repeated(layouts)
        return
    for layout in layouts:
        lines = layout.main.lines if layout.main else []
        layout.header = _parted_run(layout, lines, "top")
        taken = {id(line) for line in layout.header}
        layout.footer = [line for line in _parted_run(layout, lines[::-1], "bottom") if id(line) not in taken][::-1]


class Margins:
    """The right edge of the column a line is in: how far lines starting where it starts reach.

    Starts are bucketed by SAME_COLUMN points; a line's column is its bucket and the two beside it.
    """

    def __init__(self, lines: list[TextLine]) -> None:
        self.reach: dict[int, float] = {}
        for line in lines:
            key = round(line.start / SAME_COLUMN)
            self.reach[key] = max(self.reach.get(key, line.end), line.end)

    def __call__(self, line: TextLine) -> float:
        key = round(line.start / SAME_COLUMN)
        return max((self.reach[k] for k in (key - 1, key, key + 1) if k in self.reach), default=line.end)


def _continues(previous: list[TextLine], following: list[TextLine], margin: Margins) -> str | None:
    """The join when `following` (first on its page) carries on `previous` (last on the page before)."""
    last, first = previous[-1], following[0]
    if broken_word(last.text):
        return ""
    if SENTENCE_END.search(last.text) or starts_field(last, first):
        return None
    edge = max([line.end for line in previous + following] + [margin(last)])
    if hard_break(last, first, edge):
        return None
    return "" if last.text[-1].isspace() else " "


def assemble(layouts: list[PageLayout]) -> tuple[str, list[GlyphRef | None], list[Segment]]:
    """The document's text: the body read across pages, then headers, footers and other text."""
    find_furniture(layouts)
    text: list[str] = []
    anchors: list[GlyphRef | None] = []
    segments: list[Segment] = []
    previous: list[TextLine] | None = None
    previous_angle: int | None = None
    margins = {angle: Margins([line for layout in layouts if layout.main and layout.main.angle == angle
                               for line in layout.body])
               for angle in {layout.main.angle for layout in layouts if layout.main}}
    for layout in layouts:
        body = paragraphs(layout.body)
        angle = layout.main.angle if layout.main else None
        for index, paragraph in enumerate(body):
            if text:
                join = None
                if index == 0 and previous is not None and angle == previous_angle:
                    join = _continues(previous, paragraph, margins[angle])
                separator = PARAGRAPH_GAP if join is None else join
                text.extend(separator)
                anchors.extend([None] * len(separator))
            render(paragraph, text, anchors, margins[angle])
        previous = body[-1] if body else None
        previous_angle = angle
    if text:
        segments.append(Segment("body", 0, len(text)))

    def add(name: str, lines: list[TextLine], margin: Margins | None) -> None:
        if not lines:
            return
        if text:
            text.extend(PARAGRAPH_GAP)
            anchors.extend([None] * len(PARAGRAPH_GAP))
        start = len(text)
        for index, paragraph in enumerate(paragraphs(lines)):
            if index:
                text.extend(PARAGRAPH_GAP)
                anchors.extend([None] * len(PARAGRAPH_GAP))
            render(paragraph, text, anchors, margin)
        segments.append(Segment(name, start, len(text)))

    for layout in layouts:
        main = margins[layout.main.angle] if layout.main else None
        add("header", layout.header, main)
        add("footer", layout.footer, main)
        for block in layout.extras:
            add(f"page {layout.number} {'rotated' if block.visible else 'invisible'} text", block.lines, None)
    return "".join(text), anchors, segments
