"""Column legends of the participants table, read by what they mean rather than from a list.

A column header is a legend: comma-separated entries, each a label with an optional marker,
e.g. `Ratification, Acceptance(A), Approval(AA), Accession(a)`. The UN words its labels
freely across some 400 treaties ("Definitive acceptance", "Accession to the Convention as
amended by the Protocol(a)", "Acceptance ipso facto by virtue of article 10 (1) of the
Convention of 12 September 1923, as amended(A)", "Signature ad referendum (s)", "Undertaking of
acceptance", "Notification of provisional application"), so a label is classified by the first
action its words name, wherever it stands: the head noun phrase ("accession", "definitive
signature", "provisional application", "notification"), whatever comes before it ("Undertaking
of ...") or qualifies it after ("of the Protocol", "to the Convention as amended", "under
article 21 (1)", "by virtue of ..."). A notification *of* an action is that action. Words that
undo or oppose an action ("Withdrawal of ratification", "Objection to accession") record
nothing this parser knows, and neither does a label that names no action: either refuses the
file, naming the label. A new UN format must reach staff, never the public.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from scrapers.model import (
    FAMILY_GENERIC_KIND,
    ActionFamily,
    ActionKind,
    ParseError,
    family_of,
)
from scrapers.xmlsafe import squash

#: Longest legend entry stored as a label (the longest in the 2018 dump has 190 characters).
MAX_LABEL_LENGTH = 300

# Head phrases, tried in order (more specific first) at each word of the lower-cased label. "notification
# of succession" is a succession before it is a notification; "confirmation of signature" (ad
# referendum) completes a signature and is not the "formal confirmation" (`c`) by which an
# organisation consents to be bound.
_HEADS: tuple[tuple[str, ActionKind], ...] = (
    (r"(?:notification|declaration|instrument) of succession", ActionKind.SUCCESSION),
    (r"(?:notification|notice|declaration|communication)", ActionKind.NOTIFICATION),
    (r"provisional (?:application|applied)", ActionKind.PROVISIONAL_APPLICATION),
    (r"provisional (?:acceptance|accession|approval|ratification|consent)", ActionKind.PROVISIONAL_ACCEPTANCE),
    (r"confirmation of (?:the |a |its )?signature", ActionKind.CONFIRMATION_OF_SIGNATURE),
    (r"signature ad referendum", ActionKind.SIGNATURE_AD_REFERENDUM),
    (r"succession to (?:the |a |its )?signature", ActionKind.SUCCESSION_TO_SIGNATURE),
    (r"definitive signature", ActionKind.DEFINITIVE_SIGNATURE),
    (r"signature", ActionKind.SIGNATURE),
    (r"formal confirmation", ActionKind.FORMAL_CONFIRMATION),
    (r"ratification", ActionKind.RATIFICATION),
    (r"(?:definitive )?acceptance", ActionKind.ACCEPTANCE),
    (r"approval", ActionKind.APPROVAL),
    (r"accession", ActionKind.ACCESSION),
    (r"succession", ActionKind.SUCCESSION),
    (r"participation", ActionKind.PARTICIPATION),
    (r"consent to be bound", ActionKind.CONSENT_TO_BE_BOUND),
    # The 1994 UNCLOS Part XI Agreement (XXI-6-a), art. 5: consent established by the
    # simplified procedure.
    (r"simplified procedure", ActionKind.CONSENT_TO_BE_BOUND),
    (r"(?:territorial )?application", ActionKind.APPLICATION),
    (r"(?:territorial )?extension", ActionKind.EXTENSION),
)
# A plural ("Ratifications") names the same action; a head starts at a word ("non-provisional
# application" is no provisional application).
_HEAD = re.compile(
    r"(?<![\w-])(?:" + "|".join(rf"(?P<k{index}>{pattern})s?\b" for index, (pattern, _kind) in enumerate(_HEADS)) + ")"
)
# A notification (notice, declaration, communication) *of* an action is that action: "Notification
# of acceptance" records an acceptance. Of anything else ("of non-provisional application under
# article 7 (1) (b)") it stays a notification.
_OF = re.compile(r"\s+of\s+(?:the\s+|a\s+|an\s+|its\s+)?")
# Words before an action that undo or oppose it: "Withdrawal of ratification" is no ratification.
_UNDOING = re.compile(
    r"\b(?:withdraw\w*|denunciation\w*|denounc\w*|objection\w*|reservation\w*|terminat\w*|suspen\w*|"
    r"revocation\w*|revok\w*|reject\w*|refus\w*|cancel\w*|non)\b"
)

# A marker closes an entry: `Acceptance(A)`, `... (3)(P)`, `Signature ad referendum (s)`. A
# parenthesised letter after a space that follows a number or another parenthesis is part of
# an article reference (`Notification ... under article 7 (1) (b)`), not a marker.
_MARKER = re.compile(r"(?P<space>\s*)\(\s*(?P<marker>[A-Za-z]{1,3})\s*\)\s*\Z")
_REFERENCE_BEFORE = re.compile(r"[\d)]\Z")
# Footnote-like marks a legend may carry after its words ("Ratification*").
_TRAILING_MARKS = re.compile(r"[\s*\u2020\u2021\u00a7\u00b9\u00b2\u00b3\u2070-\u2079]+\Z")

#: UNTC's succession marker: a "Notification in respect of the Agreement as amended(d)" is
#: a notification of succession (VI-9), counted among the Parties.
_SUCCESSION_MARKER = "d"


@dataclass(frozen=True)
class LegendEntry:
    """What a marker ("" for none) means in one column: the kind and the legend's words."""

    kind: ActionKind
    label: str


