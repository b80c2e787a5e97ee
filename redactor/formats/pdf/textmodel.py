"""Page text from glyph geometry, the way a reader sees it, not the way it was written.

Content streams may show a line in pieces, one glyph at a time or out of
order; detection needs sentences. Glyphs are grouped by writing direction,
sorted into lines by baseline; within a line, runs drawn left to right in
content order stay together (so two overlapping text boxes do not
interleave) and runs are ordered along the line. A space is added where the
gap between glyphs is a word gap, and lines close enough together are joined
into one paragraph with a synthesised space (anchor None). Visible and
invisible text never share a line, so an OCR layer reads as its own block.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

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


def _emit_line(line: _Line, text: list[str], anchors: list[GlyphRef | None]) -> None:
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
            for ch in chars:
                text.append(ch)
                anchors.append(glyph.ref)
            previous, first_in_chunk = glyph, False


def page_text(glyphs: list[PlacedGlyph]) -> tuple[str, list[GlyphRef | None]]:
    """The text of one page and one anchor per character (None for synthesised characters)."""
    groups: dict[tuple[bool, int], list[tuple[int, PlacedGlyph]]] = {}
    for order, glyph in enumerate(glyphs):
        if glyph.text:
            groups.setdefault((not glyph.visible, _angle(glyph)), []).append((order, glyph))
    text: list[str] = []
    anchors: list[GlyphRef | None] = []
    for key in sorted(groups):
        previous: _Line | None = None
        for line in _lines(groups[key]):
            if text:
                joined = previous is not None and \
                    previous.baseline - line.baseline <= PARAGRAPH_PITCH * max(previous.size, line.size)
                broken_word = text[-1] == "-" and len(text) > 1 and text[-2].isalpha()  # post-|traumatic
                separator = ("" if text[-1].isspace() or broken_word else " ") if joined else "\n\n"
                text.extend(separator)
                anchors.extend([None] * len(separator))
            _emit_line(line, text, anchors)
            previous = line
    return "".join(text), anchors
