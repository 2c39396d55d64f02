"""Who a printed name is, and whether that identity may act in a treaty on a day.

The one place a name UNTC prints becomes an identity: the gate (services/gate.py) asks it for
every row of a file, and anything else reading names from a file (statements, a staff import)
should too. A name is compared by `name_key` (case, punctuation and spacing folded) against
every name and alias of the stored participants and every name of the registry
(ratification/registry.py). One identity: resolved. None, or more than one: not resolved, with
the reason, and the row is held for staff.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from ratification.models import Participant, ParticipantAlias, Treaty
from ratification.names import name_key
from ratification.registry import Identity, IdentityKind, registry

UNKNOWN = "the name is not a participant, State or organisation the tracker knows"


@dataclass(frozen=True)
class NameResolution:
    """What a printed name is: one identity, or why it is none.

    `participant` is the stored participant when there is one; `identity` the registry's entry
    when there is one (a participant staff accepted under a provisional code has none).
    `by_stored_name` tells a name a stored participant goes by (spelling aside) from one only
    the registry gives it (a rename staff may see)."""

    name: str
    code: str | None = None
    participant: Participant | None = None
    identity: Identity | None = None
    candidates: tuple[str, ...] = ()
    by_stored_name: bool = False
    #: For a name of no one: the States whose name pattern it matches (a hint for staff).
    looks_like: tuple[str, ...] = ()

    @property
    def resolved(self) -> bool:
        return self.code is not None

    @property
    def reason(self) -> str | None:
        """Why the name is held, or None when it names one identity."""
        if self.resolved:
            return None
        if self.candidates:
            return f"the name could be any of {', '.join(self.candidates)}: it names more than one participant"
        if self.looks_like:
            return f"{UNKNOWN} (it looks like a name of {', '.join(self.looks_like)}: staff may map it)"
        return UNKNOWN

    @property
    def display_name(self) -> str:
        if self.participant is not None:
            return self.participant.name
        return self.identity.name if self.identity else self.name


def _stored() -> tuple[dict[str, dict[str, Participant]], dict[str, Participant]]:
    """Folded name -> {code: participant} for every stored participant's name and alias, and
    code -> participant (two queries)."""
    found: dict[str, dict[str, Participant]] = {}
    participants = {p.pk: p for p in Participant.objects.all()}
    for participant in participants.values():
        found.setdefault(name_key(participant.name), {})[participant.code] = participant
    for participant_id, alias in ParticipantAlias.objects.values_list("participant_id", "name"):
        participant = participants[participant_id]
        found.setdefault(name_key(alias), {})[participant.code] = participant
    return found, {p.code: p for p in participants.values()}


def names_resolve(*, names: Iterable[str]) -> dict[str, NameResolution]:
    """Resolve each printed name to one identity, or say why not (two queries, whatever the count).

    Creates nothing: `participants_resolve` (services/participants.py) stores the participants
    a caller decides to publish."""
    stored, stored_by_code = _stored()
    known = registry()
    resolutions = {}
    for name in set(names):
        key = name_key(name)
        by_stored = stored.get(key, {})
        codes = set(by_stored) | set(known.by_key.get(key, ()))
        if len(codes) != 1:
            labels = sorted(f"{_name_of(code, by_stored)} ({code})" for code in codes)
            hints = () if codes else sorted(f"{_name_of(code, {})} ({code})" for code in known.resembling(name))
            resolutions[name] = NameResolution(name=name, candidates=tuple(labels), looks_like=tuple(hints))
            continue
        [code] = codes
        participant = stored_by_code.get(code)
        resolutions[name] = NameResolution(
            name=name,
            code=code,
            participant=participant,
            identity=known.by_code.get(code),
            by_stored_name=code in by_stored,
        )
    return resolutions


def name_resolve(*, name: str) -> NameResolution:
    """One printed name's identity, or why it has none (for callers with a single name)."""
    return names_resolve(names=[name])[name]


def _name_of(code: str, stored: dict[str, Participant]) -> str:
    if code in stored:
        return stored[code].name
    identity = registry().by_code.get(code)
    return identity.name if identity else code


def identity_eligibility(
    *, resolution: NameResolution, treaty: Treaty, on: datetime.date, new_to_treaty: bool
) -> str | None:
    """Why this identity may not be published as acting in `treaty` on `on`, or None if it may.

    A participant new to the treaty must be a State, or a REIO where the treaty admits one: an
    organisation, a territory, a former State or a name only staff know is held, and staff may
    accept it (some treaties admit organisations). Anyone, new or not, must exist on the day
    (a former State acting after it ceased to exist is held)."""
    identity, name = resolution.identity, resolution.display_name
    if identity is None:
        if new_to_treaty:
            return f"{name} is not a State or organisation in the tracker's registry (staff stored it by hand)"
        return None
    if identity.kind == IdentityKind.FORMER_STATE and new_to_treaty:
        return f"{name} is a former State (it existed until {identity.until.isoformat() if identity.until else '?'})"
    if identity.until is not None and on > identity.until:
        return f"{name} ceased to exist on {identity.until.isoformat()}: it cannot act on {on.isoformat()}"
    if identity.since is not None and on < identity.since:
        return f"{name} came into being on {identity.since.isoformat()}: it cannot act on {on.isoformat()}"
    if not new_to_treaty or identity.kind == IdentityKind.STATE:
        return None
    if identity.kind == IdentityKind.REIO:
        if treaty.admits_reio:
            return None
        return f"{name} is a regional economic integration organisation, and the treaty is not known to admit one"
    if identity.kind == IdentityKind.ORGANISATION:
        return f"{name} is an international organisation, not a State"
    return f"{name} is not a State (ISO 3166 lists it as a territory)"
