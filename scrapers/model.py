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
    """What a dated cell of the participants table records, read from the column legend.

    One value per meaning, not per wording: "Accession to the Convention as amended by the
    Protocol(a)" is an accession, "Definitive acceptance" an acceptance. The words themselves
    are kept as each action's `label` (scrapers/legend.py classifies them).
    """

    # Signatures: they make a participant a *signatory*.
    SIGNATURE = "signature"
    SUCCESSION_TO_SIGNATURE = "succession_to_signature"
    SIGNATURE_AD_REFERENDUM = "signature_ad_referendum"
    CONFIRMATION_OF_SIGNATURE = "confirmation_of_signature"
    # Consents to be bound: they make a participant a *party*.
    RATIFICATION = "ratification"
    ACCEPTANCE = "acceptance"
    APPROVAL = "approval"
    ACCESSION = "accession"
    SUCCESSION = "succession"
    DEFINITIVE_SIGNATURE = "definitive_signature"
    FORMAL_CONFIRMATION = "formal_confirmation"
    PARTICIPATION = "participation"
    CONSENT_TO_BE_BOUND = "consent_to_be_bound"
    # Provisional application or acceptance: applied before (or without) consent.
    PROVISIONAL_APPLICATION = "provisional_application"
    PROVISIONAL_ACCEPTANCE = "provisional_acceptance"
    # Other notifications to the depositary: neither signatory nor party.
    APPLICATION = "application"
    EXTENSION = "extension"
    NOTIFICATION = "notification"


class ActionFamily(StrEnum):
    """What an action does to its participant's standing: the four families of ActionKind."""

    SIGNATURE = "signature"
    CONSENT = "consent"
    PROVISIONAL = "provisional"
    NOTIFICATION = "notification"


#: Kinds that make a participant a *signatory*: UNTC's `Signatories` count is the number of
#: rows with a non-empty, non-bracketed signature cell (docs/untc-format.md §4.7). A succession to
#: a signature (`d` in the Signature column) fills that cell too, and so does a signature ad
#: referendum, which its confirmation makes a full signature (VCLT art. 12(2)(b)).
SIGNATURE_KINDS: frozenset[ActionKind] = frozenset(
    {
        ActionKind.SIGNATURE,
        ActionKind.SUCCESSION_TO_SIGNATURE,
        ActionKind.SIGNATURE_AD_REFERENDUM,
        ActionKind.CONFIRMATION_OF_SIGNATURE,
    }
)

#: Kinds that express consent to be bound, i.e. make a participant a *party*.
#:
#: - ratification, acceptance, approval, accession: the four instruments of the Vienna
#:   Convention on the Law of Treaties, art. 11/14-16;
#: - succession (`d`): a successor State declares itself bound by its predecessor's consent;
#: - definitive signature (`s`): a signature not subject to ratification binds at once;
#: - formal confirmation (`c`): an international organisation's equivalent of ratification;
#: - participation (`p`/`P`): consent expressed through another instrument (e.g. the 1994
#:   UNCLOS Part XI Agreement, whose art. 4(1) makes a later UNCLOS ratification consent);
#: - consent to be bound (`P` in the CCW protocols), and the consent a legend names only as a
#:   family ("Definitive signature of the Protocol, Acceptance of the Protocol" with no marker
#:   to tell the two apart; the UNCLOS Agreement's "simplified procedure").
#:
#: Not included: signatures (no consent to be bound yet), provisional application or
#: acceptance, which applies a treaty before consent and is not among UNTC's Parties, and
#: other notifications. Whether a consent *counts toward entry into force* is a separate,
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
        ActionKind.CONSENT_TO_BE_BOUND,
    }
)

PROVISIONAL_KINDS: frozenset[ActionKind] = frozenset(
    {ActionKind.PROVISIONAL_APPLICATION, ActionKind.PROVISIONAL_ACCEPTANCE}
)

