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
from ratification.registry import registry
from ratification.services.identities import NameResolution, names_resolve

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


def participants_resolve(*, names: Iterable[str], linked: set[str] | None = None) -> dict[str, Participant]:
    """Map each name UNTC prints to its participant, storing the ones only the registry knows.

    A name resolves when it is one identity's (services/identities.py: spelling aside, against
    the stored participants and the registry); the others are left out of the result, for the
    caller to hold. A bounded number of queries whatever the number of names (reconciling a
    200-row file must not cost a query per row). Names found only through the registry, for a
    participant stored under another name, are added to `linked`.
    """
    return participants_store(resolutions=names_resolve(names=names).values(), linked=linked)


def participants_store(
    *, resolutions: Iterable[NameResolution], linked: set[str] | None = None
) -> dict[str, Participant]:
    """The participants of these resolved names, storing those not stored yet (under the name
    printed, with the registry's code); a printed spelling the participant does not go by yet
    is kept as an alias."""
    resolutions = [r for r in resolutions if r.resolved]
    new = {
        r.code: Participant(code=r.code, name=r.name, is_reio=bool(r.identity and r.identity.is_reio))
        for r in resolutions
        if r.participant is None
    }
    # Two spellings of one new identity in one call: the first printed is its name.
    taken = set(Participant.objects.filter(name__in=[p.name for p in new.values()]).values_list("name", flat=True))
    new = {code: participant for code, participant in new.items() if participant.name not in taken}
    bulk_create_with_history(list(new.values()), Participant, default_change_reason="first seen in a UNTC file")
    by_code = {r.code: r.participant for r in resolutions if r.participant is not None}
    if new:  # read back what was just stored (and what another poll may have stored meanwhile)
        by_code.update((p.code, p) for p in Participant.objects.filter(code__in={r.code for r in resolutions}))
    found, aliases = {}, []
    for participant in new.values():
        # A new participant goes by UNTC's older spellings too (Turkey for Türkiye).
        older = set(registry().untc_names.get(participant.code, ())) - {participant.name}
        aliases += [ParticipantAlias(participant=by_code[participant.code], name=name) for name in older]
    for resolution in resolutions:
        participant = by_code.get(resolution.code)
        if participant is None:
            continue
        found[resolution.name] = participant
        if linked is not None and resolution.participant is not None and not resolution.by_stored_name:
            linked.add(resolution.name)
        if resolution.name != participant.name:
            aliases.append(ParticipantAlias(participant=participant, name=resolution.name))
    ParticipantAlias.objects.bulk_create(aliases, ignore_conflicts=True)
    return found


def participants_named(*, names: Iterable[str]) -> dict[str, Participant]:
    """The stored participants going by exactly these names or aliases (two queries; creates nothing)."""
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
