"""What a statement's own words say: its kinds, the articles it cites, the statements it answers.

Pure functions of text (docs/untc-format.md §3.5). They read the headings UNTC prints inside a
statement ("Reservation:", "Declaration made upon signature:", "With regard to the reservation
made by Qatar upon accession:") before the prose, because a heading says what follows in the
State's own terms, where prose mentions other States' reservations as often as its own.
Every pattern is linear (no nested repetition), so a 5 MB declaration costs milliseconds.
"""

from __future__ import annotations

import re

#: The kinds, in the order the JSON lists them (the issue's order).
KINDS = (
    "reservation",
    "declaration",
    "understanding",
    "objection",
    "notification",
    "territorial_application",
    "withdrawal",
)


# A heading or sentence answering another State's statement: "With regard to the reservation made by
# Qatar upon accession", "the reservation entered by the Government of Burundi". The name runs to
# the first word that cannot be part of it ("upon", "on", "as", punctuation).
_ANSWER = re.compile(
    r"(?i:\b(?P<kind>interpretative\s+declarations?|reservations?|declarations?|statements?)"
    r"(?:\s+[\w(),\-]+){0,6}?\s+(?:made|formulated|entered|submitted|lodged)\s+by\s+"
    r"(?:the\s+(?P<several>governments\s+of\s+)?(?:government\s+of\s+)?)?)"
    r"(?P<name>(?:[Tt]he +)?[A-Z][\w'\u2019\-]*(?: +(?:[A-Z(][\w'\u2019\-()]*|of\)?|and|the|da|de|del|d'|du)){0,8})"
)
_AND = re.compile(r",\s*|\s+and\s+")
_NAME_END = re.compile(r"(?:\s+(?:of|and|the|da|de|del|d'|du))+\Z")
#: Words that follow "made by" but name nobody in particular.
_NOBODY = frozenset({"States", "State", "Parties", "Party", "Governments", "Government", "Contracting States"})

_HEADING_WORDS = (
    ("reservation", re.compile(r"\br[ée]serv", re.I)),
    ("understanding", re.compile(r"\bunderstanding", re.I)),
    ("declaration", re.compile(r"\bd[ée]clar|\bstatement|\bterritorial exclusion", re.I)),
    ("objection", re.compile(r"\bobjection", re.I)),
    ("notification", re.compile(r"\bnotification", re.I)),
)
# In prose, only a State speaking for itself counts: "reserves the right", "makes the following
# reservation", "does not consider itself bound"; "declares"; "understands".
_PROSE_WORDS = (
    (
        "reservation",
        re.compile(
            r"\breserves?\s+(?:the|its)\s+right|\b(?:makes?|formulates?|enters?|with|subject\s+to)\s+"
            r"(?:the\s+following\s+|an?\s+(?:express\s+)?|the\s+)?reservations?\b|\breservations?\s+"
            r"(?:to|on|in\s+respect\s+of|concerning|with\s+regard\s+to|relating\s+to)\s+(?:article|paragraph)"
            r"|\b(?:does|do|shall|will)\s+not\s+consider\s+(?:itself|themselves)\s+bound|\AReservations?\b",
            re.I,
        ),
    ),
    ("declaration", re.compile(r"\b(?:hereby\s+)?declares?\b|\bdeclaration\b|\AD[ée]clar", re.I)),
    ("understanding", re.compile(r"\bunderstanding\b|\bunderstands?\b", re.I)),
    ("objection", re.compile(r"\bobjects?\s+to\b|\bobjections?\b", re.I)),
)

_WITHDRAWS = re.compile(
    r"\bwithdr(?:aws?|ew|awal|awing)\b(?:\s+of)?(?P<object>(?:\s+[\w\-]+){0,5}?\s+"
    r"(?P<kind>reservations?|declarations?|objections?|notifications?|observations?|statements?|understandings?))\b",
    re.I,
)
# "urges X to withdraw its reservation", "until the reservation is withdrawn": wishes, not acts.
_NOT_AN_ACT = re.compile(
    r"\b(?:not|unless|until|urges?|invites?|calls?|requests?|asks?|hopes?|encourages?|consider|considers|"
    r"can|may|could|would|should|might)\b[^.;]{0,40}\Z",
    re.I,
)
_KIND_OF_WORD = {
    "reservation": "reservation",
    "declaration": "declaration",
    "statement": "declaration",
    "understanding": "understanding",
    "objection": "objection",
    "observation": "objection",
    "notification": "notification",
}

