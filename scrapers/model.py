"""Typed result of reading one UNTC status file: frozen dataclasses, no behaviour but JSON.

Everything here is plain data so that the Django side can compare a fresh parse with what it
stored without knowing anything about XML.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class ParseError(ValueError):
    """The input is not a complete, consistent UNTC status file; the message says why."""


class ActionKind(StrEnum):
    """What a dated cell of the participants table records, read from the column legend."""

    SIGNATURE = "signature"
    SUCCESSION_TO_SIGNATURE = "succession_to_signature"
    RATIFICATION = "ratification"
    ACCEPTANCE = "acceptance"
    APPROVAL = "approval"
    ACCESSION = "accession"
    SUCCESSION = "succession"
    DEFINITIVE_SIGNATURE = "definitive_signature"
    FORMAL_CONFIRMATION = "formal_confirmation"
    PROVISIONAL_APPLICATION = "provisional_application"
    PARTICIPATION = "participation"


#: Kinds that make a participant a *signatory*: UNTC's `Signatories` count is the number of
#: rows with a non-empty signature cell (untc-format.md §4.7), and a succession to a
#: signature (`d` in the Signature column) fills that cell too.
SIGNATURE_KINDS: frozenset[ActionKind] = frozenset({ActionKind.SIGNATURE, ActionKind.SUCCESSION_TO_SIGNATURE})

#: Kinds that express consent to be bound, i.e. make a participant a *party*.
#:
#: - ratification, acceptance, approval, accession: the four instruments of the Vienna
#:   Convention on the Law of Treaties, art. 11/14-16;
#: - succession (`d`): a successor State declares itself bound by its predecessor's consent;
#: - definitive signature (`s`): a signature not subject to ratification binds at once;
#: - formal confirmation (`c`): an international organisation's equivalent of ratification;
#: - participation (`p`/`P`): consent expressed through another instrument (e.g. the 1994
#:   UNCLOS Part XI Agreement, whose art. 4(1) makes a later UNCLOS ratification consent).
#:
#: Not included: signature and succession to signature (no consent to be bound yet) and
#: provisional application (`n`), which applies a treaty before consent and is not counted
#: among UNTC's Parties. Whether a consent *counts toward entry into force* is a separate,
#: treaty-specific rule (XVIII-16 art. 65(1) excludes the European Union's instrument) and
#: belongs to `ratification/rules.py`, not here.
CONSENT_KINDS: frozenset[ActionKind] = frozenset(
    {
        ActionKind.RATIFICATION,
        ActionKind.ACCEPTANCE,
        ActionKind.APPROVAL,
        ActionKind.ACCESSION,
        ActionKind.SUCCESSION,
        ActionKind.DEFINITIVE_SIGNATURE,
        ActionKind.FORMAL_CONFIRMATION,
        ActionKind.PARTICIPATION,
    }
)


def is_consent_to_be_bound(kind: ActionKind) -> bool:
    """Tell whether an action of this kind makes its participant a party (see CONSENT_KINDS)."""
    return kind in CONSENT_KINDS


@dataclass(frozen=True)
class ActionRecord:
    """One dated cell: what was done, when, with the raw marker ("" when the cell has none).

    `withdrawn` is true when UNTC printed the cell between square brackets, its way of
    showing a participant that has since withdrawn (untc-format.md §4.2).
    """

    kind: ActionKind
    date: datetime.date
    marker: str
    withdrawn: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": str(self.kind),
            "date": self.date.isoformat(),
            "marker": self.marker,
            "withdrawn": self.withdrawn,
        }


@dataclass(frozen=True)
class ParticipantRecord:
    """One row of the participants table, name without footnote markup."""

    name: str
    footnotes: tuple[int, ...]
    withdrawn: bool
    actions: tuple[ActionRecord, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "footnotes": list(self.footnotes),
            "withdrawn": self.withdrawn,
            "actions": [action.as_json() for action in self.actions],
        }

    def has_kind(self, kinds: frozenset[ActionKind]) -> bool:
        return any(action.kind in kinds for action in self.actions)


@dataclass(frozen=True)
class EndNote:
    """A numbered end note; participants refer to it through their footnote numbers."""

    index: int
    text: str

    def as_json(self) -> dict[str, Any]:
        return {"index": self.index, "text": self.text}


@dataclass(frozen=True)
class Declaration:
    """A declaration, reservation or objection made by one participant.

    `kind` is the section it comes from ("declaration" or "objection"); `text` keeps the
    section's sub-titles ("Reservation:", "Upon signature:") as lines of their own.
    """

    participant: str
    text: str
    kind: str = "declaration"

    def as_json(self) -> dict[str, Any]:
        return {"participant": self.participant, "kind": self.kind, "text": self.text}


@dataclass(frozen=True)
class TreatyHeader:
    """The header block of the status file; counts are None when the file does not give them."""

    mtdsg: str
    chapter: str
    chapter_name: str
    title: str
    conclusion: str
    conclusion_place: str
    conclusion_date: datetime.date | None
    eif_label: str
    eif_text: str
    registration: str
    declared_signatories: int | None
    declared_parties: int | None


@dataclass(frozen=True)
class TreatyStatus:
    """Everything `parse_status` read from one file, checked against the file's own counts."""

    header: TreatyHeader
    columns: tuple[str, ...]
    participants: tuple[ParticipantRecord, ...]
    end_notes: tuple[EndNote, ...] = ()
    declarations: tuple[Declaration, ...] = ()

    @property
    def counted_signatories(self) -> int:
        """Rows with a signature cell: what UNTC's `Signatories` figure counts."""
        return sum(p.has_kind(SIGNATURE_KINDS) for p in self.participants)

    @property
    def counted_parties(self) -> int:
        """Rows with a consent-to-be-bound cell: what UNTC's `Parties` figure counts."""
        return sum(p.has_kind(CONSENT_KINDS) for p in self.participants)

    def as_json(self) -> dict[str, Any]:
        """The command line's JSON: plain types only, dates as ISO 8601 strings."""
        header = self.header
        return {
            "mtdsg": header.mtdsg,
            "chapter": header.chapter,
            "chapter_name": header.chapter_name,
            "title": header.title,
            "conclusion": header.conclusion,
            "conclusion_place": header.conclusion_place,
            "conclusion_date": _iso(header.conclusion_date),
            "entry_into_force": {"label": header.eif_label, "text": header.eif_text},
            "registration": header.registration,
            "declared": {
                "signatories": header.declared_signatories,
                "parties": header.declared_parties,
            },
            "counted": {
                "signatories": self.counted_signatories,
                "parties": self.counted_parties,
            },
            "columns": list(self.columns),
            "participants": [participant.as_json() for participant in self.participants],
            "end_notes": [note.as_json() for note in self.end_notes],
            "declarations": [declaration.as_json() for declaration in self.declarations],
        }


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None