#: Notifications count toward nothing. A table may print several of them (XXI-6-a has a
#: provisional-application column and a "Notification of non-provisional application" one; a
#: treaty may have a notification under article 12 and another under article 15), so their
#: identity is their kind *and* their label (see ratification.models.Action).
NOTIFICATION_KINDS: frozenset[ActionKind] = frozenset(
    {ActionKind.APPLICATION, ActionKind.EXTENSION, ActionKind.NOTIFICATION}
)

FAMILY_KINDS: dict[ActionFamily, frozenset[ActionKind]] = {
    ActionFamily.SIGNATURE: SIGNATURE_KINDS,
    ActionFamily.CONSENT: CONSENT_KINDS,
    ActionFamily.PROVISIONAL: PROVISIONAL_KINDS,
    ActionFamily.NOTIFICATION: NOTIFICATION_KINDS,
}

#: The kind to record when a legend names several kinds of one family for the same (empty)
#: marker, so a date cannot say which of them it is.
FAMILY_GENERIC_KIND: dict[ActionFamily, ActionKind] = {
    ActionFamily.SIGNATURE: ActionKind.SIGNATURE,
    ActionFamily.CONSENT: ActionKind.CONSENT_TO_BE_BOUND,
    ActionFamily.PROVISIONAL: ActionKind.PROVISIONAL_APPLICATION,
    ActionFamily.NOTIFICATION: ActionKind.NOTIFICATION,
}

_FAMILY_OF: dict[str, ActionFamily] = {str(kind): family for family, kinds in FAMILY_KINDS.items() for kind in kinds}


def family_of(kind: str) -> ActionFamily:
    """The family of a kind (given as the enum or its string value)."""
    return _FAMILY_OF[str(kind)]


def party_kinds(table_kinds: frozenset[ActionKind]) -> frozenset[ActionKind]:
    """The kinds that make a row one of UNTC's Parties, given every kind a table's legends name.

    A consent to be bound wherever the table has a consent column. The annexes of the
    Convention on the Privileges and Immunities of the Specialized Agencies (III-2-*) have a
    single "Application" column and count its rows as Parties (III-2-18: 16 of 16): where no
    column records a consent, the act the table does record is what makes a party.
    """
    if table_kinds & CONSENT_KINDS:
        return CONSENT_KINDS
    return frozenset(kind for kind in table_kinds if kind not in SIGNATURE_KINDS)


def is_consent_to_be_bound(kind: ActionKind) -> bool:
    """Tell whether an action of this kind makes its participant a party (see CONSENT_KINDS)."""
    return kind in CONSENT_KINDS


@dataclass(frozen=True)
class ActionRecord:
    """One dated cell: what was done, when, with the raw marker ("" when the cell has none).

    `withdrawn` is true when UNTC printed the cell between square brackets, its way of
    showing a participant that has since withdrawn (docs/untc-format.md §4.2). `label` is the
    legend entry that explains the cell, as printed ("Accession to the Convention as amended
    by the Protocol"), or "" when the legend names none (an unmarked date in a column whose
    legend lists only marked kinds, read as a ratification).
    """

    kind: ActionKind
    date: datetime.date
    marker: str
    withdrawn: bool = False
    label: str = ""

    @property
    def family(self) -> ActionFamily:
        return family_of(self.kind)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": str(self.kind),
            "label": self.label,
            "date": self.date.isoformat(),
            "marker": self.marker,
            "withdrawn": self.withdrawn,
        }


@dataclass(frozen=True)
class ParticipantRecord:
    """One row of the participants table, name without footnote markup.

    `name` is NFC-normalised, with invisible and bidirectional-control characters removed;
    `printed_name` is the name as the file printed it (footnotes removed, nothing else), so
    a consumer can tell "France" from "Fr<U+200B>ance". `cells` are the row's cells as
    printed (whitespace folded), for showing a person the raw row. Neither is in the JSON.
    """

    name: str
    footnotes: tuple[int, ...]
    withdrawn: bool
    actions: tuple[ActionRecord, ...]
    printed_name: str = ""
    cells: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.printed_name:
            object.__setattr__(self, "printed_name", self.name)

    @property
    def name_was_cleaned(self) -> bool:
        """The printed name held characters that `name` leaves out (invisible, bidi controls)."""
        return self.printed_name != self.name

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "footnotes": list(self.footnotes),
            "withdrawn": self.withdrawn,
            "actions": [action.as_json() for action in self.actions],
        }

    def has_kind(self, kinds: frozenset[ActionKind]) -> bool:
        return any(action.kind in kinds for action in self.actions)

    def counts_as(self, kinds: frozenset[ActionKind]) -> bool:
        """Has a current (not bracketed) action of these kinds: what UNTC's figures count."""
        return any(action.kind in kinds and not action.withdrawn for action in self.actions)


