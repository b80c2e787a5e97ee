"""WordprocessingML vocabulary and the two judgements reader and writer must share.

The reader leaves out of `Document.text` exactly what the writer takes out of
the file: runs Word does not show (hidden text, field instructions). Both ask
this module, so the text that detection saw is the text that is released.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
O = "urn:schemas-microsoft-com:office:office"
V = "urn:schemas-microsoft-com:vml"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

#: Fields whose instruction holds no words of the report: kept live so page
#: numbers still count; every other field is flattened to its result text.
LIVE_FIELDS = frozenset({"PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION"})


def w(tag: str) -> str:
    """The Clark name of a WordprocessingML element or attribute."""
    return f"{{{W}}}{tag}"


def remove(el: etree._Element) -> None:
    """Take `el` (and everything in it) out of its tree, if it is still in one."""
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)


def text_elements(root: etree._Element) -> list[etree._Element]:
    """Every element holding document text, in document order.

    An anchor is an index into this list, so the writer finds the same
    element in a fresh parse of the same part without sharing objects.
    """
    return list(root.iter(w("t"), f"{{{M}}}t"))


def _is_on(toggle: etree._Element) -> bool:
    return toggle.get(w("val"), "true") not in ("0", "false", "off")


class Styles:
    """Which styles hide their text (`w:vanish`), following `w:basedOn` chains."""

    def __init__(self, styles_root: etree._Element | None) -> None:
        self._based_on: dict[str, str] = {}
        self._vanish: dict[str, bool] = {}
        self.default_paragraph: str | None = None
        self.default_vanish = False
        if styles_root is None:
            return
        for style in styles_root.iter(w("style")):
            sid = style.get(w("styleId"), "")
            based = style.find(w("basedOn"))
            if based is not None:
                self._based_on[sid] = based.get(w("val"), "")
            vanish = style.find(f"{w('rPr')}/{w('vanish')}")
            if vanish is not None:
                self._vanish[sid] = _is_on(vanish)
            if style.get(w("type")) == "paragraph" and style.get(w("default")) in ("1", "true", "on"):
                self.default_paragraph = sid
        default = styles_root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('vanish')}")
        self.default_vanish = default is not None and _is_on(default)

    def vanish(self, style_id: str | None) -> bool | None:
        """Whether a style (or one it is based on) sets hidden text; None if none says."""
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            if style_id in self._vanish:
                return self._vanish[style_id]
            style_id = self._based_on.get(style_id)
        return None

    def run_is_hidden(self, run: etree._Element) -> bool:
        """Direct formatting, then character style, then paragraph style, then defaults."""
        rpr = run.find(w("rPr"))
        if rpr is not None:
            direct = rpr.find(w("vanish"))
            if direct is not None:
                return _is_on(direct)
            rstyle = rpr.find(w("rStyle"))
            if rstyle is not None:
                by_char = self.vanish(rstyle.get(w("val")))
                if by_char is not None:
                    return by_char
        para = next(run.iterancestors(w("p")), None)
        pstyle = None if para is None else para.find(f"{w('pPr')}/{w('pStyle')}")
        by_para = self.vanish(self.default_paragraph if pstyle is None else pstyle.get(w("val")))
        return self.default_vanish if by_para is None else by_para


@dataclass
class Field:
    """A complex field: begin, instruction runs, separate, result runs, end."""

    begin: etree._Element
    code_runs: list[etree._Element] = field(default_factory=list)
    separate: etree._Element | None = None
    end: etree._Element | None = None

    @property
    def instruction(self) -> str:
        return "".join(t.text or "" for r in self.code_runs for t in r.iter(w("instrText")))

    @property
    def live(self) -> bool:
        return is_live_instruction(self.instruction)


def is_live_instruction(instruction: str) -> bool:
    """Whether a field instruction is one of the page-counting fields kept live."""
    words = instruction.split()
    return bool(words) and words[0].upper() in LIVE_FIELDS


def complex_fields(root: etree._Element) -> list[Field]:
    """Every `w:fldChar` field of a part, nested ones included, in document order.

    A run between a field's begin and separate is part of its instruction
    (for every enclosing field still in its instruction), even if it holds a
    `w:t` from a nested field's result: Word never shows it.
    """
    fields: list[Field] = []
    stack: list[Field] = []
    for run in root.iter(w("r")):
        in_code = [f for f in stack if f.separate is None]
        for char in run.iter(w("fldChar")):
            kind = char.get(w("fldCharType"))
            if kind == "begin":
                stack.append(Field(begin=run))
                fields.append(stack[-1])
            elif kind == "separate" and stack:
                stack[-1].separate = run
            elif kind == "end" and stack:
                stack.pop().end = run
        for f in in_code:
            if f.separate is None or f.separate is not run:
                f.code_runs.append(run)
    return fields


def hidden_runs(root: etree._Element, styles: Styles) -> set[etree._Element]:
    """Runs formatted as hidden text, directly or through their styles."""
    return {run for run in root.iter(w("r")) if styles.run_is_hidden(run)}


def unshown_runs(root: etree._Element, styles: Styles) -> set[etree._Element]:
    """Runs whose text a reader of the document never sees: hidden text and field codes."""
    unshown = hidden_runs(root, styles)
    for f in complex_fields(root):
        unshown.update(f.code_runs)
    return unshown
