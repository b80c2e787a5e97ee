"""Applying replacements to the text elements their characters came from.

A span may cross runs with different formatting: each run loses exactly the
characters of the span it holds and keeps its own formatting, and the label
goes into the first run the span touches. Only `w:t` text changes here, never
structure, so anchors (indices into the part's text elements) stay valid.
"""
from __future__ import annotations

from collections import defaultdict

from lxml import etree

from ...errors import RedactorError
from ...model import Document, Replacement
from .package import EditablePackage
from .textmodel import TextRef
from .wordml import XML_SPACE, text_elements, w


def apply_replacements(pkg: EditablePackage, document: Document, replacements: list[Replacement]) -> None:
    """Delete each replacement's characters from their elements and insert its label."""
    deleted: dict[TextRef, set[int]] = defaultdict(set)
    labels: dict[TextRef, dict[int, str]] = defaultdict(dict)
    for rep in sorted(replacements, key=lambda r: r.start):
        anchored = [a for a in document.anchors[rep.start:rep.end] if a is not None]
        if not anchored:
            continue
        first_ref, first_index = anchored[0]
        labels[first_ref][first_index] = labels[first_ref].get(first_index, "") + rep.label
        for ref, index in anchored:
            deleted[ref].add(index)
    elements = {part: text_elements(pkg.tree(part)) for part in {ref.part for ref in deleted}}
    for ref, gone in deleted.items():
        element = elements[ref.part][ref.index]
        old = element.text or ""
        if max(gone) >= len(old):
            raise RedactorError(f"{pkg.package.name}: the document changed between reading and writing")
        inserts = labels.get(ref, {})
        element.text = "".join(inserts.get(i, "") + ("" if i in gone else ch) for i, ch in enumerate(old))
        element.set(XML_SPACE, "preserve")


def add_statements(pkg: EditablePackage, statements: list[str]) -> None:
    """Put each statement, in bold, as a paragraph at the top of the body."""
    body = pkg.tree(pkg.package.main).find(w("body"))
    for position, line in enumerate(statements):
        para = etree.Element(w("p"))
        run = etree.SubElement(para, w("r"))
        etree.SubElement(etree.SubElement(run, w("rPr")), w("b"))
        text = etree.SubElement(run, w("t"))
        text.text = line
        text.set(XML_SPACE, "preserve")
        body.insert(position, para)
