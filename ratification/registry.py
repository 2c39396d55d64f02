"""Who can be a participant: every State, former State, territory and organisation, with its names.

Shipped as data (`data/registry.tsv`, `data/registry-names.tsv`), built by
scripts/build_registry.py from UNTC's own names, the UN's record of its Members, ISO 3166-1
and -3 (pycountry) and country_converter; see data/README.md. Nothing here touches the
database: services/identities.py puts it together with the stored participants.
"""

from __future__ import annotations

import csv
import datetime
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from ratification.names import name_key

DATA = Path(__file__).resolve().parent / "data"
IDENTITIES = DATA / "registry.tsv"
NAMES = DATA / "registry-names.tsv"


class IdentityKind(StrEnum):
    STATE = "state"
    FORMER_STATE = "former_state"
    TERRITORY = "territory"
    REIO = "reio"  # a regional economic integration organisation, such as the European Union
    ORGANISATION = "organisation"


def _date(text: str, *, end: bool = False) -> datetime.date | None:
    """An ISO date, or a bare year (ISO 3166-3 gives some withdrawals by year): its first or last day."""
    if not text:
        return None
    if len(text) == 4:
        return datetime.date(int(text), 12, 31) if end else datetime.date(int(text), 1, 1)
    return datetime.date.fromisoformat(text)


@dataclass(frozen=True)
class Identity:
    """One participant-to-be: its stable code, what it is, and when it existed (None: not known
    to have begun, or still exists)."""

    code: str
    kind: IdentityKind
    name: str
    since: datetime.date | None
    until: datetime.date | None
    un_member_since: int | None
    pattern: str

    @property
    def is_reio(self) -> bool:
        return self.kind == IdentityKind.REIO

    def exists_on(self, day: datetime.date) -> bool:
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class Registry:
    by_code: dict[str, Identity]
    by_key: dict[str, frozenset[str]]  # folded name -> codes (one, as the build checks)
    names: dict[str, tuple[str, ...]]  # code -> every name
    untc_names: dict[str, tuple[str, ...]]  # code -> the names UNTC has printed for it

    def codes_named(self, name: str) -> frozenset[str]:
        """The identities going by this name, spelling aside."""
        return self.by_key.get(name_key(name), frozenset())

    def resembling(self, name: str) -> frozenset[str]:
        """The States whose name pattern (country_converter's) the name matches: a hint for
        staff, never an identity."""
        return frozenset(code for code, pattern in _patterns() if pattern.search(name))


@cache
def registry() -> Registry:
    with IDENTITIES.open(encoding="utf-8", newline="") as rows:
        by_code = {
            row["code"]: Identity(
                code=row["code"],
                kind=IdentityKind(row["kind"]),
                name=row["name"],
                since=_date(row["since"]),
                until=_date(row["until"], end=True),
                un_member_since=int(row["un_member_since"]) if row["un_member_since"] else None,
                pattern=row["pattern"],
            )
            for row in csv.DictReader(rows, delimiter="\t")
        }
    by_key: dict[str, set[str]] = {}
    names: dict[str, list[str]] = {}
    untc_names: dict[str, list[str]] = {}
    with NAMES.open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows, delimiter="\t"):
            by_key.setdefault(name_key(row["name"]), set()).add(row["code"])
            names.setdefault(row["code"], []).append(row["name"])
            if row["source"] == "untc":
                untc_names.setdefault(row["code"], []).append(row["name"])
    return Registry(
        by_code=by_code,
        by_key={key: frozenset(codes) for key, codes in by_key.items()},
        names={code: tuple(found) for code, found in names.items()},
        untc_names={code: tuple(found) for code, found in untc_names.items()},
    )


@cache
def _patterns() -> tuple[tuple[str, re.Pattern], ...]:
    return tuple(
        (identity.code, re.compile(identity.pattern, re.IGNORECASE))
        for identity in registry().by_code.values()
        if identity.pattern and identity.kind == IdentityKind.STATE
    )


def known_name(name: str) -> Identity | None:
    """The registry's one identity going by this name (spelling aside), or None."""
    codes = registry().codes_named(name)
    return registry().by_code[next(iter(codes))] if len(codes) == 1 else None
