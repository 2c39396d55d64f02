"""Bytes to a BeautifulSoup tree, safely: decode as declared, repair the known defects, refuse the rest.

Order matters and each step names the trap it guards against (docs/untc-format.md):

1. refuse what is not an MTDSG XML file at all: empty bytes, pages too big or with too many
   tags to be one, UNTC's maintenance page (§1, "urgent maintenance" served with HTTP 200),
   any other HTML page;
2. refuse an encoding declaration that is not ASCII-compatible (UTF-7, UTF-16 without a
   byte-order mark, EBCDIC, the stateful ISO-2022 family): in those, the bytes of step 3's
   check need not spell `<!DOCTYPE` for the decoded text to;
3. refuse any DTD or entity declaration before a parser sees it: MTDSG files never have one,
   and it is how billion-laughs and external-entity (XXE) attacks start (docs/reliability.md item 17);
   checked again on the decoded text;
4. decode as the file declares (ISO-8859-1, §3.4), never by sniffing, except that bytes
   contradicting a single-byte declaration are never turned into mojibake: a file that is
   valid UTF-8 throughout is read as UTF-8, one mixing UTF-8 sequences with other high bytes
   is refused;
5. repair the two defects that make 271 of 407 real files ill-formed (§3.4): C0 control bytes
   (mangled typographic quotes) and bare `&`;
6. parse with lxml *without* recovery, entity resolution, DTD loading or network access, so a
   truncated or otherwise broken file raises instead of silently becoming a partial tree.
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.builder import LXMLTreeBuilderForXML
from lxml import etree

from scrapers.model import ParseError

#: Caps that keep an adversarial page from tying a worker up (docs/reliability.md, load
#: targets: "a 5 MB adversarial file refused or parsed in under 5 s"). Building the tree costs about 15-20 us
#: per element, so the element count, not the byte count, is what must be bounded. The real
#: fixtures have 480 (XXVI-9) to 1,900 (XVIII-12-a) `<` for up to 197 participants.
MAX_INPUT_BYTES = 8 * 1024 * 1024
MAX_TAGS = 100_000

#: MTDSG nesting is about 10 deep; anything far deeper is an attack on the tree builder.
MAX_DEPTH = 64

_DECLARATION = re.compile(rb"""\A\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_PROLOG = re.compile(r"\A\s*<\?xml[^>]*\?>")
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_DTD_TEXT = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_MAINTENANCE = b"urgent maintenance"

# §3.4: the 2018 copies store U+2018/2019/201C/201D (and dashes) as their low byte. Put the
# character back rather than lose it; every other C0 control except TAB, LF, CR is illegal
# in XML 1.0 and is dropped.
_CONTROL_REPAIRS = {
    "\x13": "\u2013",
    "\x14": "\u2014",
    "\x18": "\u2018",
    "\x19": "\u2019",
    "\x1c": "\u201c",
    "\x1d": "\u201d",
}
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# §3.4: a bare `&` (U+2026 mangled to 0x26 in the 2018 copies). Only XML's own five entities
# and character references are kept; `&nbsp;` and friends are undefined in XML and become text.
_BARE_AMPERSAND = re.compile(r"&(?!(?:lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});)")

_INTER_TAG_SPACE = re.compile(r">\s+<")

# A probe of the printable ASCII range: an ASCII-compatible encoding decodes it unchanged.
_ASCII_PROBE = bytes(range(0x20, 0x7F)) + b"\t\n\r"
# Stateful 7-bit encodings pass the probe but can hide characters behind escape sequences.
_STATEFUL = ("utf-7", "utf_7", "iso2022", "hz")
# One UTF-8 multibyte sequence (RFC 3629 lead and continuation bytes), and a cheap first
# look for one (a lead byte followed by a continuation byte: rare in Latin-1 text).
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_UTF8_LEAD = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")

#: Characters never stored: C0/C1 controls (TAB, LF and CR are whitespace) and every Unicode
#: format character (Cf: zero-width spaces and joiners, bidirectional embeddings, overrides
#: and isolates, the BOM, soft hyphen...). tests/scrapers/test_xml_safety.py checks this
#: class against unicodedata.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)