@dataclass(frozen=True)
class EndNote:
    """A numbered end note; participants refer to it through their footnote numbers."""

    index: int
    text: str

    def as_json(self) -> dict[str, Any]:
        return {"index": self.index, "text": self.text}


@dataclass(frozen=True)
class Statement:
    """One element of a statement section: what one participant reserved, declared, objected to,
    notified or extended (docs/untc-format.md §3.5). Read by scrapers/statements.py.

    `section` is where the file prints it (`declarations`, `declarations_under_article`,
    `objections`, `notifications`, `territorial_applications`); `kinds` what its own headings and
    words say it is; `articles` the articles of the treaty it cites, compactly ("22", "35(3)");
    `date` the date it gives, if any; `text` its paragraphs, one per line (for a territorial
    application, the territories). Beyond the JSON: the participant's `footnotes`, the name as
    printed (invisible characters kept), and the statements of other States it `answers`
    ((name as printed, "reservation" | "declaration" | "statement"), for objections).
    """

    section: str
    participant: str
    kinds: tuple[str, ...]
    articles: tuple[str, ...]
    date: datetime.date | None
    text: str
    footnotes: tuple[int, ...] = ()
    printed_participant: str = ""
    answers: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not self.printed_participant:
            object.__setattr__(self, "printed_participant", self.participant)

    @property
    def name_was_cleaned(self) -> bool:
        return self.printed_participant != self.participant

    def as_json(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "participant": self.participant,
            "kinds": list(self.kinds),
            "articles": list(self.articles),
            "date": iso(self.date),
            "text": self.text,
        }


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
    #: The header's "Text" section: the depositary notifications that opened the treaty for
    #: signature and issued its certified copies (C.N. references, scrapers/notifications.py).
    text_section: str = ""


@dataclass(frozen=True)
class TreatyStatus:
    """Everything `parse_status` read from one file, checked against the file's own counts."""

    header: TreatyHeader
    columns: tuple[str, ...]
    participants: tuple[ParticipantRecord, ...]
    end_notes: tuple[EndNote, ...] = ()
    declarations: tuple[Statement, ...] = ()
    #: The statement sections the file has (an absent one says nothing about its statements).
    statement_sections: frozenset[str] = frozenset()
    #: Small disagreements between the rows and the file's own figures in a file that is
    #: otherwise complete (the UN's files are not always consistent): read, and for staff.
    discrepancies: tuple[str, ...] = ()
    #: What makes a row count among UNTC's Parties: a consent to be bound, or, in a table
    #: that has no consent column at all, its only kind of act (see party_kinds).
    party_kinds: frozenset[ActionKind] = CONSENT_KINDS
    #: Every kind the table's legends can record, whether or not a row uses it yet.
    kinds: frozenset[ActionKind] = frozenset()

    @property
    def counted_signatories(self) -> int:
        """Rows with a current signature cell: what UNTC's `Signatories` figure counts."""
        return sum(p.counts_as(SIGNATURE_KINDS) for p in self.participants)

    @property
    def counted_parties(self) -> int:
        """Rows with a current consent-to-be-bound cell: what UNTC's `Parties` figure counts."""
        return sum(p.counts_as(self.party_kinds) for p in self.participants)

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
            "conclusion_date": iso(header.conclusion_date),
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


def iso(value: Any) -> Any:
    """A date or time as ISO 8601 text (JSON has no date type); any other value, None included, as it is."""
    return value.isoformat() if isinstance(value, datetime.date) else value
