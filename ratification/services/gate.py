"""The gate: what of a parsed file may be published now, and what is held for staff first.

A file that passes validation is still read row by row by people and machines that may err,
and what a poll publishes is counted toward entry into force and mailed at once. So before
a new or changed row is published, counted or announced, it is checked:

- its name is one identity's (services/identities.py: a stored participant or alias, or the
  registry's, spelling aside): a name of no one ("Testland"), of several, or one that only
  looks like a known one ("Fr<U+200B>ance", "Gh<U+0430>na" with a Cyrillic "a", "Côte d'Ivoire"
  mis-decoded to mojibake) is a surprise; so are two rows of one identity (both wait);
- after the first read (the baseline), the identity may act: a State existing on the action's
  date, or a REIO where the treaty admits one (an organisation, a territory or a former State
  new to the treaty waits, with the reason);
- its dates fall between the treaty's stored adoption date and today (a day of tolerance
  each way, for time zones), a signature within the signature period; its kind is one the
  treaty was tracked with;
- it does not lower a count: a stored action now bracketed (withdrawn) waits for staff.

A surprise is held: nothing of it reaches the pages, counts, feed, API or alerts until staff
accept it, map it to a participant, or reject it (services/held_rows.py). Everything else in
the same file goes ahead: one odd row never holds back a real ratification.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from ratification.models import Action, Participant, Treaty
from ratification.names import mojibake_of
from ratification.services.identities import UNKNOWN, NameResolution, identity_eligibility
from scrapers.model import NOTIFICATION_KINDS, ActionKind, ActionRecord, ParticipantRecord
from scrapers.xmlsafe import visible

#: Time zones: a deposit made today in New York may be dated tomorrow elsewhere.
TOLERANCE = datetime.timedelta(days=1)
#: Signatures checked against the signature period (a succession to a signature, or its
#: confirmation, may come later).
_SIGNATURES = frozenset({ActionKind.SIGNATURE, ActionKind.SIGNATURE_AD_REFERENDUM})


def action_key(participant: int | str, kind: str, label: str = "") -> tuple[int | str, str, str]:
    """What identifies a stored action (see Action's constraints): its participant (id or code),
    its kind, and for a notification its label too."""
    return (participant, str(kind), label if kind in NOTIFICATION_KINDS else "")


@dataclass
class HeldRow:
    """A row, or some of its actions, kept back for staff, and why."""

    record: ParticipantRecord
    actions: list[ActionRecord]
    reasons: list[str]
    #: Who the row is, when its name says so (a date surprise, or invisible characters in a
    #: known name); None for a name nobody goes by.
    participant: Participant | None = None
    #: Who it may be: the participant a mis-decoded or renamed-looking name resembles.
    resembles: Participant | None = None
    #: Stored actions whose new date or brackets are what is held: kind -> action.
    corrects: dict[str, Action] = field(default_factory=dict)
    #: The identity's code when the name is one identity's (it may not be stored yet).
    identity: str = ""
    #: Its place among the file's rows (what the public diff of the file leaves out).
    row: int = 0

    def actions_data(self) -> list[dict]:
        return [
            {
                "kind": str(a.kind),
                "date": a.date.isoformat(),
                "marker": a.marker,
                "label": a.label,
                "withdrawn": a.withdrawn,
            }
            for a in self.actions
        ]

    def description(self) -> str:
        what = "; ".join(f"{a.kind.replace('_', ' ')} {a.date.isoformat()}" for a in self.actions)
        return (
            f"Held: {visible(self.record.printed_name)} ({what}): {'; '.join(self.reasons)}. Nothing of it is "
            "published, counted or announced until staff accept it, map it to a participant, or reject it."
        )

    def as_data(self, *, baseline: bool) -> dict:
        """What the review item keeps: the row as printed (invisible characters spelt out, never
        stored as such), why, and what accepting it would record. The fingerprint (name as
        printed, kinds, dates) tells a later poll showing the same row that it was raised."""
        actions = self.actions_data()
        printed = visible(self.record.printed_name)
        return {
            "fingerprint": digest([printed, sorted(actions, key=lambda a: (a["kind"], a["label"]))]),
            "name": self.record.name,
            "printed_name": printed,
            "raw_row": " | ".join(" ".join(visible(cell).split()) for cell in self.record.cells),
            "reasons": self.reasons,
            "actions": actions,
            "footnotes": list(self.record.footnotes),
            "resembles": self.resembles.pk if self.resembles else None,
            "corrects": {kind: action.pk for kind, action in self.corrects.items()},
            "identity": self.identity,
            "baseline": baseline,
        }


def digest(value) -> str:
    """A short, stable fingerprint of JSON-able data."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=True).encode()).hexdigest()[:32]


@dataclass
class Gated:
    """The file, split: rows that go ahead, and rows held."""

    records: list[ParticipantRecord] = field(default_factory=list)
    held: list[HeldRow] = field(default_factory=list)
    #: Stored actions the held rows stand for (keyed by participant code): not "gone from the
    #: file" while they wait.
    covered: set[tuple[str, str, str]] = field(default_factory=set)


class _Gate:
    def __init__(self, treaty: Treaty, stored: list[Action], today: datetime.date, *, baseline: bool) -> None:
        # The treaty's own facts, fixed when it was first tracked (services/treaty_facts.py):
        # never what the file at hand claims.
        self.treaty = treaty
        self.adopted = treaty.adoption_date
        self.kinds = frozenset(treaty.action_kinds or ())
        self.deadline = treaty.signature_deadline
        self.today = today
        self.baseline = baseline
        self.stored = {action_key(a.participant.code, a.kind, a.label): a for a in stored}
        self.in_treaty = {a.participant.code for a in stored}
        self.gated = Gated()

    def date_surprise(self, action: ActionRecord) -> str | None:
        what = f"its {action.kind.replace('_', ' ')} is dated {action.date:%d %b %Y}"
        # The first read takes an old file's history as the UN printed it (VI-18 lists
        # participations dated by an older instrument); afterwards every kind is checked alike.
        if self.adopted and action.date < self.adopted - TOLERANCE and not self.baseline:
            return f"{what}, before the treaty was adopted ({self.adopted})"
        if action.date > self.today + TOLERANCE:
            return f"{what}, in the future"
        if action.kind in _SIGNATURES and self.deadline and action.date > self.deadline + TOLERANCE:
            return f"{what}, after the treaty closed for signature ({self.deadline})"
        return None

    def kind_surprise(self, action: ActionRecord) -> str | None:
        if self.baseline or str(action.kind) in self.kinds:
            return None
        return (
            f"the file records a {action.kind.replace('_', ' ')} ({action.label or action.marker or 'unlabelled'}), "
            f"a kind of action {self.treaty.mtdsg} was not tracked with"
        )

    def action_surprises(self, action: ActionRecord, stored: Action | None, resolution: NameResolution) -> list[str]:
        """Why a new or changed action of a known identity waits for staff (empty: it goes ahead)."""
        reasons = []
        if stored is not None and action.withdrawn and not stored.withdrawn and not self.baseline:
            reasons.append(
                f"its {stored.kind.replace('_', ' ')} of {stored.date:%d %b %Y} is now in brackets (withdrawn): "
                "a change that lowers a count waits for staff to confirm it"
            )
        if stored is not None and stored.date == action.date:
            return reasons
        reasons += filter(None, [self.date_surprise(action), None if stored else self.kind_surprise(action)])
        if not self.baseline:
            new = resolution.code not in self.in_treaty
            eligibility = identity_eligibility(
                resolution=resolution, treaty=self.treaty, on=action.date, new_to_treaty=new and stored is None
            )
            reasons += [eligibility] if eligibility else []
        return reasons

    def known_row(self, index: int, record: ParticipantRecord, resolution: NameResolution) -> None:
        """A name of one identity: hold only the actions that may not be published as they are."""
        kept, held, reasons, corrects = [], [], [], {}
        for action in record.actions:
            key = action_key(resolution.code, action.kind, action.label)
            stored = self.stored.get(key)
            found = [] if stored is not None and stored.locked else self.action_surprises(action, stored, resolution)
            if not found:
                kept.append(action)
                continue
            held.append(action)
            reasons += [reason for reason in found if reason not in reasons]
            if stored is not None:
                corrects[str(action.kind)] = stored
                self.gated.covered.add(key)
        if held:
            self._hold(index, record, held, reasons, resolution, corrects=corrects)
            record = _with_actions(record, kept)
        if record.actions or not held:
            self.gated.records.append(record)

    def duplicates(self, rows: list[tuple[int, ParticipantRecord]], resolution: NameResolution) -> None:
        """Two rows of one identity: neither may change a count, a date or a participant."""
        printed = " and ".join(repr(visible(record.printed_name)) for _index, record in rows)
        reason = (
            f"{len(rows)} rows of the file name {resolution.display_name}: {printed}; "
            "none of them is published until staff decide which is right"
        )
        self.gated.covered.update(key for key in self.stored if key[0] == resolution.code)
        for index, record in rows:
            corrects = {}
            for action in record.actions:
                stored = self.stored.get(action_key(resolution.code, action.kind, action.label))
                if stored is not None and not stored.locked and stored.date != action.date:
                    corrects[str(action.kind)] = stored
            self._hold(index, record, list(record.actions), [reason], resolution, corrects=corrects)

    def _hold(self, index, record, actions, reasons, resolution: NameResolution, *, corrects=None) -> None:
        self.gated.held.append(
            HeldRow(
                record, actions, reasons, participant=resolution.participant, identity=resolution.code or "",
                corrects=corrects or {}, row=index,
            )
        )  # fmt: skip

    def surprising_name(
        self, index: int, record: ParticipantRecord, resolution: NameResolution, looks_like: Participant | None,
        resembles: Participant | None,
    ) -> None:  # fmt: skip
        """A name that is not one identity's, or not what it seems: the whole row waits."""
        if record.name_was_cleaned:
            reason = (
                f"the name holds invisible or bidirectional-control characters (printed "
                f"{visible(record.printed_name)!r}): it only looks like {record.name!r}"
            )
        elif (fixed := mojibake_of(record.name)) is not None:
            reason = f"the name looks like a mis-decoded (mojibake) spelling of {fixed!r}"
        else:
            reason = resolution.reason or UNKNOWN
        suggestion = looks_like or resembles
        if suggestion is not None:
            self.gated.covered.update(action_key(suggestion.code, a.kind, a.label) for a in record.actions)
        self.gated.held.append(
            HeldRow(record, list(record.actions), [reason], participant=looks_like, resembles=resembles, row=index)
        )


def _with_actions(record: ParticipantRecord, actions: list[ActionRecord]) -> ParticipantRecord:
    return ParticipantRecord(
        name=record.name,
        footnotes=record.footnotes,
        withdrawn=record.withdrawn,
        actions=tuple(actions),
        printed_name=record.printed_name,
        cells=record.cells,
    )


def status_gate(
    *,
    treaty: Treaty,
    records: tuple[ParticipantRecord, ...],
    resolutions: dict[str, NameResolution],
    stored: list[Action],
    looks_like: dict[str, Participant],
    resembles: dict[str, Participant],
    today: datetime.date,
    baseline: bool,
) -> Gated:
    """Split the file's rows into what goes ahead and what is held (no queries).

    `resolutions` says who each name is (services/identities.py); `looks_like` maps a name
    printed with invisible characters to the participant it imitates; `resembles` the other
    unresolved names to the participant they may stand for, where one is apparent.
    """
    gate = _Gate(treaty, stored, today, baseline=baseline)
    by_identity: dict[str, list[tuple[int, ParticipantRecord]]] = {}
    for index, record in enumerate(records):
        resolution = resolutions[record.name]
        if record.name_was_cleaned or not resolution.resolved:
            gate.surprising_name(
                index, record, resolution, looks_like.get(record.name) if record.name_was_cleaned else None,
                resembles.get(record.name),
            )  # fmt: skip
        else:
            by_identity.setdefault(resolution.code, []).append((index, record))
    for rows in by_identity.values():
        resolution = resolutions[rows[0][1].name]
        if len(rows) > 1:
            gate.duplicates(rows, resolution)
        else:
            gate.known_row(*rows[0], resolution)
    return gate.gated


def public_view(gated: Gated, stored: list[Action], seen: set[int], published: dict[str, Participant]) -> dict:
    """How the public sees this file (scrapers.status_diff.status_as_published): the held rows
    and actions left out, every stored action the file's rows did not match put back as it is
    published (a held withdrawal leaves the instrument as it was, an instrument gone from the
    file stays until staff confirm, two rows of one identity leave its stored row), and each row
    under the name it is published under ("FRANCE" is France). Kept with the poll run, so the
    public diff of the file never shows what was held."""
    drop: dict[str, object] = {}
    for held in gated.held:
        whole = len(held.actions) == len(held.record.actions)
        drop[str(held.row)] = "all" if whole else [[str(a.kind), a.label] for a in held.actions]
    restore = [
        {
            "name": action.participant.name,
            "kind": str(action.kind),
            "label": action.label,
            "date": action.date.isoformat(),
            "marker": action.marker,
            "withdrawn": action.withdrawn,
        }
        for action in stored
        if action.pk not in seen
    ]
    names = {printed: p.name for printed, p in published.items() if printed != p.name}
    return {"drop": drop, "restore": restore, "names": names} if drop or restore or names else {}