_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def load_tree(data: bytes) -> BeautifulSoup:
    """Return the parsed tree of a status file, or raise ParseError saying why not."""
    _refuse_non_xml(data)
    text = _repair(_decode(data))
    builder = _GuardedBuilder(parser=_strict_parser)
    try:
        return BeautifulSoup(text, builder=builder)
    except ParseError:
        raise
    except etree.LxmlError as error:
        raise ParseError(f"not well-formed XML (truncated or damaged file?): {error}") from None
    except RecursionError:
        raise ParseError("document nests too deeply to be a status file") from None


def _refuse_non_xml(data: bytes) -> None:
    if not data.strip():
        raise ParseError("empty document: no status file was received")
    if len(data) > MAX_INPUT_BYTES:
        raise ParseError(f"document is {len(data)} bytes, over the {MAX_INPUT_BYTES}-byte limit")
    if data.count(b"<") > MAX_TAGS:
        raise ParseError(f"document has more than {MAX_TAGS} tags: far too many for a status file")
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    lowered = data.lower()
    if _MAINTENANCE in lowered and b"<participants" not in lowered:
        raise ParseError("UNTC served its 'urgent maintenance' page instead of the status file")
    if not (head.startswith(b"<?xml") or head.startswith(b"<document")):
        kind = "an HTML page" if b"<html" in head or b"<!doctype html" in head else "not XML"
        raise ParseError(f"not an MTDSG status file: the document is {kind}")
    _ascii_compatible(_declared_encoding(data))
    if _DTD.search(data):
        raise ParseError("refusing a document type or entity declaration (DTD): never in UNTC files")


def _declared_encoding(data: bytes) -> str:
    declared = _DECLARATION.match(data)
    return declared.group(1).decode("ascii") if declared else "utf-8"


def _ascii_compatible(encoding: str) -> codecs.CodecInfo:
    """The codec of a declared encoding, refused unless ASCII bytes mean ASCII characters in it."""
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise ParseError(f"the file declares an unknown encoding {encoding!r}") from None
    try:
        compatible = codec.decode(_ASCII_PROBE)[0] == _ASCII_PROBE.decode("ascii")
    except UnicodeDecodeError:
        compatible = False
    if not compatible or codec.name.startswith(_STATEFUL):
        raise ParseError(
            f"the file declares the encoding {encoding!r}, which is not ASCII-compatible: refused (UNTC files "
            "are ISO-8859-1)"
        )
    return codec


def _decode(data: bytes) -> str:
    encoding = _declared_encoding(data)
    codec = _ascii_compatible(encoding)
    if not data.isascii() and _single_byte(codec) and _has_utf8_sequence(data):
        # The bytes contradict the declaration: decoding them one by one would turn "Côte"
        # into mojibake ("C" + "\u00c3\u00b4" + "te"). Valid UTF-8 throughout is what they
        # are; anything else is refused.
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ParseError(
                f"the file declares {encoding} but mixes UTF-8 sequences with other non-ASCII bytes: its "
                "encoding contradicts itself, so its names cannot be read safely"
            ) from None
    else:
        try:
            text = data.decode(codec.name)
        except UnicodeDecodeError as error:
            raise ParseError(f"the file is not valid {encoding}: {error.reason}") from None
    # The declaration has done its job; lxml is given text, so drop it.
    text = _PROLOG.sub("", text.lstrip("\ufeff"), count=1)
    if _DTD_TEXT.search(text):
        raise ParseError("refusing a document type or entity declaration (DTD): never in UNTC files")
    return text


def _has_utf8_sequence(data: bytes) -> bool:
    first = _UTF8_LEAD.search(data)
    return first is not None and _UTF8_SEQUENCE.search(data, first.start()) is not None


def _single_byte(codec: codecs.CodecInfo) -> bool:
    """Whether the codec maps each byte to one character (ISO-8859-*, windows-125x, ...)."""
    return len(codec.decode(bytes(range(256)), "replace")[0]) == 256


