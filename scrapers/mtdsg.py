"""MTDSG numbers (XVIII-16, XXVII-7-d, XI-B-19, III-2-12b) and the UNTC addresses built from them.

The one home of UNTC's numbering: the model's validator, the URL converter, the API's filters,
the commands and the admin all take `MTDSG_PATTERN` and `mtdsg_normalise` from here. The
addresses UNTC gives a treaty (its status file's path, its page, a notification's PDF) are built
here too; `scrapers.fetch.xml_url` only joins a path to UNTC_BASE_URL, and refuses one that
leaves it. The grammar (docs/untc-format.md §1) comes from the UN's list of chapters and from
every file name of the 2018 corpus (tests/fixtures/untc-2018/):

    <chapter>[-<part>]-<number>[-<sub-item>]

- the chapter is one of the 29 chapters of *Multilateral Treaties Deposited with the
  Secretary-General*, in Roman numerals (`CHAPTERS`);
- only chapter XI is divided into parts, lettered A to E (`XI-A-10`, `XI-B-19`);
- the number is the file's `Numsect`, the sub-item its `Subnumsect`: a lower-case letter for a
  protocol or an amendment (`XXVII-7-d`), or the number of an annex with an optional letter for
  its revised texts (`III-2-12`, `III-2-12b`).

Chapter and part are written in capitals, everything after them in lower case, as UNTC names
its files (`XXVII-7-d.en.xml`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}

#: Part I of *Multilateral Treaties Deposited with the Secretary-General*, chapter by chapter.
CHAPTERS: dict[str, str] = {
    "I": "Charter of the United Nations and Statute of the International Court of Justice",
    "II": "Pacific Settlement of International Disputes",
    "III": "Privileges and Immunities, Diplomatic and Consular Relations, etc.",
    "IV": "Human Rights",
    "V": "Refugees and Stateless Persons",
    "VI": "Narcotic Drugs and Psychotropic Substances",
    "VII": "Traffic in Persons",
    "VIII": "Obscene Publications",
    "IX": "Health",
    "X": "International Trade and Development",
    "XI": "Transport and Communications",
    "XII": "Navigation",
    "XIII": "Economic Statistics",
    "XIV": "Educational and Cultural Matters",
    "XV": "Declaration of Death of Missing Persons",
    "XVI": "Status of Women",
    "XVII": "Freedom of Information",
    "XVIII": "Penal Matters",
    "XIX": "Commodities",
    "XX": "Maintenance Obligations",
    "XXI": "Law of the Sea",
    "XXII": "Commercial Arbitration",
    "XXIII": "Law of Treaties",
    "XXIV": "Outer Space",
    "XXV": "Telecommunications",
    "XXVI": "Disarmament",
    "XXVII": "Environment",
    "XXVIII": "Fiscal Matters",
    "XXIX": "Miscellaneous",
}
#: Chapter XI's parts: customs matters, road traffic, transport by rail, water transport,
#: multimodal transport.
PARTS: dict[str, str] = {"XI": "ABCDE"}

_NUMBER = r"[1-9][0-9]{0,2}[a-z]?"
_SUB_ITEM = rf"(?:{_NUMBER}|[a-z]{{1,2}})"
_OTHER_CHAPTERS = "|".join(sorted((c for c in CHAPTERS if c not in PARTS), key=len, reverse=True))
_PARTED = "|".join(f"{chapter}-[{letters}]" for chapter, letters in PARTS.items())

#: Every MTDSG number, and nothing else; no capturing group, so a URL converter may use it as is.
MTDSG_PATTERN = rf"(?:{_PARTED}|{_OTHER_CHAPTERS})-{_NUMBER}(?:-{_SUB_ITEM})?"
_FULL = re.compile(MTDSG_PATTERN)


@dataclass(frozen=True)
class MtdsgNumber:
    """An MTDSG number in its parts: `XI-B-19` is chapter XI, part B, number 19, no sub-item."""

    chapter: str
    part: str
    number: str
    sub: str

    def __str__(self) -> str:
        return "-".join(piece for piece in (self.chapter, self.part, self.number, self.sub) if piece)


def mtdsg_normalise(text: str) -> str:
    """The number as UNTC writes it (`xxvii-7-D` -> `XXVII-7-d`), or "" when it is not one."""
    pieces = (text or "").strip().split("-")
    if len(pieces) < 2:
        return ""
    head = [pieces[0].upper()]
    rest = pieces[1:]
    if head[0] in PARTS and rest and len(rest[0]) == 1 and rest[0].isalpha():
        head.append(rest.pop(0).upper())
    candidate = "-".join([*head, *(piece.lower() for piece in rest)])
    return candidate if _FULL.fullmatch(candidate) else ""


def mtdsg_parse(text: str) -> MtdsgNumber | None:
    """The parts of a well-formed number (after `mtdsg_normalise`), or None."""
    number = mtdsg_normalise(text)
    if not number:
        return None
    pieces = number.split("-")
    chapter = pieces.pop(0)
    part = pieces.pop(0) if chapter in PARTS else ""
    return MtdsgNumber(chapter=chapter, part=part, number=pieces[0], sub=pieces[1] if len(pieces) > 1 else "")


def mtdsg_from_header(*, chapter: str, part: str, number: str, sub: str) -> str:
    """The number a status file gives itself: its chapter, chapter XI's part (`SubChapter`), its
    `Numsect` and `Subnumsect`, cased as UNTC writes numbers. Kept as the file says it even when
    it is no number this grammar knows: `same_number` then refuses it for any tracked treaty."""
    head = [piece.upper() for piece in (chapter, part) if piece]
    return "-".join([*head, *(piece.lower() for piece in (number, sub) if piece)])


def same_number(tracked: str, read: str) -> bool:
    """Whether a file's own number (`mtdsg_from_header`) names the tracked treaty. A chapter XI
    file that does not name its part (no `SubChapter`) reads `XI-10` for `XI-A-10`: that matches."""
    if tracked == read:
        return True
    parsed = mtdsg_parse(tracked)
    return bool(parsed and parsed.part) and str(MtdsgNumber(parsed.chapter, "", parsed.number, parsed.sub)) == read


def mtdsg_sort_key(mtdsg: str) -> tuple:
    """UNTC's own order: chapters by their numeral's value (IV before XVIII), then the part,
    numbers as numbers (XI-B-2 before XI-B-19, III-2-12 before III-2-12b), letters as letters."""
    parsed = mtdsg_parse(mtdsg)
    if parsed is None:
        return (0, mtdsg)

    def piece(text: str) -> tuple:
        digits = text.rstrip("abcdefghijklmnopqrstuvwxyz")
        return (0, int(digits), text[len(digits) :]) if digits else (1, 0, text)

    return (roman_to_int(parsed.chapter), parsed.part, piece(parsed.number), piece(parsed.sub) if parsed.sub else ())


def roman_to_int(numeral: str) -> int:
    """XVIII -> 18: a chapter number as UNTC's page addresses want it."""
    values = [_ROMAN[letter] for letter in numeral]
    return sum(-value if later > value else value for value, later in zip(values, [*values[1:], 0], strict=True))


