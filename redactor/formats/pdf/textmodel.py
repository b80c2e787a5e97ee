"""Page text from glyph geometry, the way a reader sees it, not the way it was written.

Content streams may show a line in pieces, one glyph at a time or out of
order; detection needs sentences. Glyphs are grouped by writing direction,
sorted into lines by baseline; within a line, runs drawn left to right in
content order stay together (so two overlapping text boxes do not
interleave) and runs are ordered along the line. A space is added where the
gap between glyphs is a word gap. Lines close enough together are one
paragraph, joined with a synthesised space (anchor None), nothing after a
word broken at a hyphen, or a line break when the line was ended on purpose
(the next line's first word would have fitted on it, or the next line starts
a "Label:" field), so letterheads, addresses and signatures keep their lines.
Visible and invisible text never share a line, so an OCR layer reads as its
own block. How pages join into one text is `layout`'s business.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Callable

from .interpreter import GlyphRef, PlacedGlyph

#: A gap wider than the line's usual letter gap by this share of an em is a word gap, when
#: the line has no space glyphs...
WORD_GAP = 0.15
#: ...and by this share when it has them (the other gaps are then kerning and letter spacing).
WORD_GAP_WITH_SPACES = 0.2
#: Lines whose baselines are closer than this share of the font size belong to one line.
SAME_LINE = 0.4
#: Consecutive lines closer than this (baseline pitch over font size) are one paragraph.
PARAGRAPH_PITCH = 1.75
#: A line ended on purpose when the next line's first word would have fitted on it with this
#: share of an em to spare (less, and it may have been wrapped).
HARD_BREAK_SLACK = 0.05
#: "Date:", "Referral date:", "NHS number:": a label starting a line of a form or letterhead...
FIELD_LABEL = re.compile(r"[A-Z][\w'’-]*(?: [\w'’-]+){0,2}:(?:\s|$)")
#: ...after a line that closed a sentence or a bracket.
CLOSED = re.compile(r"[.!?)]\s*$")
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st",
              "\ufb06": "st"}


@dataclass
class _Line:
    glyphs: list[tuple[int, PlacedGlyph]]  # (content order, glyph)
    baseline: float
    size: float


def _angle(glyph: PlacedGlyph) -> int:
    return round(math.degrees(math.atan2(glyph.direction[1], glyph.direction[0]))) % 360


def _baseline(glyph: PlacedGlyph) -> float:
    """Offset of the glyph's baseline along the normal to its writing direction."""
    dx, dy = glyph.direction
    return -dy * glyph.origin[0] + dx * glyph.origin[1]


def _along(glyph: PlacedGlyph) -> float:
    dx, dy = glyph.direction
    return dx * glyph.origin[0] + dy * glyph.origin[1]


def _end(glyph: PlacedGlyph) -> float:
    return _along(glyph) + glyph.advance


def _lines(glyphs: list[tuple[int, PlacedGlyph]]) -> list[_Line]:
    """Cluster glyphs of one direction and visibility into lines, top line first."""
    lines: list[_Line] = []
    for order, glyph in sorted(glyphs, key=lambda item: -_baseline(item[1])):
        base = _baseline(glyph)
        if lines and lines[-1].baseline - base <= SAME_LINE * max(lines[-1].size, glyph.size):
            lines[-1].glyphs.append((order, glyph))
            lines[-1].size = max(lines[-1].size, glyph.size)
        else:
            lines.append(_Line([(order, glyph)], base, glyph.size))
    return lines


def _chunks(line: _Line) -> list[list[PlacedGlyph]]:
    """Runs of glyphs drawn forwards in content order, ordered along the line."""
    chunks: list[list[PlacedGlyph]] = []
    for _, glyph in sorted(line.glyphs, key=lambda item: item[0]):
        last = chunks[-1][-1] if chunks else None
        if last is not None and _along(glyph) >= _end(last) - 0.5 * max(last.hsize, glyph.hsize):
            chunks[-1].append(glyph)
        else:
            chunks.append([glyph])
    return sorted(chunks, key=lambda chunk: _along(chunk[0]))