# ---- articles --------------------------------------------------------------------------

# One article reference: "22", "35 (3)", "36 (2)(b)", "IX", "2.1", "16, paragraph 1 (a)(i)",
# "2 (Paragraph 3)". Roman numerals are upper case only, so "article in" is never one.
_NUMBER = r"\[?(?:\d{1,3}(?:\.\d{1,2})?(?!\d)(?:\s?(?:bis|ter|quater)\b)?|(?-i:[IVXL]{1,6})\b)\]?"
_PART = r"\s?\((?:paragraph\s+|para\.\s*)?[0-9]{1,2}\)|\s?\([a-z]{1,4}\)"
_REFERENCE = re.compile(
    rf"(?P<number>{_NUMBER})(?P<parts>(?:{_PART})*)"
    rf"(?P<paragraph>,?\s+(?:paragraph|para\.)\s+\d{{1,2}}(?:{_PART})*)?",
    re.I,
)
_CITATION = re.compile(r"\b(?:articles?(?:\[s\])?|arts?\.)\s*(?=\[?[\dIVXL])", re.I)
_SEPARATOR = re.compile(
    r"\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or|to|through)\s|\s?[-\u2013&]\s?)\s*(?:articles?\s+)?", re.I
)
_RANGE_WORDS = re.compile(r"\s*(?:to|through|-|\u2013)\s*", re.I)
_PARAGRAPH_BEFORE = re.compile(r"\bparagraphs?\s+(?P<paragraph>\d{1,2})(?P<parts>(?:" + _PART + r")*)\s+of\s+\Z", re.I)
_OF_WHAT = re.compile(r"\s*,?\s*of\s+(?:the\s+)?(?P<name>[^,;:.()\[\]\"“”]{0,80})", re.I)
_THEREOF = re.compile(r"\s*,?\s*thereof\b", re.I)
# The instrument a "thereof" points back to: the last one named before the citation.
_NAMED_BEFORE = re.compile(
    r"\b(?:the\s+)?(?P<name>(?:[A-Z][\w\-]*(?:\s+[\w\-]+){0,8}?\s+)?(?:Treaty|Convention|Protocol|Agreement|Covenant|"
    r"Charter|Constitution|Statute|Code|Act|Law)(?:\s+(?:on|of|for|against|establishing|relating\s+to)(?:\s+[\w\-]+){1,6})?)"
)
_NAME_STOP = re.compile(r"\s(?:which|that|made|upon|as|in|with|by|is|are|shall|and|or|to|from)\b.*\Z", re.I | re.S)
_THIS_INSTRUMENT = re.compile(
    r"(?:(?:this|present|said|above-?mentioned|aforementioned|same|optional|additional|second|"
    r"second optional|amended)\s+)*(?:convention|protocol|agreement|covenant|treaty|statute|amendments?|"
    r"annex(?:es)?|instrument|regulations|rules)s?",
    re.I,
)
#: A range wider than this is read as two articles, not expanded ("articles 1 to 300" is prose).
MAX_RANGE = 50


def heading_kinds(heading: str) -> set[str]:
    """The kinds a heading names: "Reservation and declaration:" gives both; a heading that
    answers another State's statement ("With regard to the reservation made by Qatar") is an objection."""
    if _ANSWER.search(heading):
        return {"objection"} | ({"withdrawal"} if withdraws(heading) else set())
    kinds = {kind for kind, pattern in _HEADING_WORDS if pattern.search(heading)}
    return kinds | ({"withdrawal"} if withdraws(heading) else set())


def prose_kinds(text: str) -> set[str]:
    """The kinds a State's own prose claims (used when no heading names one)."""
    kinds = {kind for kind, pattern in _PROSE_WORDS if pattern.search(text)}
    if _ANSWER.search(text):
        kinds.add("objection")
    return kinds


def withdraws(text: str) -> bool:
    """Whether the text withdraws a statement ("hereby withdraws its reservation", "Partial
    withdrawal of reservation"), rather than asking another State to."""
    return bool(withdrawn_kinds(text))


def withdrawn_kinds(text: str) -> set[str]:
    """The kinds of statement the text says are withdrawn."""
    kinds = set()
    for match in _WITHDRAWS.finditer(text):
        if _NOT_AN_ACT.search(text, max(0, match.start() - 60), match.start()):
            continue
        kinds.add(_KIND_OF_WORD[match["kind"].lower().rstrip("s")])
    return kinds


