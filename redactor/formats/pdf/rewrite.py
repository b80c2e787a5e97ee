"""Rewrite content streams so removed glyphs are gone, and cover where they were.

A removed glyph is taken out of its string and replaced, in a TJ array, by
a displacement equal to its advance, so every glyph after it stays exactly
where it was. Marked-content property lists (/ActualText, /Alt, /E) are
dropped by turning BDC into BMC and DP into MP everywhere. Black boxes are
drawn in default user space over each removed run of visible glyphs, as
quadrilaterals, so rotated text gets a rotated box.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

from pypdf.generic import ArrayObject, ByteStringObject, FloatObject, NameObject

from .interpreter import SHOW_OPS, GlyphRef, PageScan, PlacedGlyph, ShowOp, raw_bytes

Op = tuple[list[Any], bytes]
#: Called with a form use and its rewritten operators; returns the resource name to draw instead.
PlaceForm = Callable[[tuple[int, ...], list[Op]], str]


def _displacement(show: ShowOp, index: int) -> FloatObject:
    """The TJ number that moves the pen exactly as far as glyph `index` did."""
    glyph = show.glyphs[index]
    if not show.size:
        return FloatObject(0)
    tx = glyph.width * show.size + show.char_space + (show.word_space if glyph.word_space else 0)
    return FloatObject(round(-tx * 1000 / show.size, 4))


def rewrite_show(operands: list[Any], op: bytes, show: ShowOp, removed: set[int]) -> list[Op]:
    """The operators that replace one show operator once glyphs `removed` are taken out."""
    items = operands[0] if op == b"TJ" else [operands[-1]]
    array, pending, index = ArrayObject(), bytearray(), 0

    def flush() -> None:
        if pending:
            array.append(ByteStringObject(bytes(pending)))
            pending.clear()

    for item in items:
        if isinstance(item, (int, float)):
            flush()
            array.append(item)
            continue
        codes = raw_bytes(item)
        for glyph_bytes in _split(codes, show, index):
            if index in removed:
                flush()
                array.append(_displacement(show, index))
            else:
                pending.extend(glyph_bytes)
            index += 1
    flush()
    out: list[Op] = []
    if op == b'"':
        out += [([operands[0]], b"Tw"), ([operands[1]], b"Tc")]
    if op in (b"'", b'"'):
        out.append(([], b"T*"))
    out.append(([array], b"TJ"))
    return out


def _split(codes: bytes, show: ShowOp, start: int) -> Iterable[bytes]:
    """The code bytes of each glyph of a string, as the reader split them."""
    position = 0
    index = start
    while position < len(codes):
        size = len(show.glyphs[index].code)
        yield codes[position:position + size]
        position += size
        index += 1


def rewrite_ops(scan: PageScan, uses: tuple[int, ...], removed: set[GlyphRef],
                place_form: PlaceForm) -> tuple[list[Op], bool]:
    """One stream's operators with removals applied; and whether anything changed."""
    by_op: dict[int, set[int]] = {}
    for ref in removed:
        if ref.page == scan.number and ref.uses == uses:  # page 2's op 26 is not page 1's
            by_op.setdefault(ref.op, set()).add(ref.glyph)
    out: list[Op] = []
    changed = False
    for index, (operands, op) in enumerate(scan.streams[uses]):
        if op in SHOW_OPS and index in by_op:
            out += rewrite_show(operands, op, scan.shows[(uses, index)], by_op[index])
            changed = True
        elif op == b"BDC":
            out.append(([operands[0]], b"BMC"))
            changed = True
        elif op == b"DP":
            out.append(([operands[0]], b"MP"))
            changed = True
        elif op == b"Do" and uses + (index,) in scan.forms:
            inner, inner_changed = rewrite_ops(scan, uses + (index,), removed, place_form)
            if inner_changed:
                out.append(([NameObject(place_form(uses + (index,), inner))], b"Do"))
                changed = True
            else:
                out.append((operands, op))
        else:
            out.append((operands, op))
    return out, changed


def _runs(glyphs: list[PlacedGlyph]) -> list[list[PlacedGlyph]]:
    """Consecutive removed glyphs of one operator, each run to be covered by one box."""
    runs: list[list[PlacedGlyph]] = []
    for glyph in sorted(glyphs, key=lambda g: (g.ref.uses, g.ref.op, g.ref.glyph)):
        last = runs[-1][-1].ref if runs else None
        if last and (last.uses, last.op, last.glyph + 1) == (glyph.ref.uses, glyph.ref.op, glyph.ref.glyph):
            runs[-1].append(glyph)
        else:
            runs.append([glyph])
    return runs


def box_quads(scan: PageScan, removed: set[GlyphRef]) -> list[tuple[tuple[float, float], ...]]:
    """One quadrilateral in default user space per run of removed visible glyphs."""
    hit = [g for g in scan.glyphs if g.ref in removed and g.visible]
    return [(run[0].quad[0], run[-1].quad[1], run[-1].quad[2], run[0].quad[3]) for run in _runs(hit)]


def boxes_content(quads: list[tuple[tuple[float, float], ...]]) -> bytes:
    """Content stream operators filling each quad in opaque black."""
    if not quads:
        return b""
    parts = [b"q 0 g"]
    for quad in quads:
        (x0, y0), *rest = quad
        path = f"{x0:.3f} {y0:.3f} m " + " ".join(f"{x:.3f} {y:.3f} l" for x, y in rest) + " h f"
        parts.append(path.encode())
    parts.append(b"Q")
    return b"\n".join(parts) + b"\n"
