"""Build ratification/data/known_names.tsv: every name a UN treaty participant may go by.

A poll holds for review any row whose name the tracker does not know (ratification's gate),
so this list says what "known" means: the UN's own short names as UNTC prints them (the
participant table, with its older spellings), ISO 3166-1 (short, official and common names),
ISO 3166-3 (former countries, under their ISO codes), and the international organisations
that take part in UN treaties. Run it when the list needs to change
(`python scripts/build_known_names.py`); the project ships the TSV and never imports pycountry
at run time.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pycountry

DATA = Path(__file__).resolve().parent.parent / "ratification" / "data"
PARTICIPANTS = DATA / "participants.tsv"
TARGET = DATA / "known_names.tsv"

# Organisations that are, or may become, participants of UN treaties (the 2018 UNTC dump has
# every one of these as a row), with a code of their own: their usual acronym, never an ISO
# 3166 alpha-3 code (checked below). `reio`: a regional economic integration organisation,
# whose instrument some treaties do not count (XVIII-16 art. 65(1)).
ORGANISATIONS: tuple[tuple[str, str, bool], ...] = (
    ("ANDEAN", "Andean Community", True),
    ("AFRUNION", "African Union", False),
    ("CARICOM", "Caribbean Community", True),
    ("COMESA", "Common Market for Eastern and Southern Africa", True),
    ("COE", "Council of Europe", False),
    ("EAC", "East African Community", True),
    ("ECOWAS", "Economic Community of West African States", True),
    ("EURASEC", "Eurasian Economic Community", True),
    ("FAO", "Food and Agriculture Organization of the United Nations", False),
    ("IAEA", "International Atomic Energy Agency", False),
    ("ICAO", "International Civil Aviation Organization", False),
    ("IFAD", "International Fund for Agricultural Development", False),
    ("INTERPOL", "International Criminal Police Organization", False),
    ("ILO", "International Labour Organisation", False),
    ("ILO", "International Labour Organization", False),
    ("IMO", "International Maritime Organization", False),
    ("ITU", "International Telecommunication Union", False),
    ("OPCW", "Organisation for the Prohibition of Chemical Weapons", False),
    ("OAU", "Organization of African Unity", False),
    ("CTBTO", "Preparatory Commission for the Comprehensive Nuclear-Test-Ban Treaty Organization", False),
    ("SADC", "Southern African Development Community", True),
    ("UNO", "United Nations", False),
    ("UNESCO", "United Nations Educational, Scientific and Cultural Organization", False),
    ("UNIDO", "United Nations Industrial Development Organization", False),
    ("UPU", "Universal Postal Union", False),
    ("UEMOA", "West African Economic and Monetary Union", True),
    ("WHO", "World Health Organization", False),
    ("WIPO", "World Intellectual Property Organization", False),
    ("WMO", "World Meteorological Organization", False),
    ("UNWTO", "World Tourism Organization", False),
)

# Former States under the names the UN used for them (ISO 3166-3 words them its own way).
UN_FORMER: tuple[tuple[str, str], ...] = (
    ("SUN", "Union of Soviet Socialist Republics"),
    ("BYS", "Byelorussian Soviet Socialist Republic"),
    ("YUG", "Socialist Federal Republic of Yugoslavia"),
    ("YUG", "Federal Republic of Yugoslavia"),
    ("SCG", "Serbia and Montenegro"),
    ("CSK", "Czechoslovakia"),
    ("DDR", "German Democratic Republic"),
    ("YMD", "Democratic Yemen"),
)


def rows() -> list[tuple[str, str, str, str]]:
    found: dict[str, tuple[str, str, str, str]] = {}

    def add(code: str, name: str, reio: bool, source: str) -> None:
        name = " ".join(name.split())
        if name and name.casefold() not in found:
            found[name.casefold()] = (code, name, "yes" if reio else "no", source)

    with PARTICIPANTS.open(encoding="utf-8", newline="") as table:
        for row in csv.DictReader(table, delimiter="\t"):
            for name in (row["name"], *filter(None, row["aliases"].split("|"))):
                add(row["code"], name, row["reio"] == "yes", "un")
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            if hasattr(country, attribute):
                add(country.alpha_3, getattr(country, attribute), False, "iso3166-1")
    current = {country.alpha_3 for country in pycountry.countries}
    for code, name in UN_FORMER:
        add(code, name, False, "un")
    for country in pycountry.historic_countries:
        if country.alpha_3 not in current:
            # "Czechoslovakia, Czechoslovak Socialist Republic": the first part is the name.
            add(country.alpha_3, re.split(r",\s*", country.name)[0], False, "iso3166-3")
    for code, name, reio in ORGANISATIONS:
        if code in current or len(code) < 3:
            raise SystemExit(f"organisation code {code} collides with ISO 3166 or is too short")
        add(code, name, reio, "organisation")
    return sorted(found.values(), key=lambda row: (row[1].casefold(), row[0]))


def main() -> None:
    written = rows()
    with TARGET.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(("code", "name", "reio", "source"))
        writer.writerows(written)
    print(f"wrote {len(written)} names to {TARGET}")


if __name__ == "__main__":
    main()
