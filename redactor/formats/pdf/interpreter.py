"""Walk a page's content stream and place every glyph it shows.

The walk follows graphics and text state exactly as a viewer would (q/Q,
cm, BT/ET, the text state operators, the three ways of moving the text
matrix) and recurses into Form XObjects once per use, so a form drawn twice
yields two sets of glyphs with two different anchors. Each glyph gets its
Unicode text and its quadrilateral on the page; each text-showing operator
is remembered with the state it ran in, so the writer can rewrite it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from pypdf.generic import ContentStream, DictionaryObject, StreamObject

from .fonts import Font, FontError, Glyph

Matrix = tuple[float, float, float, float, float, float]
Point = tuple[float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
SHOW_OPS = (b"Tj", b"TJ", b"'", b'"')
#: Path-building operators; many of them with no text at all suggests text drawn as outlines.
_PATH_OPS = {b"m", b"l", b"c", b"v", b"y", b"re"}
OUTLINE_PATH_LIMIT = 1500
LARGE_IMAGE_SHARE = 0.3
MAX_FORM_DEPTH = 12


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """m x n in PDF's row-vector convention (apply m, then n)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def apply(m: Matrix, x: float, y: float) -> Point:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def raw_bytes(operand: Any) -> bytes:
    """The bytes of a string operand as written in the file, before pypdf decoded them."""
    if isinstance(operand, bytes):
        return bytes(operand)
    return bytes(operand.original_bytes)


@dataclass(frozen=True)
class GlyphRef:
    """Where a glyph lives: page, chain of Do operator indices, operator index, glyph index."""

    page: int
    uses: tuple[int, ...]
    op: int
    glyph: int


@dataclass
class PlacedGlyph:
    """A glyph on the page: its text and geometry in default user space."""

    ref: GlyphRef
    text: str | None
    quad: tuple[Point, Point, Point, Point]  # bottom-left, bottom-right, top-right, top-left
    origin: Point
    direction: Point  # unit vector along the baseline
    advance: float  # distance to the next glyph's origin, along `direction`
    size: float  # font size as it appears on the page (height of an em)
    hsize: float  # width of an em on the page, after horizontal scaling
    visible: bool


@dataclass
class ShowOp:
    """A text-showing operator and the text state the writer needs to rewrite it."""

    glyphs: list[Glyph]
    size: float
    char_space: float
    word_space: float
    scale: float
    font_name: str


@dataclass
class PageScan:
    """Everything the reader learned about one page."""

    number: int
    glyphs: list[PlacedGlyph] = field(default_factory=list)
    shows: dict[tuple[tuple[int, ...], int], ShowOp] = field(default_factory=dict)
    streams: dict[tuple[int, ...], list[Any]] = field(default_factory=dict)
    forms: dict[tuple[int, ...], StreamObject] = field(default_factory=dict)
    resources: dict[tuple[int, ...], DictionaryObject] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    path_ops: int = 0
    image_area: float = 0.0


@dataclass
class _State:
    ctm: Matrix = IDENTITY
    char_space: float = 0.0
    word_space: float = 0.0
    scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0
    render: int = 0
    font: Font | None = None
    font_name: str = ""
    size: float = 0.0

    def copy(self) -> "_State":
        return _State(**self.__dict__)


def _unit_area(m: Matrix) -> float:
    return abs(m[0] * m[3] - m[1] * m[2])


