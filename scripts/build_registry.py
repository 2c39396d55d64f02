"""Build the registry of who can take part in a UN treaty: ratification/data/registry.tsv
(one row per identity) and ratification/data/registry-names.tsv (every name it goes by).

A poll publishes a row only when its name is one identity's and that identity may act
(ratification/services/identities.py), so the registry says who is who and what each is:

- every State today: the UN's Member States, the non-member observer States and the other
  States UNTC lists (the Cook Islands, Niue), from `participants.tsv` (UNTC's own short names
  and older spellings), with their ISO 3166-1 names (pycountry) and the name variants, the
  pattern and the year it joined the UN that country_converter keeps;
- every former State with the dates it existed (ISO 3166-3 as pycountry keeps it, which says
  when a code was withdrawn but not whether a State was renamed or ceased to exist: the UN's
  own record of its Members, below, says that and gives the dates);
- ISO 3166-1 entries that are not States (Antarctica, Hong Kong...): territories;
- organisations, each with its kind: the European Union as a regional economic integration
  organisation (REIO), international organisations.

Run it when a source changes (`python scripts/build_registry.py`; pycountry and
country_converter are development dependencies only): the tracker ships the two TSVs and
never imports either at run time. It refuses to write a registry in which one name, folded as
the tracker compares names (ratification/names.py), belongs to two identities.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ratification.names import name_key  # noqa: E402  (the tracker's own folding, no Django)

DATA = ROOT / "ratification" / "data"
PARTICIPANTS = DATA / "participants.tsv"
IDENTITIES = DATA / "registry.tsv"
NAMES = DATA / "registry-names.tsv"

# The UN's own record of States that ceased to exist: the names it used for each, and the
# dates it existed (the last day is `until`). Codes are ISO 3166-3's where it has one.
# A successor that continues a former State (the Russian Federation the USSR's membership,
# Serbia that of Serbia and Montenegro) is still another identity here: a row printed under
# the former name is a former State's, and is held (issue 22).
FORMER_STATES: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    ("SUN", ("Union of Soviet Socialist Republics", "USSR", "Soviet Union"), "1922-12-30", "1991-12-25"),
    ("CSK", ("Czechoslovakia", "Czech and Slovak Federal Republic"), "1918-10-28", "1992-12-31"),
    ("YUG", ("Yugoslavia", "Socialist Federal Republic of Yugoslavia"), "1918-12-01", "1992-04-26"),
    ("SCG", ("Serbia and Montenegro", "Federal Republic of Yugoslavia"), "1992-04-27", "2006-06-02"),
    ("DDR", ("German Democratic Republic",), "1949-10-07", "1990-10-02"),
    ("YMD", ("Democratic Yemen", "People's Democratic Republic of Yemen"), "1967-11-30", "1990-05-21"),
    ("VDR", ("Democratic Republic of Viet-Nam",), "1945-09-02", "1976-07-01"),
    ("EAT", ("Tanganyika",), "1961-12-09", "1964-04-25"),
    ("EAZ", ("Zanzibar",), "1963-12-10", "1964-04-25"),
)
# States that came into being when a former State above ended, from the next day (the one
# that continues it, such as the Russian Federation or Serbia, has no such date).
SUCCESSORS: dict[str, tuple[str, ...]] = {"CSK": ("CZE", "SVK"), "SCG": ("MNE",)}

# Names the UN's record gives a State before it changed it: the same State, an older name.
UN_FORMER_NAMES: tuple[tuple[str, str], ...] = (
    ("MMR", "Burma"),
    ("BLR", "Byelorussian Soviet Socialist Republic"),
    ("UKR", "Ukrainian Soviet Socialist Republic"),
    ("COD", "Zaire"),
    ("BFA", "Upper Volta"),
    ("BEN", "Dahomey"),
    ("KHM", "Democratic Kampuchea"),
    ("KHM", "Khmer Republic"),
    ("LKA", "Ceylon"),
    ("EGY", "United Arab Republic"),
    ("THA", "Siam"),
    ("LBY", "Libyan Arab Jamahiriya"),
    ("YEM", "Yemen Arab Republic"),
    ("DEU", "Federal Republic of Germany"),
)

# ISO 3166-3: what each withdrawn code was. Renamed: the same State under a new code
# (its names become the current State's). Former: a State that ceased to exist (above).
# Territory: never a State. A code not listed stops the build, so a new entry is decided.
ISO_3166_3_RENAMED = {"BUR": "MMR", "BYS": "BLR", "DHY": "BEN", "HVO": "BFA", "ZAR": "COD"}
ISO_3166_3_TERRITORIES = frozenset(
    "AFI ANT ATB ATF ATN CTE FXX GEL JTN MID NHB NTZ PCI PCZ PUS RHO SKM TMP WAK".split()
)

# Organisations that are, or may become, participants of UN treaties (the 2018 UNTC dump has
# every one of these as a row), with a code of their own (their usual acronym, never an ISO
# 3166 alpha-3 code: checked below), their kind, and their names.
ORGANISATIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ANDEAN", "reio", ("Andean Community",)),
    ("AFRUNION", "organisation", ("African Union",)),
    ("CARICOM", "reio", ("Caribbean Community",)),
    ("COMESA", "reio", ("Common Market for Eastern and Southern Africa",)),
    ("COE", "organisation", ("Council of Europe",)),
    ("EAC", "reio", ("East African Community",)),
    ("ECOWAS", "reio", ("Economic Community of West African States",)),
    ("EURASEC", "reio", ("Eurasian Economic Community",)),
    ("FAO", "organisation", ("Food and Agriculture Organization of the United Nations",)),
    ("IAEA", "organisation", ("International Atomic Energy Agency",)),
    ("ICAO", "organisation", ("International Civil Aviation Organization",)),
    ("IFAD", "organisation", ("International Fund for Agricultural Development",)),
    ("INTERPOL", "organisation", ("International Criminal Police Organization", "Interpol", "ICPO-INTERPOL")),
    ("ILO", "organisation", ("International Labour Organization", "International Labour Organisation")),
    ("IMO", "organisation", ("International Maritime Organization",)),
    ("ITU", "organisation", ("International Telecommunication Union",)),
    ("OPCW", "organisation", ("Organisation for the Prohibition of Chemical Weapons",)),
    ("OAU", "organisation", ("Organization of African Unity",)),
    ("CTBTO", "organisation", ("Preparatory Commission for the Comprehensive Nuclear-Test-Ban Treaty Organization",)),
    ("SADC", "reio", ("Southern African Development Community",)),
    ("UNO", "organisation", ("United Nations",)),
    ("UNESCO", "organisation", ("United Nations Educational, Scientific and Cultural Organization",)),
    ("UNIDO", "organisation", ("United Nations Industrial Development Organization",)),
    ("UPU", "organisation", ("Universal Postal Union",)),
    ("UEMOA", "reio", ("West African Economic and Monetary Union",)),
    ("WHO", "organisation", ("World Health Organization",)),
    ("WIPO", "organisation", ("World Intellectual Property Organization",)),
    ("WMO", "organisation", ("World Meteorological Organization",)),
    ("UNWTO", "organisation", ("World Tourism Organization",)),
)

# When two sources give one name (folded) to two identities, the first source here keeps it:
# UNTC's own spelling, then the UN's record, then the standards, then the variants.
SOURCES = ("untc", "un", "organisation", "iso3166-1", "iso3166-3", "country_converter")
KINDS = ("state", "former_state", "territory", "reio", "organisation")


@dataclass
class Identity:
    code: str
    kind: str
    name: str
    since: str = ""
    until: str = ""
    un_member_since: str = ""
    pattern: str = ""
    names: dict[str, str] = field(default_factory=dict)  # name -> source

    def add(self, name: str, source: str) -> None:
        name = " ".join(name.split())
        if name and name not in self.names:
            self.names[name] = source


def coco_rows() -> dict[str, dict[str, str]]:
    """country_converter's own table, read as data (its converter class is not needed)."""
    text = resources.files("country_converter").joinpath("country_data.tsv").read_text(encoding="utf-8")
    return {row["ISO3"]: row for row in csv.DictReader(text.splitlines(), delimiter="\t")}