# Where UNTC keeps a chapter's XML files. Seen in real files: VI under Volume I; XVIII, XXI and
# XXVII under Volume II. The rest follows the printed MTDSG (Volume I: chapters I to XI;
# Volume II: XII onward) and is NOT verified against the live site: staff can override the path.
VOLUME_I_LAST_CHAPTER = 11
VERIFIED_VOLUMES = {"VI": "I", "XVIII": "II", "XXI": "II", "XXVII": "II"}


def chapter_of(mtdsg: str) -> str:
    return mtdsg.split("-", 1)[0]


def volume_of(chapter: str) -> str:
    if chapter in VERIFIED_VOLUMES:
        return VERIFIED_VOLUMES[chapter]
    return "I" if roman_to_int(chapter) <= VOLUME_I_LAST_CHAPTER else "II"


def treaty_xml_path(*, mtdsg: str) -> str:
    """The status file's path under UNTC_BASE_URL (see VOLUME_I_LAST_CHAPTER for what is certain)."""
    chapter = chapter_of(mtdsg)
    return f"doc/Publication/MTDSG/Volume%20{volume_of(chapter)}/Chapter%20{chapter}/{mtdsg}.en.xml"


def status_page_url(base_url: str, *, mtdsg: str, chapter: str) -> str:
    """A treaty's human-readable status page (not the XML file the poller reads)."""
    query = urlencode({"src": "TREATY", "mtdsg_no": mtdsg, "chapter": roman_to_int(chapter), "clang": "_en"})
    return f"{base_url}/Pages/ViewDetails.aspx?{query}"


def notification_url(base_url: str, *, number: int, year: int) -> str:
    """The depositary notification C.N.<number>.<year> (its English PDF), docs/untc-format.md §1."""
    return f"{base_url}/doc/Publication/CN/{year}/CN.{number}.{year}-Eng.pdf"