class _Walker:
    """One page's walk; fonts are cached per font dictionary."""

    def __init__(self, reader: Any, scan: PageScan) -> None:
        self.reader = reader
        self.scan = scan
        self.fonts: dict[int, Font | str] = {}

    def font(self, resources: DictionaryObject, name: str) -> Font | None:
        fonts = resources.get("/Font")
        ref = fonts.get_object().get(name) if fonts is not None else None
        if ref is None:
            self.scan.problems.append(f"font {name} is missing")
            return None
        obj = ref.get_object()
        key = id(obj)
        if key not in self.fonts:
            try:
                self.fonts[key] = Font(obj)
            except (FontError, ValueError, TypeError, KeyError, AttributeError) as exc:
                self.fonts[key] = str(exc) or f"font {name} cannot be read"
        found = self.fonts[key]
        if isinstance(found, str):
            self.scan.problems.append(found)
            return None
        return found

    def walk(self, stream: Any, resources: DictionaryObject, uses: tuple[int, ...], state: _State) -> None:
        """Interpret one stream; `state` is the graphics state it starts in (a form inherits its caller's)."""
        ops = ContentStream(stream, self.reader).operations
        self.scan.streams[uses] = ops
        self.scan.resources[uses] = resources
        stack: list[_State] = []
        tm = tlm = IDENTITY
        for index, (operands, op) in enumerate(ops):
            if op == b"q":
                stack.append(state.copy())
            elif op == b"Q":
                state = stack.pop() if stack else state
            elif op == b"cm":
                state.ctm = multiply(tuple(float(x) for x in operands), state.ctm)
            elif op == b"BT":
                tm = tlm = IDENTITY
            elif op == b"Tf":
                state.font_name, state.size = str(operands[0]), float(operands[1])
                state.font = self.font(resources, state.font_name)
            elif op in (b"Tc", b"Tw", b"Tz", b"TL", b"Ts", b"Tr"):
                value = float(operands[0])
                attr = {b"Tc": "char_space", b"Tw": "word_space", b"Tz": "scale", b"TL": "leading",
                        b"Ts": "rise", b"Tr": "render"}[op]
                setattr(state, attr, value / 100 if op == b"Tz" else int(value) if op == b"Tr" else value)
            elif op in (b"Td", b"TD"):
                tx, ty = float(operands[0]), float(operands[1])
                if op == b"TD":
                    state.leading = -ty
                tm = tlm = multiply((1, 0, 0, 1, tx, ty), tlm)
            elif op == b"Tm":
                tm = tlm = tuple(float(x) for x in operands)
            elif op == b"T*":
                tm = tlm = multiply((1, 0, 0, 1, 0, -state.leading), tlm)
            elif op in SHOW_OPS:
                if op in (b"'", b'"'):
                    if op == b'"':
                        state.word_space, state.char_space = float(operands[0]), float(operands[1])
                    tm = tlm = multiply((1, 0, 0, 1, 0, -state.leading), tlm)
                tm = self.show(operands, op, state, tm, uses, index)
            elif op == b"Do":
                self.draw(resources, str(operands[0]), state, uses + (index,))
            elif op == b"INLINE IMAGE":
                self.scan.image_area += _unit_area(state.ctm)
            elif op in _PATH_OPS:
                self.scan.path_ops += 1

    def draw(self, resources: DictionaryObject, name: str, state: _State, uses: tuple[int, ...]) -> None:
        xobjects = resources.get("/XObject")
        ref = xobjects.get_object().get(name) if xobjects is not None else None
        if ref is None:
            return
        xobject = ref.get_object()
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            self.scan.image_area += _unit_area(state.ctm)
        elif subtype == "/Form":
            if len(uses) > MAX_FORM_DEPTH:
                self.scan.problems.append("forms nested too deeply")
                return
            matrix = tuple(float(x) for x in xobject.get("/Matrix", IDENTITY))
            inner = xobject.get("/Resources")
            self.scan.forms[uses] = xobject
            inherited = state.copy()
            inherited.ctm = multiply(matrix, state.ctm)
            self.walk(xobject, inner.get_object() if inner is not None else resources, uses, inherited)
        elif subtype == "/PS":
            self.scan.problems.append("PostScript XObject")

    def show(self, operands: list[Any], op: bytes, state: _State, tm: Matrix,
             uses: tuple[int, ...], index: int) -> Matrix:
        """Place the glyphs of one show operator; return the text matrix after it."""
        font = state.font
        if font is None:
            self.scan.problems.append("text shown without a usable font")
            return tm
        items = operands[0] if op == b"TJ" else [operands[-1]]
        glyphs: list[Glyph] = []
        size, th = state.size, state.scale
        for item in items:
            if isinstance(item, (int, float)):
                tm = multiply((1, 0, 0, 1, -float(item) / 1000 * size * th, 0), tm)
                continue
            for glyph in font.glyphs(raw_bytes(item)):
                trm = multiply(multiply((size * th, 0, 0, size, 0, state.rise), tm), state.ctm)
                tx = (glyph.width * size + state.char_space + (state.word_space if glyph.word_space else 0)) * th
                self.place(glyph, font, trm, tx, multiply(tm, state.ctm), GlyphRef(
                    self.scan.number, uses, index, len(glyphs)), state.render)
                glyphs.append(glyph)
                tm = multiply((1, 0, 0, 1, tx, 0), tm)
        self.scan.shows[(uses, index)] = ShowOp(glyphs, size, state.char_space, state.word_space, th,
                                                state.font_name)
        return tm

    def place(self, glyph: Glyph, font: Font, trm: Matrix, tx: float, text_to_page: Matrix,
              ref: GlyphRef, render: int) -> None:
        w = glyph.width
        quad = (apply(trm, 0, font.descent), apply(trm, w, font.descent),
                apply(trm, w, font.ascent), apply(trm, 0, font.ascent))
        origin = apply(trm, 0, 0)
        along = apply(text_to_page, tx, 0)
        start = apply(text_to_page, 0, 0)
        dx, dy = trm[0], trm[1]
        norm = math.hypot(dx, dy) or 1.0
        direction = (dx / norm, dy / norm)
        advance = (along[0] - start[0]) * direction[0] + (along[1] - start[1]) * direction[1]
        self.scan.glyphs.append(PlacedGlyph(ref, glyph.text, quad, origin, direction, advance,
                                            math.hypot(trm[2], trm[3]), norm, render not in (3, 7)))


def scan_page(reader: Any, page: Any, number: int) -> PageScan:
    """Walk one page (1-based `number`) and collect its glyphs and problems."""
    scan = PageScan(number)
    contents = page.get_contents()
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else DictionaryObject()
    if contents is not None:
        _Walker(reader, scan).walk(contents, resources, (), _State())
    return scan