def iso_3166_3_names(name: str) -> list[str]:
    """ISO 3166-3 writes "Viet-Nam, Democratic Republic of" and "USSR, Union of Soviet
    Socialist Republics": a name, then either the rest of it (ending in "of") or another name.
    "(Socialist) Federal Republic of" is two names, with and without the word."""
    base, *rest = [part.strip() for part in name.split(",")]
    names = [base]
    for part in rest:
        variants = [re.sub(r"\(([^)]*)\)\s*", r"\1 ", part), re.sub(r"\([^)]*\)\s*", "", part)]
        for variant in dict.fromkeys(" ".join(v.split()) for v in variants):
            # "Republic of" ends with "of"; "Democratic" (in "Yemen, Democratic") is one word.
            if variant.endswith(" of") or " " not in variant:
                names.append(f"{variant} {base}")
            else:
                names.append(variant)
    return names


def build() -> dict[str, Identity]:
    identities: dict[str, Identity] = {}
    coco = coco_rows()
    with PARTICIPANTS.open(encoding="utf-8", newline="") as table:
        for row in csv.DictReader(table, delimiter="\t"):
            kind = "reio" if row["reio"] == "yes" else "state"
            identity = identities[row["code"]] = Identity(row["code"], kind, row["name"])
            for name in (row["name"], *filter(None, row["aliases"].split("|"))):
                identity.add(name, "untc")
    for country in pycountry.countries:
        identity = identities.setdefault(country.alpha_3, Identity(country.alpha_3, "territory", country.name))
        for attribute in ("name", "official_name", "common_name"):
            if hasattr(country, attribute):
                identity.add(getattr(country, attribute), "iso3166-1")
    for code, names, since, until in FORMER_STATES:
        identity = identities[code] = Identity(code, "former_state", names[0], since=since, until=until)
        for name in names:
            identity.add(name, "un")
        for successor in SUCCESSORS.get(code, ()):
            identities[successor].since = _next_day(until)
    for code, name in UN_FORMER_NAMES:
        identities[code].add(name, "un")
    for country in pycountry.historic_countries:
        code = country.alpha_3
        names = iso_3166_3_names(country.name)
        if code in ISO_3166_3_RENAMED:
            target = identities[ISO_3166_3_RENAMED[code]]
        elif code in identities and identities[code].kind == "former_state":
            target = identities[code]
        elif code in ISO_3166_3_TERRITORIES:
            until = str(getattr(country, "withdrawal_date", "") or "")
            target = identities.setdefault(code, Identity(code, "territory", country.name, until=until))
        else:
            raise SystemExit(f"ISO 3166-3 {code} ({country.name}) is not classified: renamed, former or territory?")
        for name in names:
            target.add(name, "iso3166-3")
    for code, kind, names in ORGANISATIONS:
        if len(code) < 3 or pycountry.countries.get(alpha_3=code) or pycountry.historic_countries.get(alpha_3=code):
            raise SystemExit(f"organisation code {code} collides with ISO 3166 or is too short")
        identity = identities[code] = Identity(code, kind, names[0])
        for name in names:
            identity.add(name, "organisation")
    for code, row in coco.items():
        if code not in identities:
            continue  # coco's own codes (Kosovo, the Channel Islands): no UN treaty lists them
        identity = identities[code]
        identity.un_member_since = row["UNmember"].split(".")[0]
        identity.pattern = row["regex"]
        for column in ("name_short", "name_official"):
            identity.add(re.sub(r"\s*\(former\)$", "", row[column]), "country_converter")
    _check_states(identities, coco)
    _drop_shared_names(identities)
    return identities