def legend_items(header: str) -> list[tuple[str, str]]:
    """Split a legend into (label, marker) pairs, keeping commas that belong to a label.

    Entries start with a capital letter; a comma followed by a lower-case word or a number
    continues the entry ("... by virtue of ratification, accession or succession to ...",
    "... of 12 September 1923, as amended(A)").
    """
    entries: list[str] = []
    for fragment in header.split(","):
        text = fragment.strip()
        if entries and (not text or not text[0].isupper()):
            entries[-1] = f"{entries[-1]},{fragment}"
        else:
            entries.append(text)
    items = []
    for entry in entries:
        entry = squash(entry)
        match = _MARKER.search(entry)
        if match and not (match["space"] and _REFERENCE_BEFORE.search(entry[: match.start()])):
            items.append((entry[: match.start()].rstrip(), match["marker"]))
        else:
            items.append((entry, ""))
    return items


def classify(label: str, marker: str = "") -> ActionKind | None:
    """The kind a legend label records: the first action its words name, wherever it stands;
    None if it names none, or if words before it undo or oppose it."""
    words = _TRAILING_MARKS.sub("", squash(label).lower().replace("/", " / "))
    match = _HEAD.search(words)
    if match is None or _UNDOING.search(words[: match.start()]):
        return None
    kind = _kind_of(match)
    if kind is ActionKind.NOTIFICATION:
        of = _OF.match(words, match.end())
        inner = _HEAD.match(words, of.end()) if of else None
        if inner is not None and _kind_of(inner) is not ActionKind.NOTIFICATION:
            return _kind_of(inner)
        if marker == _SUCCESSION_MARKER:
            return ActionKind.SUCCESSION
    return kind


def _kind_of(match: re.Match) -> ActionKind:
    return _HEADS[int(match.lastgroup[1:])][1]


def read_legend(header: str) -> Mapping[str, LegendEntry]:
    """Map each marker of a column header to what it records; refuse what cannot be told."""
    if not header:
        raise ParseError("a participants-table column has an empty header")
    found: dict[str, list[LegendEntry]] = {}
    for label, marker in legend_items(header):
        if not label:
            raise ParseError(f"column {header!r}: an entry of its legend has no words")
        if len(label) > MAX_LABEL_LENGTH:
            raise ParseError(
                f"column {header[:80]!r}...: a legend entry has {len(label)} characters, over the "
                f"{MAX_LABEL_LENGTH}-character limit"
            )
        kind = classify(label, marker)
        if kind is None:
            raise ParseError(
                f"column {header!r}: cannot tell what {label!r} records (not a signature, a consent to be "
                "bound, a provisional application or a notification)"
            )
        found.setdefault(marker, []).append(LegendEntry(kind, label))
    legend = {marker: _one_entry(header, marker, entries) for marker, entries in found.items()}
    families = {family_of(entry.kind) for entry in legend.values()}
    kinds = {entry.kind for entry in legend.values()}
    if "" not in legend and len(kinds) == 1:
        # A column whose legend names a single kind ("Provisional application(n)", "Accession(a)")
        # records that kind on every date: an unmarked one too.
        only = next(iter(legend.values()))
        legend[""] = LegendEntry(only.kind, only.label)
    if families == {ActionFamily.SIGNATURE}:
        # In a column headed "Signature", `d` is a succession to signature even when the
        # header does not spell out "Succession to signature(d)".
        legend.setdefault("d", LegendEntry(ActionKind.SUCCESSION_TO_SIGNATURE, ""))
    elif ActionFamily.CONSENT in families:
        # An unmarked date in a column of several consents is a ratification.
        legend.setdefault("", LegendEntry(ActionKind.RATIFICATION, ""))
    return legend


def _one_entry(header: str, marker: str, entries: list[LegendEntry]) -> LegendEntry:
    """One meaning per marker. Several entries for one marker (often the unmarked one:
    "Definitive signature of the Protocol, Acceptance of the Protocol") are alternatives a
    date cannot choose between: the same kind stays that kind, kinds of one family become
    the family's generic kind, and kinds of different families cannot be read."""
    label = " / ".join(entry.label for entry in entries)
    kinds = {entry.kind for entry in entries}
    if len(kinds) == 1:
        return LegendEntry(entries[0].kind, label)
    families = {family_of(kind) for kind in kinds}
    if len(families) > 1:
        shown = f"marker {marker!r}" if marker else "an unmarked date"
        raise ParseError(
            f"column {header!r}: {shown} may be any of {label!r}, which record different things "
            "(a signature and a consent to be bound?): cannot tell which"
        )
    return LegendEntry(FAMILY_GENERIC_KIND[families.pop()], label)
