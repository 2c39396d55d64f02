"""Turn the names UNTC prints into participants with stable codes."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from simple_history.utils import bulk_create_with_history

from ratification.models import Participant, ParticipantAlias
from ratification.names import known_name

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


def provisional_code(name: str) -> str:
    """A stable placeholder code for a name the table does not know ("X" + 5 hex digits).

    Deterministic, so the same unknown name maps to the same participant on every poll until
    staff give it its real code.
    """
    return "X" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:5].upper()


def _known(name: str) -> KnownParticipant | None:
    """The shipped participant table's entry, else the list of known names' (ratification.names)."""
    known = known_participants().get(name)
    if known is None and (entry := known_name(name)) is not None:
        known = KnownParticipant(code=entry.code, name=entry.name, is_reio=entry.is_reio, aliases=())
    return known


def participants_resolve(*, names: Iterable[str], linked: set[str] | None = None) -> dict[str, Participant]:
    """Map each name UNTC prints to a participant, creating the ones the shipped lists know.

    A bounded number of queries whatever the number of names (reconciling a 200-row file must
    not cost a query per row). Names that are neither stored nor a known State or organisation
    are left out of the result: the caller holds them for review. Names found only through
    their code, for a participant stored under another name, are added to `linked`.
    """
    wanted = set(names)
    found = participants_named(names=wanted)
    missing = {name: known for name in wanted - found.keys() if (known := _known(name)) is not None}
    if missing:
        by_code = {p.code: p for p in Participant.objects.filter(code__in={k.code for k in missing.values()})}
        if linked is not None:
            linked.update(name for name, known in missing.items() if known.code in by_code)
        new = {
            known.code: Participant(code=known.code, name=name, is_reio=known.is_reio)
            for name, known in missing.items()
            if known.code not in by_code
        }
        bulk_create_with_history(list(new.values()), Participant, default_change_reason="first seen in a UNTC file")
        by_code.update({p.code: p for p in Participant.objects.filter(code__in=new.keys())})
        aliases = []
        for name, known in missing.items():
            participant = by_code[known.code]
            found[name] = participant
            aliases += [
                ParticipantAlias(participant=participant, name=alias)
                for alias in {name, known.name, *known.aliases} - {participant.name}
            ]
        ParticipantAlias.objects.bulk_create(aliases, ignore_conflicts=True)
    return found


def participants_named(*, names: Iterable[str]) -> dict[str, Participant]:
    """The stored participants going by these names or aliases (two queries; creates nothing)."""
    wanted = set(names)
    found: dict[str, Participant] = {p.name: p for p in Participant.objects.filter(name__in=wanted)}
    for alias in ParticipantAlias.objects.select_related("participant").filter(name__in=wanted - found.keys()):
        found[alias.name] = alias.participant
    return found


def participant_create_unknown(*, name: str) -> Participant:
    """Store a participant the table does not know, under a provisional code for staff to fix."""
    participant, _ = Participant.objects.get_or_create(code=provisional_code(name), defaults={"name": name})
    return participant


def participant_rename(*, participant: Participant, new_name: str) -> None:
    """UNTC renamed a row in place: the new name becomes the name, the old one an alias."""
    old_name = participant.name
    ParticipantAlias.objects.filter(name=new_name).delete()
    participant.name = new_name
    participant._change_reason = f"renamed in the UNTC file (was {old_name})"
    participant.save(update_fields=["name", "updated_at"])
    ParticipantAlias.objects.get_or_create(name=old_name, defaults={"participant": participant})
