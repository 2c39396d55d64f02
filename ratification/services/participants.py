"""Turn the names UNTC prints into participants with stable codes."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ratification.models import Participant, ParticipantAlias

TABLE = Path(__file__).resolve().parent.parent / "data" / "participants.tsv"


@dataclass(frozen=True)
class KnownParticipant:
    code: str
    name: str
    is_reio: bool
    aliases: tuple[str, ...]


@cache
def known_participants() -> dict[str, KnownParticipant]:
    """The shipped table, indexed by every name (current and older) it knows."""
    by_name: dict[str, KnownParticipant] = {}
    with TABLE.open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows, delimiter="\t"):
            known = KnownParticipant(
                code=row["code"],
                name=row["name"],
                is_reio=row["reio"] == "yes",
                aliases=tuple(alias for alias in row["aliases"].split("|") if alias),
            )
            for name in (known.name, *known.aliases):
                by_name[name] = known
    return by_name


def participant_lookup(*, name: str) -> Participant | None:
    """The stored participant with this name or alias, if any."""
    participant = Participant.objects.filter(name=name).first()
    if participant is None:
        alias = ParticipantAlias.objects.select_related("participant").filter(name=name).first()
        participant = alias.participant if alias else None
    return participant


def participant_get_or_create(*, name: str) -> Participant | None:
    """The participant UNTC calls `name`, created from the shipped table if new.

    Returns None for a name the table does not know: the caller raises a review item rather
    than invent an identity, since a wrong code would merge two participants' records.
    """
    participant = participant_lookup(name=name)
    if participant is not None:
        return participant
    known = known_participants().get(name)
    if known is None:
        return None
    participant = Participant.objects.filter(code=known.code).first()
    if participant is None:
        participant = Participant.objects.create(code=known.code, name=name, is_reio=known.is_reio)
    for alias in {known.name, *known.aliases} - {participant.name}:
        ParticipantAlias.objects.get_or_create(name=alias, defaults={"participant": participant})
    return participant