def _usual_gap(chunks: list[list[PlacedGlyph]]) -> float:
    """The median gap between letters of the line, in ems: letter spacing and placement noise."""
    gaps = sorted((_along(b) - _end(a)) / max(a.hsize, 1e-6) for chunk in chunks for a, b in zip(chunk, chunk[1:])
                  if a.text and b.text and not a.text.isspace() and not b.text.isspace())
    return min(max(gaps[len(gaps) // 2], 0.0), 0.15) if gaps else 0.0


@dataclass
class TextLine:
    """One line of text as a reader sees it, with what paragraph building needs to know about it.

    Positions are along the writing direction (`start`, `end`: first and last ink) and across it
    (`baseline`); `first_word` is the length of the line's first word and `space` of a word space,
    so one can ask whether the next line's first word would have fitted on this one.
    """

    text: str
    anchors: list[GlyphRef | None]
    baseline: float
    size: float
    start: float
    end: float
    first_word: float
    space: float


def _emit_line(line: _Line) -> TextLine:
    text: list[str] = []
    anchors: list[GlyphRef | None] = []
    placed: list[PlacedGlyph | None] = []
    has_spaces = any(g.text and g.text.isspace() for _, g in line.glyphs)
    chunks = _chunks(line)
    threshold = _usual_gap(chunks) + (WORD_GAP_WITH_SPACES if has_spaces else WORD_GAP)
    previous: PlacedGlyph | None = None
    for chunk in chunks:
        first_in_chunk = True
        for glyph in chunk:
            chars = "".join(_LIGATURES.get(ch, ch) for ch in glyph.text or "")
            if not chars:
                continue
            if previous is not None and not text[-1].isspace() and not chars[0].isspace():
                gap = _along(glyph) - _end(previous)
                overlap = first_in_chunk and gap < 0
                if overlap or gap > threshold * max(glyph.hsize, previous.hsize):
                    text.append(" ")
                    anchors.append(None)
                    placed.append(None)
            for ch in chars:
                text.append(ch)
                anchors.append(glyph.ref)
                placed.append(glyph)
            previous, first_in_chunk = glyph, False
    ink = [(ch, g) for ch, g in zip(text, placed) if g is not None and not ch.isspace()]
    start = _along(ink[0][1]) if ink else 0.0
    end = max((_end(g) for _, g in ink), default=0.0)
    word_end = start
    seen = False
    for ch, glyph in zip(text, placed):
        if ch.isspace():
            if seen:
                break
            continue
        if glyph is not None:
            word_end, seen = max(word_end, _end(glyph)), True
    spaces = [g.advance for _, g in line.glyphs if g.text and g.text.isspace() and g.advance > 0]
    hsize = max((g.hsize for _, g in line.glyphs), default=line.size)
    space = sorted(spaces)[len(spaces) // 2] if spaces else 0.25 * hsize
    return TextLine("".join(text), anchors, line.baseline, line.size, start, end, word_end - start, space)


@dataclass
class Block:
    """The lines of one page drawn in one direction, visible or not, top line first."""

    visible: bool
    angle: int
    lines: list[TextLine]

    @property
    def chars(self) -> int:
        return sum(len(line.text.strip()) for line in self.lines)


def page_blocks(glyphs: list[PlacedGlyph]) -> list[Block]:
    """The page's text as lines, grouped by visibility and writing direction (visible, horizontal first)."""
    groups: dict[tuple[bool, int], list[tuple[int, PlacedGlyph]]] = {}
    for order, glyph in enumerate(glyphs):
        if glyph.text:
            groups.setdefault((not glyph.visible, _angle(glyph)), []).append((order, glyph))
    blocks = []
    for key in sorted(groups):
        lines = [line for line in map(_emit_line, _lines(groups[key])) if line.text]
        if lines:
            blocks.append(Block(not key[0], key[1], lines))
    return blocks


def paragraphs(lines: list[TextLine]) -> list[list[TextLine]]:
    """Consecutive lines closer than the paragraph pitch, as paragraphs."""
    out: list[list[TextLine]] = []
    for line in lines:
        previous = out[-1][-1] if out else None
        if previous is not None and previous.baseline - line.baseline <= PARAGRAPH_PITCH * max(previous.size, line.size):
            out[-1].append(line)
        else:
            out.append([line])
    return out


def broken_word(text: str) -> bool:
    """Whether `text` ends in a word broken at a hyphen (post-|traumatic)."""
    stripped = text.rstrip()
    return len(stripped) > 1 and stripped[-1] == "-" and stripped[-2].isalpha()


def hard_break(line: TextLine, following: TextLine, edge: float) -> bool:
    """Whether the line ended before the margin: the next line's first word would have fitted on it.

    `edge` is the furthest any line of the paragraph reaches, never beyond the real margin,
    so a line that was wrapped is never taken for one that was broken on purpose.
    """
    if following.first_word <= 0:
        return False
    return line.end + line.space + following.first_word < edge - HARD_BREAK_SLACK * line.size


def starts_field(line: TextLine, following: TextLine) -> bool:
    """Whether `following` starts a new "Label: value" line after one that closed (". " or ")").

    A full line can end where a new one was begun on purpose ("...Telephone 01632 960433." then
    "Referral date: 8 May 2025"); its shape cannot tell, but the label can.
    """
    return bool(CLOSED.search(line.text) and FIELD_LABEL.match(following.text))


def line_separator(line: TextLine, following: TextLine, edge: float) -> str:
    """What joins two lines of one paragraph: nothing after a broken word, a line break after a
    line that ended early (a letterhead, an address, a signature), otherwise a space."""
    if broken_word(line.text):
        return ""
    if hard_break(line, following, edge) or starts_field(line, following):
        return "\n"
    return "" if line.text[-1].isspace() else " "


def render(paragraph: list[TextLine], text: list[str], anchors: list[GlyphRef | None],
           margin: Callable[[TextLine], float] | None = None) -> None:
    """Append one paragraph's text, with synthesised separators (anchor None) between its lines.

    `margin(line)` is how far lines like this one reach elsewhere in the document (the column's
    right edge); a paragraph's own longest line stands in for it when there is nothing better.
    """
    edge = max(line.end for line in paragraph)
    for line, following in zip(paragraph, paragraph[1:] + [None]):
        text.extend(line.text)
        anchors.extend(line.anchors)
        if following is not None:
            separator = line_separator(line, following, max(edge, margin(line)) if margin else edge)
            text.extend(separator)
            anchors.extend([None] * len(separator))


def page_text(glyphs: list[PlacedGlyph]) -> tuple[str, list[GlyphRef | None]]:
    """The text of one page and one anchor per character (None for synthesised characters)."""
    text: list[str] = []
    anchors: list[GlyphRef | None] = []
    for block in page_blocks(glyphs):
        for paragraph in paragraphs(block.lines):
            if text:
                text.extend("\n\n")
                anchors.extend([None, None])
            render(paragraph, text, anchors)
    return "".join(text), anchors