def withdrawal_start(text: str) -> int | None:
    """Where the first act of withdrawal begins in the text, or None."""
    for match in _WITHDRAWS.finditer(text):
        if not _NOT_AN_ACT.search(text, max(0, match.start() - 60), match.start()):
            return match.start()
    return None


def answered(text: str) -> list[tuple[str, str]]:
    """The statements the text answers, as (State as printed, kind): ("Qatar", "reservation").
    "The reservations made by the Governments of Belarus and Hungary" answers two States."""
    found = []
    for match in _ANSWER.finditer(text):
        name = _NAME_END.sub("", match["name"].strip())
        names = _AND.split(name) if match["several"] else [name]
        word = match["kind"].lower()
        kind = "declaration" if "declaration" in word else "reservation" if "reserv" in word else "statement"
        for name in names:
            if name and name not in _NOBODY and (name, kind) not in found:
                found.append((name, kind))
    return found


def ordered(kinds: set[str]) -> tuple[str, ...]:
    return tuple(kind for kind in KINDS if kind in kinds)


def cited_articles(text: str, *, title: str) -> list[str]:
    """The articles of this treaty the text cites, as printed but written compactly: "22",
    "35(3)" (also for "article 35, paragraph 3" and "paragraph 3 of article 35"), "IX".

    A list ("articles 17, 19, 22 and 23") gives each; a range ("articles 23 to 30") every article
    in it. A reference to another instrument ("article 19 of the Vienna Convention", "article 27
    of the Constitution") is left out; one to "the Convention", "the Protocol" or to an
    instrument the treaty's own `title` names is kept.
    """
    found: list[str] = []
    for citation in _CITATION.finditer(text):
        references, end = _read_list(text, citation.end())
        if not references or _names_another_instrument(text, end, title):
            continue
        before = _PARAGRAPH_BEFORE.search(text, max(0, citation.start() - 40), citation.start())
        if before and len(references) == 1:
            references = [references[0] + _compact(f"({before['paragraph']}){before['parts']}")]
        for reference in references:
            if reference not in found:
                found.append(reference)
    return found


def _read_list(text: str, position: int) -> tuple[list[str], int]:
    """The references of one citation starting at `position`, and where the citation ends."""
    references: list[str] = []
    end = position
    while True:
        match = _REFERENCE.match(text, position)
        if match is None:
            break
        reference = _canonical(match)
        separator = text[end : match.start()]
        if references and _RANGE_WORDS.fullmatch(separator) and reference.isdigit() and references[-1].isdigit():
            first, last = int(references[-1]), int(reference)
            if 0 < last - first <= MAX_RANGE:
                references += [str(number) for number in range(first + 1, last)]
        references.append(reference)
        end = match.end()
        following = _SEPARATOR.match(text, end)
        if following is None:
            break
        position = following.end()
    return references, end


def _canonical(match: re.Match[str]) -> str:
    reference = _compact(match["number"] + match["parts"])
    if match["paragraph"]:
        paragraph = re.sub(r"\A,?\s+(?:paragraph|para\.)\s+", "", match["paragraph"], flags=re.I)
        number, _, parts = paragraph.partition("(")
        reference += f"({number.strip()})" + _compact("(" + parts if parts else "")
    return reference


def _compact(reference: str) -> str:
    reference = reference.replace("[", "").replace("]", "")
    return "".join(re.sub(r"\((?:paragraph\s+|para\.\s*)", "(", reference, flags=re.I).split())


def _names_another_instrument(text: str, end: int, title: str) -> bool:
    if _THEREOF.match(text, end):
        # "Article 191 and Article 192(1) thereof": of the instrument named just before.
        named = list(_NAMED_BEFORE.finditer(text, max(0, end - 300), end))
        return bool(named) and _another(named[-1]["name"], title)
    match = _OF_WHAT.match(text, end)
    return match is not None and _another(match["name"], title)


def _another(name: str, title: str) -> bool:
    """Whether `name` ("Vienna Convention on the Law of Treaties", "Convention") is not this treaty."""
    name = _NAME_STOP.sub("", name).strip()
    if name.lower().startswith("the "):
        name = name[4:]
    if not name or _THIS_INSTRUMENT.fullmatch(name):
        return False
    # A protocol's title names its parent ("Second Optional Protocol to the International Covenant
    # on Civil and Political Rights"): the parent's articles are not the protocol's.
    own = re.split(r" (?:to|supplementing|amending) the ", title.lower())[0]
    name = " ".join(name.lower().split())
    return name not in own and own not in name