def _repair(text: str) -> str:
    text = _CONTROLS.sub(_control_replacement, text)
    text = _BARE_AMPERSAND.sub("&amp;", text)
    # Layout whitespace between tags carries nothing (MTDSG has no mixed content: inline HTML
    # arrives escaped, §3.3, and every text is squashed when read) but costs BeautifulSoup one
    # string object per gap: dropping it halves the tree of the indented 2018 files (§3.4: the
    # live files come without it anyway).
    return _INTER_TAG_SPACE.sub("><", text)


def _control_replacement(match: re.Match[str]) -> str:
    return _CONTROL_REPAIRS.get(match.group(), "")


def _strict_parser(target: Any = None, encoding: Any = None, **_ignored: Any) -> etree.XMLParser:
    # BeautifulSoup asks for recover=True; a recovering parser would turn a truncated file
    # into a shorter, valid-looking tree, so the request is ignored on purpose.
    return etree.XMLParser(
        target=target,
        encoding=encoding,
        recover=False,
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
    )


class _GuardedBuilder(LXMLTreeBuilderForXML):
    """BeautifulSoup's lxml XML builder, refusing absurd nesting while the tree is built."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._depth = 0

    def start(self, tag: Any, attrib: Any, nsmap: Any = None) -> None:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise ParseError(f"elements nest more than {MAX_DEPTH} deep: not a status file")
        super().start(tag, attrib, nsmap or {})

    def end(self, name: Any) -> None:
        self._depth -= 1
        super().end(name)


# ---- reading text out of the tree -------------------------------------------------------


def squash(text: str) -> str:
    """Fold every run of whitespace (tab, NBSP, CR, newline: §3.4) to one space and trim;
    drop invisible and bidirectional-control characters and normalise to NFC."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    return " ".join(text.split())


def has_invisible(text: str) -> bool:
    """Whether the text holds a character `squash` drops (a control or format character)."""
    return _INVISIBLE.search(text) is not None


def visible(text: str) -> str:
    """The text with each invisible character spelt out as <U+200B>, for showing a person."""
    return _INVISIBLE.sub(lambda match: f"<U+{ord(match.group()):04X}>", text)


def raw_text(tag: Tag | None) -> str:
    """All text of an element as XML decoding left it (escaped markup is still literal)."""
    if tag is None:
        return ""
    contents = tag.contents
    if not contents:
        return ""
    # Fast path for the common single-string cell; `strings` walks all descendants.
    if len(contents) == 1 and type(contents[0]) is NavigableString:
        return contents[0]
    return "".join(tag.strings)


def rich_text(tag: Tag | None) -> str:
    """Readable text of a field that carries escaped inline HTML (§3.3): tags stripped."""
    return plain(raw_text(tag))


def plain(text: str) -> str:
    """Strip inline tags like `<i>`, `<a href=...>`, `<right>`, unescape, squash whitespace."""
    if "<" in text:
        text = _TAG.sub(_tag_replacement, text)
    return squash(html.unescape(text))


def _tag_replacement(match: re.Match[str]) -> str:
    # Block-level breaks separate words; inline tags (<i>, <a>, <right>) must not add spaces.
    return " " if match.group().lower().startswith(("<br", "<p", "</p")) else ""


def child(tag: Tag | None, name: str) -> Tag | None:
    """First direct child element called `name` (never a deeper one)."""
    if tag is None:
        return None
    for node in tag.contents:
        if isinstance(node, Tag) and node.name == name:
            return node
    return None


def children(tag: Tag | None, name: str) -> list[Tag]:
    """Direct child elements called `name`, in document order."""
    if tag is None:
        return []
    return [node for node in tag.contents if isinstance(node, Tag) and node.name == name]


def path(tag: Tag | None, *names: str) -> Tag | None:
    """Follow direct children by name, e.g. path(treaty, "Header", "ExternalData")."""
    for name in names:
        tag = child(tag, name)
    return tag
