"""Re-reading a written .docx by a route that shares nothing with the reader or writer.

No XML parser and next to no knowledge of Word: every zip member is treated
as text. XML members give their character data (with a line break at
paragraph and line ends), CDATA, comments and every attribute value but the
package's own vocabulary (namespace, part and relationship type URIs, which
would otherwise match a removed word such as "footer"); nested zips are
opened recursively; any other member is searched as raw bytes in the usual
encodings, so text hidden in a binary blob is still seen.
"""
from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

from ...verify import surviving

MAX_DEPTH = 3
_CDATA = re.compile(rb"<!\[CDATA\[(.*?)\]\]>", re.S)
_COMMENT = re.compile(rb"<!--(.*?)-->", re.S)
_BREAK = re.compile(r"</(?:w|a):p>|<(?:w|a):br\b[^>]*>|<w:cr\b[^>]*>|<w:tab\b[^>]*/>")
_TAG = re.compile(r"<[^>]*>")
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
#: Attribute values that are the file format's own vocabulary, never a report's words:
#: namespace declarations, package part and relationship types, schema URIs.
_FORMAT_ATTRS = re.compile(r"xmlns(:.*)?|Type|ContentType|Extension")
_SCHEMA_URI = re.compile(r"(http://(schemas\.openxmlformats\.org|schemas\.microsoft\.com|purl\.org|www\.w3\.org)/"
                         r"|urn:schemas-microsoft-com:)")


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    return data.decode("utf-8", "replace")


def _xml_text(data: bytes) -> list[str]:
    out = [_decode(m) for m in _CDATA.findall(data)] + [_decode(m) for m in _COMMENT.findall(data)]
    xml = _decode(_COMMENT.sub(b"", _CDATA.sub(b"", data)))
    for tag in _TAG.findall(xml):
        for name, double, single in _ATTR.findall(tag):
            value = html.unescape(double or single)
            if not (_FORMAT_ATTRS.fullmatch(name) or _SCHEMA_URI.match(value)):
                out.append(value)
    out.append(html.unescape(_TAG.sub("", _BREAK.sub("\n", xml))))
    return out


def _binary_text(data: bytes) -> list[str]:
    return [data.decode("latin-1"), data.decode("utf-16-le", "ignore"), data[1:].decode("utf-16-le", "ignore")]


def package_text(data: bytes, depth: int = 0) -> str:
    """Every string a zip package holds, nested packages included."""
    out: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            member = zf.read(info)
            if member.startswith(b"PK\x03\x04") and depth < MAX_DEPTH:
                out.append(package_text(member, depth + 1))
            elif info.filename.endswith((".xml", ".rels")) or member.lstrip().startswith(b"<"):
                out.extend(_xml_text(member))
            else:
                out.extend(_binary_text(member))
    return "\n".join(out)


def verify(path: Path, forbidden: list[str]) -> list[str]:
    """The strings of `forbidden` still present anywhere in the .docx at `path`."""
    return surviving(package_text(path.read_bytes()), forbidden)
