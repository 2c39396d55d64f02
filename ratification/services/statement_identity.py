"""Who a statement is by: its participant, by identity through the gate's name resolution (a name
the gate would hold for a row holds the statement), and the States an objection names.

Kept apart so that one function, `statement_participants`, is where statements resolve names,
through the same identity resolution as rows (services/identities.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ratification.models import Participant
from ratification.names import mojibake_of
from ratification.registry import known_name
from ratification.services.gate import digest
from ratification.services.participants import participants_resolve
from scrapers import model as untc
from scrapers.xmlsafe import visible

# Words an objection may put before a State's name ("made by the Republic of Tunisia").
_STYLES = ("the ", "The ")
_FORMS = ("Republic of ", "Kingdom of ", "State of ", "Government of ")


def statement_participants(*, names: Iterable[str], resolved: dict[str, Participant]) -> dict[str, Participant]:
    """The participant each name a statement prints stands for, by the gate's name resolution:
    the rows' own answer first (`resolved`), then a stored participant, alias or known State
    or organisation by identity, spelling aside (services/identities.py; creating the known ones,
    as for rows). A name that names no one, or more than one, is left out: it is held."""
    wanted = set(names)
    found = {name: resolved[name] for name in wanted if name in resolved}
    if wanted - found.keys():
        found.update(participants_resolve(names=wanted - found.keys()))
    return found


@dataclass
class HeldStatement:
    """A statement whose participant the gate would not publish: raised as a held review item
    (the same queue as held rows: ReviewQueue.raise_held)."""

    statement: untc.Statement
    reasons: list[str]
    position: int
    participant: Participant | None = None
    resembles: Participant | None = None

    def description(self) -> str:
        kinds = ", ".join(self.statement.kinds)
        return (
            f"Held: {visible(self.statement.printed_participant)} ({kinds}, in {self.statement.section}): "
            f"{'; '.join(self.reasons)}. Nothing of it is published or announced until staff accept it, map it "
            "to a participant, or reject it."
        )

    def as_data(self, *, baseline: bool) -> dict:
        printed = visible(self.statement.printed_participant)
        return {
            "fingerprint": digest([printed, self.statement.section, self.statement.text]),
            "name": self.statement.participant,
            "printed_name": printed,
            "raw_row": f"{printed} | {self.statement.section} | {' '.join(self.statement.text.split())[:300]}",
            "reasons": self.reasons,
            "actions": [],
            "statement": {
                **self.statement.as_json(),
                "footnotes": list(self.statement.footnotes),
                "answers": [list(answer) for answer in self.statement.answers],
                "position": self.position,
            },
            "resembles": self.resembles.pk if self.resembles else None,
            "baseline": baseline,
        }


def why_held(statement: untc.Statement) -> str:
    if not statement.participant:
        return "the statement names no participant"
    if statement.name_was_cleaned:
        return (
            f"the name holds invisible or bidirectional-control characters (printed "
            f"{visible(statement.printed_participant)!r}): it only looks like {statement.participant!r}"
        )
    if (fixed := mojibake_of(statement.participant)) is not None:
        return f"the name looks like a mis-decoded (mojibake) spelling of {fixed!r}"
    return "the name is not a participant, State or organisation the tracker knows"


def answer_code(name: str, by_name: dict[str, Participant]) -> str | None:
    """The code of the State an objection names ("the Republic of Tunisia"), if the tracker knows it."""
    candidates = [name]
    for style in _STYLES:
        if name.startswith(style):
            candidates.append(name[len(style) :])
    for candidate in list(candidates):
        candidates += [candidate[len(form) :] for form in _FORMS if candidate.startswith(form)]
    for candidate in candidates:
        if candidate in by_name:
            return by_name[candidate].code
        if (known := known_name(candidate)) is not None:
            return known.code
    return None
