"""Read the entry-into-force clause a UNTC status file quotes into a proposed rule, or say why not.

Pure: text in, frozen dataclasses out. The header's `EIF/Labeltext` (docs/untc-format.md,
"The entry-into-force clause") holds one of:

- for a treaty in force, the date and the article: "23 December 2010, in accordance with
  article 39(1)", sometimes followed by the article itself ("... which reads as follows: "...");
- for a treaty not in force, the article, usually quoted: "in accordance with article 65(1)
  which reads as follows: "This Convention shall enter into force on the ninetieth day after
  the date of deposit of the fortieth instrument ...".

`read_clause(label, text)` returns the declared date (a treaty in force), the article cited, and
a `ProposedRule` when the quoted words are a count of instruments plus a delay: "the ninetieth
day after/following the deposit of the fortieth instrument", "thirty days after twenty-two
instruments ... have been deposited", "six months after ... the third instrument", "the first
day of the month following the expiration of one year from ... the fifth instrument", with the
regional-organisation sentence ("shall not be counted as additional to those deposited by
member States") and the later-party paragraph ("For each State ... on the thirtieth day after
... its own instrument"). Anything else (a share of emissions or tonnage, a fraction of the
parties, a named group of States, further conditions, no quoted clause at all) is not guessed
at: the result says "no rule proposed" and why, for staff to set the rule by hand.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from scrapers.dates import long_dates

IN_FORCE_LABEL = "entry into force"

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_ORDINAL_UNITS = (
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
).split()
_ORDINAL_TENS = {
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "eightieth": 80,
    "ninetieth": 90,
    # UNTC's own spelling mistake (XVIII-13, article 35(2)): read as what it plainly means.
    "thirthieth": 30,
}
CARDINAL_WORDS: dict[str, int] = {
    **{word: value for value, word in enumerate(_UNITS)},
    **_TENS,
    "hundred": 100,
    "one hundred": 100,
}
ORDINAL_WORDS: dict[str, int] = {
    **{word: value for value, word in enumerate(_ORDINAL_UNITS)},
    **_ORDINAL_TENS,
    "hundredth": 100,
}
# Longest first, so "ninetieth" is not read as "nine"; "and" only inside a number.
_NUMBER_WORD = "|".join(sorted({*CARDINAL_WORDS, *ORDINAL_WORDS}, key=len, reverse=True))
# "fortieth", "twenty-second", "one hundred and fortieth", "ninety (90)", "40".
_NUMBER = rf"(?:\d+|\b(?:{_NUMBER_WORD})(?:[ -](?:and[ -])?(?:{_NUMBER_WORD}))*)\b(?: \(\d+\))?"


def number_value(words: str) -> int | None:
    """The value of a number written in words or digits, cardinal or ordinal ("twenty-second": 22,
    "ninety (90)": 90, "one hundred and fortieth": 140), or None if it is not one."""
    words = re.sub(r" \(\d+\)$", "", words.strip().lower())
    if words.isdigit():
        return int(words)
    total = 0
    for word in re.split(r"[ -]+", words):
        if word == "and":
            continue
        if word in ("hundred", "hundredth"):
            total = max(total, 1) * 100
            continue
        value = CARDINAL_WORDS.get(word, ORDINAL_WORDS.get(word))
        if value is None:
            return None
        total += value
    return total or None


@dataclass(frozen=True)
class ProposedRule:
    """The rule read from the clause: the N-th counted instrument, then a delay.

    `kind` is "count" (N-th instrument + days and/or months) or "month_following" (the first
    day of the month following the expiry of `delay_months` months after the N-th instrument).
    `later_party_delay_days`/`_months` are None when the quoted clause does not say when the
    treaty enters into force for a later party.
    """

    kind: str
    threshold: int
    delay_days: int
    delay_months: int
    reio_counts: bool
    later_party_delay_days: int | None
    later_party_delay_months: int | None
    notes: tuple[str, ...] = ()

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "threshold": self.threshold,
            "delay_days": self.delay_days,
            "delay_months": self.delay_months,
            "reio_counts": self.reio_counts,
            "later_party_delay_days": self.later_party_delay_days,
            "later_party_delay_months": self.later_party_delay_months,
        }


@dataclass(frozen=True)
class ClauseReading:
    """What the header says about entry into force, and the rule proposed from it (or why none)."""

    in_force: bool
    declared_on: datetime.date | None
    article: str
    quoted: str
    rule: ProposedRule | None
    reason: str


_ARTICLE = re.compile(
    r"\b(?:article|paragraph)\s+(?P<number>\d+|[IVXLC]+)(?P<parts>(?:\s?\((?:\d+|[a-z])\))*)",
    re.IGNORECASE,
)
_FORCE = re.compile(r"(?:enters?|come|comes) into force", re.IGNORECASE)
_READS_AS_FOLLOWS = re.compile(r"(?:reads? as follows|stipulates)\s*[:.]?\s*", re.IGNORECASE)


def article_reference(text: str) -> str:
    """The article the header cites: "article 65(1)", "article VII(1)", "article 5(1)" ("" if none)."""
    match = _ARTICLE.search(text)
    if match is None:
        return ""
    kind = match.group(0).split()[0].lower()
    parts = re.sub(r"\s", "", match["parts"])
    return f"{kind} {match['number']}{parts}"


@dataclass(frozen=True)
class DeclaredDates:
    """The entry-into-force dates UNTC states for a treaty in force: the definitive one, and the
    provisional one where it states one ("provisionally on 1 October 1994 and definitively on 19
    May 1995"). Either may be None: a commodity agreement may only ever be provisionally in force."""

    provisional: datetime.date | None = None
    definitive: datetime.date | None = None


_DATE_WORDS = r"(\d{1,2} [A-Z][a-z]+ \d{4})"


def declared_dates(label: str, text: str) -> DeclaredDates:
    """What UNTC declares, read from the statement before any quoted clause (a clause may say
    "shall enter into force definitively on 1 October 2001 if ...": a condition, not a date).
    Nothing when the label is not "Entry into force"."""
    if label.strip().lower() != IN_FORCE_LABEL:
        return DeclaredDates()
    text = " ".join(text.split())
    statement = re.split(r'["\u201c]|\breads? as follows', text, maxsplit=1)[0]

    def found(pattern: str) -> datetime.date | None:
        match = re.search(pattern, statement)
        dates = long_dates(match[1]) if match else []
        return dates[0] if dates else None

    definitive = found(rf"definitively on {_DATE_WORDS}") or found(rf"^{_DATE_WORDS}")
    return DeclaredDates(provisional=found(rf"\bprovisionally on {_DATE_WORDS}"), definitive=definitive)


def declared_date(label: str, text: str) -> datetime.date | None:
    """The definitive entry-into-force date UNTC states for a treaty in force ("23 December 2010,
    in accordance with article 39(1)"; "provisionally on ... and definitively on 28 July 1996");
    None when it states none (not in force, or only provisionally)."""
    return declared_dates(label, text).definitive


def _normalised(text: str) -> str:
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
    return " ".join(text.split())


def quoted_clause(text: str) -> str:
    """The article's own words, when the header quotes or paraphrases them (else "")."""
    text = _normalised(text)
    if not _FORCE.search(text):
        return ""
    follows = _READS_AS_FOLLOWS.search(text)
    if follows is not None:
        text = text[follows.end() :]
    else:
        opening = text.find('"')
        if opening >= 0 and _FORCE.search(text[opening:]):
            text = text[opening:]
    return text.strip().strip('".').strip()


# Conditions that are not "N instruments + a delay", checked in this order; the reason says which.
_NOT_A_COUNT = (
    (
        re.compile(r"per ?cent|percent|%|tonnage|\bvotes\b", re.IGNORECASE),
        "the condition is a share of a weight (emissions, tonnage, trade or votes), not a count of "
        "instruments: set a weight rule by hand with the table of weights",
    ),
    (
        re.compile(r"two[- ]thirds|three[- ]fourths|three[- ]quarters|one[- ]third|majority of", re.IGNORECASE),
        "the condition is a fraction of the parties, not a fixed number of instruments",
    ),
    (
        re.compile(r"[Ll]isted in [Aa]nnex|[Aa]ll States listed|\b[A-Z]{3,}\b member States"),
        "the condition names a group of participants: set a group rule by hand",
    ),
    (
        re.compile(r"provided that|\bif by\b|provisionally|definitively|exchange of", re.IGNORECASE),
        "the clause sets further conditions that a count of instruments cannot express",
    ),
)
_REIO_NOT_COUNTED = re.compile(
    r"shall not be counted as additional to (?:those|the instruments) deposited by "
    r"(?:its |the )?(?:member states|states members)",
    re.IGNORECASE,
)
_LATER_PARTY = re.compile(
    r"for each (?:state|party|member|signatory|contracting|regional|international)|thereafter|for any other party",
    re.IGNORECASE,
)
_MONTH_FOLLOWING = re.compile(
    rf"first day of the month following the expir\w* of (?:a period of )?(?P<n>{_NUMBER}) (?P<unit>months?|years?)",
    re.IGNORECASE,
)
_ORDINAL_DAY = re.compile(rf"on the (?P<n>{_NUMBER}) day (?:after|following)", re.IGNORECASE)
_PERIOD = re.compile(rf"(?P<n>{_NUMBER}) (?P<unit>days?|months?|years?) (?:after|following|from)", re.IGNORECASE)
_NTH_INSTRUMENT = re.compile(rf"the (?P<n>{_NUMBER}) instrument", re.IGNORECASE)
_N_INSTRUMENTS = re.compile(rf"(?P<n>{_NUMBER}) instruments", re.IGNORECASE)


@dataclass(frozen=True)
class _Delay:
    days: int
    months: int
    month_following: bool


def _delay(sentence: str) -> _Delay | None:
    """The delay a sentence sets: "on the ninetieth day after", "six months after", "the first
    day of the month following the expiration of one year from"."""
    found = _MONTH_FOLLOWING.search(sentence)
    if found:
        value = number_value(found["n"])
        if value is None:
            return None
        months = value * 12 if found["unit"].lower().startswith("year") else value
        return _Delay(days=0, months=months, month_following=True)
    found = _ORDINAL_DAY.search(sentence)
    if found:
        value = number_value(found["n"])
        return _Delay(days=value, months=0, month_following=False) if value else None
    found = _PERIOD.search(sentence)
    if found:
        value = number_value(found["n"])
        if value is None:
            return None
        unit = found["unit"].lower()
        if unit.startswith("day"):
            return _Delay(days=value, months=0, month_following=False)
        return _Delay(days=0, months=value * 12 if unit.startswith("year") else value, month_following=False)
    return None


def _threshold(sentence: str) -> int | None:
    for pattern in (_NTH_INSTRUMENT, _N_INSTRUMENTS):
        found = pattern.search(sentence)
        if found:
            return number_value(found["n"])
    return None


def _sentences(quoted: str) -> list[str]:
    # Paragraph numbers ("1.", "(2)") and full stops end a sentence; "art. 5" does not occur.
    parts = re.split(r"(?<=[.;])\s+(?=\(?\d+[.)]?\s|[A-Z])", quoted)
    return [part.strip() for part in parts if part.strip()]


def propose_rule(quoted: str) -> tuple[ProposedRule | None, str]:
    """The rule the quoted clause states, with a reason; (None, why) when it states another kind."""
    if not quoted:
        return None, "UNTC quotes no entry-into-force clause in this file"
    sentences = _sentences(quoted)
    general = next((s for s in sentences if _FORCE.search(s) and not _LATER_PARTY.search(s[:80])), None)
    if general is None:
        return None, "the quoted clause has no general entry-into-force sentence (it speaks of each party only)"
    for pattern, why in _NOT_A_COUNT:
        if pattern.search(general):
            return None, why
    delay = _delay(general)
    threshold = _threshold(general)
    if delay is None or threshold is None:
        return None, "the general sentence is not a number of instruments and a delay the reader knows"
    notes = []
    if re.search(r"not enter into force before|not before", general, re.IGNORECASE):
        notes.append("the clause also waits for another treaty to be in force, which the rule does not check")
    reio_counts = _REIO_NOT_COUNTED.search(quoted) is None
    later = next((s for s in sentences if s is not general and _LATER_PARTY.search(s) and _FORCE.search(s)), None)
    later_delay = _delay(later) if later else None
    if later_delay is None:
        notes.append("the quoted clause does not say when it enters into force for a later party")
    rule = ProposedRule(
        kind="month_following" if delay.month_following else "count",
        threshold=threshold,
        delay_days=delay.days,
        delay_months=delay.months,
        reio_counts=reio_counts,
        later_party_delay_days=later_delay.days if later_delay else None,
        later_party_delay_months=later_delay.months if later_delay else None,
        notes=tuple(notes),
    )
    return rule, "; ".join(("read from the quoted clause", *notes))


def read_clause(label: str, text: str) -> ClauseReading:
    """Everything the header's entry-into-force block says: declared date, article, rule."""
    label, text = _normalised(label), _normalised(text)
    in_force = label.lower() == IN_FORCE_LABEL
    quoted = quoted_clause(text)
    if not label and not text:
        rule, reason = None, "the file states nothing about entry into force"
    else:
        rule, reason = propose_rule(quoted)
    article = article_reference(text)
    if rule is not None and article:
        reason = reason.replace("read from the quoted clause", f"proposed from {article}", 1)
    return ClauseReading(
        in_force=in_force,
        declared_on=declared_date(label, text),
        article=article,
        quoted=quoted,
        rule=rule,
        reason=reason,
    )