def _next_day(date: str) -> str:
    import datetime

    return (datetime.date.fromisoformat(date) + datetime.timedelta(days=1)).isoformat()


def _check_states(identities: dict[str, Identity], coco: dict[str, dict[str, str]]) -> None:
    """UNTC's States less the non-members it lists must be exactly the UN's Members by country_converter."""
    members = {code for code, row in coco.items() if row["UNmember"]}
    states = {code for code, identity in identities.items() if identity.kind == "state"}
    non_members = {"VAT", "PSE", "COK", "NIU"}
    if states - non_members != members:
        raise SystemExit(
            f"UN Members disagree: only in participants.tsv {sorted(states - non_members - members)}, "
            f"only in country_converter {sorted(members - states)}"
        )


def _drop_shared_names(identities: dict[str, Identity]) -> None:
    """A folded name of two identities stays with the one whose source comes first; a tie stops the build."""
    owners: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for identity in identities.values():
        for name, source in identity.names.items():
            owners[name_key(name)].append((SOURCES.index(source), identity.code, name))
    for key, claims in owners.items():
        codes = {code for _rank, code, _name in claims}
        if len(codes) < 2:
            continue
        best = min(rank for rank, _code, _name in claims)
        keepers = {code for rank, code, _name in claims if rank == best}
        if len(keepers) > 1:
            raise SystemExit(f"{key!r} is a name of {sorted(keepers)} in the same source")
        [keeper] = keepers
        for _rank, code, name in claims:
            if code != keeper:
                print(f"  {name!r}: a name of {keeper}, not of {code}")
                del identities[code].names[name]


def write(identities: dict[str, Identity]) -> None:
    ordered = sorted(identities.values(), key=lambda i: (KINDS.index(i.kind), i.name.casefold(), i.code))
    with IDENTITIES.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(("code", "kind", "name", "since", "until", "un_member_since", "pattern"))
        for i in ordered:
            writer.writerow((i.code, i.kind, i.name, i.since, i.until, i.un_member_since, i.pattern))
    with NAMES.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(("code", "name", "source"))
        for i in ordered:
            for name, source in sorted(i.names.items(), key=lambda item: item[0].casefold()):
                writer.writerow((i.code, name, source))


def main() -> None:
    identities = build()
    write(identities)
    names = sum(len(i.names) for i in identities.values())
    print(f"wrote {len(identities)} identities to {IDENTITIES.name} and {names} names to {NAMES.name}")


if __name__ == "__main__":
    main()
