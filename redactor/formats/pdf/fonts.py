"""Fonts: turn the bytes of a shown string into glyphs with Unicode and widths.

Detection can only find what decoding reveals, so a glyph whose meaning is a
guess is reported as undecodable (``text is None``) and its page is held: a
name we cannot read is a name we cannot redact. Widths are read from the
font dictionary as floats (pypdf's own font code rounds them), because every
removed glyph is replaced by a displacement of exactly its width.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from pypdf._codecs import adobe_glyphs, charset_encoding
from pypdf._codecs.core_font_metrics import CORE_FONT_METRICS
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject

#: Common names for the standard 14 fonts, mapped to the metrics that serve them.
_CORE_ALIASES = {
    "Arial": "Helvetica", "Arial,Bold": "Helvetica-Bold", "Arial-BoldMT": "Helvetica-Bold",
    "ArialMT": "Helvetica", "TimesNewRoman": "Times-Roman", "TimesNewRomanPSMT": "Times-Roman",
    "TimesNewRoman,Bold": "Times-Bold", "CourierNew": "Courier", "CourierNewPSMT": "Courier",
}
#: Operators a trustworthy Type 3 glyph procedure never needs: text and images.
_TYPE3_FORBIDDEN = re.compile(rb"(?<![A-Za-z])(BT|Tj|TJ|Do|BI)(?![A-Za-z])")


@dataclass(frozen=True)
class Glyph:
    """One glyph of a shown string.

    `width` is the horizontal displacement w0 in text space per unit of font
    size; `word_space` says whether Tw applies (single-byte code 32 only).
    """

    code: bytes
    text: str | None
    width: float
    word_space: bool


class FontError(Exception):
    """A font whose glyphs cannot be read safely; the message is the reason."""


def _unicode_of_name(name: str) -> str | None:
    """Unicode for a glyph name: the Adobe Glyph List, then uniXXXX / uXXXX[XX]."""
    if not name.startswith("/"):
        name = "/" + name
    if name in adobe_glyphs:
        return adobe_glyphs[name]
    base = name[1:].split(".")[0]
    match = re.fullmatch(r"uni((?:[0-9A-F]{4})+)", base) or re.fullmatch(r"u([0-9A-F]{4,6})", base)
    if match:
        hexes = match.group(1)
        step = 4 if base.startswith("uni") else len(hexes)
        return "".join(chr(int(hexes[i:i + step], 16)) for i in range(0, len(hexes), step))
    return None


def _readable(text: str) -> bool:
    """Whether a mapping gives real text, not NUL, control or private-use filler."""
    return bool(text) and not any(unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") or ch == "\ufffd"
                                  for ch in text) or text in ("\t", "\n", "\r")


def parse_cmap(data: bytes) -> tuple[dict[bytes, str], set[int]]:
    """Parse a ToUnicode CMap: code bytes -> text, and the code lengths its codespace allows."""
    mapping: dict[bytes, str] = {}
    lengths = {len(bytes.fromhex(m.decode())) for m in re.findall(rb"<([0-9A-Fa-f]+)>\s*<[0-9A-Fa-f]+>",
               b" ".join(re.findall(rb"begincodespacerange(.*?)endcodespacerange", data, re.S)))}

    def utf16(hexstr: bytes) -> str:
        raw = bytes.fromhex(hexstr.decode())
        return raw.decode("utf-16-be", "replace") if len(raw) % 2 == 0 else raw.decode("latin-1")

    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[bytes.fromhex(src.decode())] = utf16(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])",
                                      block):
            start, end, size = int(lo, 16), int(hi, 16), len(lo) // 2
            if end - start > 0xFFFF:
                raise FontError("ToUnicode range too large")
            if dst.startswith(b"["):
                targets = [utf16(t) for t in re.findall(rb"<([0-9A-Fa-f]*)>", dst)]
                for offset, text in enumerate(targets[: end - start + 1]):
                    mapping[(start + offset).to_bytes(size, "big")] = text
                continue
            first = utf16(dst[1:-1])
            for offset in range(end - start + 1):
                text = first[:-1] + chr(ord(first[-1]) + offset) if first else ""
                mapping[(start + offset).to_bytes(size, "big")] = text
    return mapping, lengths or {1}


class Font:
    """A font resource, ready to split shown strings into glyphs.

    Raises FontError when the font itself cannot be trusted (vertical
    writing, an unsupported CMap, a Type 3 font whose glyph procedures show
    text or images); individual unreadable codes come back with text None.
    """

    def __init__(self, font: DictionaryObject) -> None:
        self.subtype = str(font.get("/Subtype", ""))
        self.name = str(font.get("/BaseFont", font.get("/Name", "?")))
        self._cmap: dict[bytes, str] = {}
        self._widths: dict[int, float] = {}
        self._default_width = 0.0
        self._scale = 0.001
        self.multibyte = self.subtype == "/Type0"
        descriptor = font.get("/FontDescriptor")
        if self.multibyte:
            descendants = font.get("/DescendantFonts")
            if not descendants:
                raise FontError(f"Type 0 font {self.name} has no descendant font")
            cid_font = descendants[0].get_object()
            descriptor = cid_font.get("/FontDescriptor")
            self._read_cid(font, cid_font)
        else:
            self._read_simple(font, descriptor.get_object() if descriptor else None)
        desc = descriptor.get_object() if descriptor else {}
        core = self._core_metrics()
        ascent = float(desc.get("/Ascent", 0) or (core.font_descriptor.ascent if core else 800))
        descent = float(desc.get("/Descent", 0) or (core.font_descriptor.descent if core else -200))
        self.ascent = ascent / 1000 if ascent else 0.8
        self.descent = descent / 1000 if descent else -0.2
        unicode_map = font.get("/ToUnicode")
        if isinstance(unicode_map, NameObject) or unicode_map is None:
            return
        stream = unicode_map.get_object()
        if isinstance(stream, StreamObject):
            self._cmap, lengths = parse_cmap(stream.get_data())
            if self.multibyte and lengths != {2}:
                raise FontError(f"font {self.name}: ToUnicode codespace with {sorted(lengths)}-byte codes")

    def _core_metrics(self) -> Any:
        base = self.name.lstrip("/").split("+")[-1]
        return CORE_FONT_METRICS.get(_CORE_ALIASES.get(base, base))

    def _read_cid(self, font: DictionaryObject, cid_font: DictionaryObject) -> None:
        encoding = font.get("/Encoding")
        if encoding != "/Identity-H":
            kind = "vertical writing" if encoding == "/Identity-V" else f"CMap {encoding}"
            raise FontError(f"font {self.name} uses {kind}, which is not supported")
        self._default_width = float(cid_font.get("/DW", 1000))
        w = cid_font.get("/W")
        items = list(w.get_object()) if w is not None else []
        i = 0
        while i < len(items):
            first = int(items[i])
            nxt = items[i + 1].get_object() if i + 1 < len(items) else None
            if isinstance(nxt, ArrayObject):
                for offset, width in enumerate(nxt):
                    self._widths[first + offset] = float(width)
                i += 2
            elif i + 2 < len(items):
                for cid in range(first, int(nxt) + 1):
                    self._widths[cid] = float(items[i + 2])
                i += 3
            else:
                break

    def _read_simple(self, font: DictionaryObject, descriptor: DictionaryObject | None) -> None:
        flags = int(descriptor.get("/Flags", 32)) if descriptor else 32
        encoding = font.get("/Encoding")
        encoding = encoding.get_object() if encoding is not None else None
        base_name = encoding.get("/BaseEncoding") if isinstance(encoding, DictionaryObject) else encoding
        symbolic = bool(flags & 4) and not flags & 32
        if base_name in charset_encoding:
            table = list(charset_encoding[base_name])
        elif symbolic or self.subtype == "/Type3":
            table = [""] * 256
        else:
            table = list(charset_encoding["/StandardEncoding"])
        self._names: dict[int, str] = {}
        if isinstance(encoding, DictionaryObject):
            code = 0
            for item in encoding.get("/Differences", []):
                if isinstance(item, NameObject):
                    self._names[code] = str(item)
                    table[code] = _unicode_of_name(item) or ""
                    code += 1
                else:
                    code = int(item)
        self._table = table
        if self.subtype == "/Type3":
            matrix = font.get("/FontMatrix", [0.001, 0, 0, 0.001, 0, 0])
            self._scale = float(matrix[0])
            self._procs = font.get("/CharProcs", DictionaryObject()).get_object()
        widths = font.get("/Widths")
        if widths is not None:
            first = int(font.get("/FirstChar", 0))
            for offset, width in enumerate(widths.get_object()):
                self._widths[first + offset] = float(width)
            self._default_width = float(descriptor.get("/MissingWidth", 0)) if descriptor else 0.0
        else:
            core = self._core_metrics()
            if core is None:
                raise FontError(f"font {self.name} has no widths")
            self._core_widths = core.character_widths

    def _simple_width(self, code: int, text: str | None) -> float:
        if code in self._widths:
            return self._widths[code]
        if not self._widths and hasattr(self, "_core_widths"):
            widths = self._core_widths
            return float(widths.get(text or "", widths.get("default", 0)))
        return self._default_width

    def _type3_text(self, code: int, mapped: str | None) -> str | None:
        """Type 3 text is trusted only when names, ToUnicode and procedure agree."""
        name = self._names.get(code)
        proc = self._procs.get(name) if name else None
        if proc is None or _TYPE3_FORBIDDEN.search(proc.get_object().get_data()):
            return None
        from_name = _unicode_of_name(name)
        if mapped is not None and from_name is not None and mapped != from_name:
            return None
        return mapped if mapped is not None else from_name

    def glyphs(self, data: bytes) -> list[Glyph]:
        """Split the bytes of a shown string into glyphs."""
        if self.multibyte:
            if len(data) % 2:
                data = data + b"\x00"  # an odd trailing byte is a code we cannot read
            out = []
            for i in range(0, len(data), 2):
                code = data[i:i + 2]
                text = self._cmap.get(code)
                cid = int.from_bytes(code, "big")
                width = self._widths.get(cid, self._default_width) * self._scale
                out.append(Glyph(code, text if text is not None and _readable(text) else None, width, False))
            return out
        out = []
        for byte in data:
            code = bytes([byte])
            mapped = self._cmap.get(code)
            mapped = mapped if mapped is not None and _readable(mapped) else None
            if self.subtype == "/Type3":
                text = self._type3_text(byte, mapped)
            else:
                fallback = self._table[byte] or None
                text = mapped if mapped is not None else fallback
            width = self._simple_width(byte, text) * self._scale
            out.append(Glyph(code, text, width, byte == 32))
        return out
