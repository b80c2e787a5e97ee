"""Reading a .docx into the text detection runs over, one anchor per character.

Text is read from the XML, not through python-docx, whose paragraph view
misses text in insertions, content controls, simple fields, hyperlinks and
text boxes. Every paragraph anywhere in a story part is read, nested ones
(text boxes, both the DrawingML choice and its VML fallback, table cells) as
paragraphs of their own. What the writer will take out anyway (deletions,
hidden text, field instructions, comments) is left out.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Optional

from lxml import etree

from ...model import Segment
from .package import Package
from .wordml import M, Styles, text_elements, unshown_runs, w

#: Story parts besides the body, in the order their text follows it.
STORY_KINDS = ("header", "footer", "footnotes", "endnotes")
#: Containers whose content the released document does not have (tracked deletions).
DELETED = frozenset({w("del"), w("moveFrom")})
TEXT = frozenset({w("t"), f"{{{M}}}t"})
SYNTHETIC = {w("tab"): "\t", w("ptab"): "\t", w("br"): "\n", w("cr"): "\n", w("noBreakHyphen"): "-"}
PARAGRAPH_GAP = "\n\n"


@dataclass(frozen=True)
class TextRef:
    """A text element: its part and its index in `wordml.text_elements` of that part."""

    part: str
    index: int


Anchor = Optional[tuple[TextRef, int]]
Chars = list[tuple[str, Anchor]]


def story_parts(package: Package) -> list[str]:
    """The parts whose text is released: the body, then headers, footers and notes."""
    parts = [package.main] + [p for kind in STORY_KINDS for p in package.related(package.main, kind)]
    return list(dict.fromkeys(parts))


def load_styles(package: Package) -> Styles:
    styles = package.related(package.main, "styles")
    return Styles(package.xml(styles[0]) if styles else None)


class _PartReader:
    """Collects the characters of one story part, paragraph by paragraph."""

    def __init__(self, part: str, root: etree._Element, styles: Styles) -> None:
        self.part = part
        self.unshown = unshown_runs(root, styles)
        self.refs = {el: TextRef(part, i) for i, el in enumerate(text_elements(root))}
        self.root = root

    def _released(self, para: etree._Element) -> bool:
        return not any(a.tag in DELETED or a in self.unshown for a in para.iterancestors())

    def _collect(self, el: etree._Element, out: Chars) -> None:
        for child in el:
            if child.tag in DELETED or child in self.unshown or child.tag == w("p"):
                continue
            if child.tag in TEXT:
                ref = self.refs[child]
                out.extend((ch, (ref, i)) for i, ch in enumerate(child.text or ""))
            elif child.tag in SYNTHETIC:
                out.append((SYNTHETIC[child.tag], None))
            else:
                self._collect(child, out)

    def chars(self) -> Chars:
        """The part's paragraphs joined by blank lines; a deleted paragraph mark joins two into one."""
        out: Chars = []
        previous = None
        for para in self.root.iter(w("p")):
            if not self._released(para):
                continue
            mine: Chars = []
            self._collect(para, mine)
            if not any(ch.strip() for ch, _ in mine):
                continue
            if previous is not None:
                merged = previous.find(f"{w('pPr')}/{w('rPr')}/{w('del')}") is not None \
                    and previous.getnext() is para
                out.extend((ch, None) for ch in ("" if merged else PARAGRAPH_GAP))
            out.extend(mine)
            previous = para
        return out


def read_text(package: Package) -> tuple[str, list[Anchor], list[Segment]]:
    """The document's text, an anchor per character, and a segment per story part."""
    styles = load_styles(package)
    chars: Chars = []
    segments = []
    for part in story_parts(package):
        mine = _PartReader(part, package.xml(part), styles).chars()
        if not mine:
            continue
        if chars:
            chars.extend((ch, None) for ch in PARAGRAPH_GAP)
        name = "body" if part == package.main else posixpath.splitext(posixpath.basename(part))[0]
        segments.append(Segment(name, len(chars), len(chars) + len(mine)))
        chars.extend(mine)
    return "".join(ch for ch, _ in chars), [a for _, a in chars], segments
