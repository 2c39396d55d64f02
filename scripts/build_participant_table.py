"""Build ratification/data/participants.tsv: UNTC participant names -> stable codes.

Run once when the list needs to change (`python scripts/build_participant_table.py`); the
project ships the TSV, so nothing here runs at start-up. pycountry (ISO 3166) gives the
alpha-3 codes; UNTC spells many names its own way (the UN Terminology Bulletin style), and
renames rows in place (Turkey -> Türkiye), so each code carries the current UNTC spelling
and every older spelling seen in UNTC files as aliases.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pycountry

# Participants of UN treaties that ISO 3166 does not name the UNTC way, or at all.
# code -> (current UNTC name, aliases seen in older UNTC files)
SPECIAL: dict[str, tuple[str, tuple[str, ...]]] = {
    "EUU": ("European Union", ("European Community", "European Economic Community")),
    "BOL": ("Bolivia (Plurinational State of)", ("Bolivia",)),
    "COD": ("Democratic Republic of the Congo", ("Zaire",)),
    "VAT": ("Holy See", ()),
    "IRN": ("Iran (Islamic Republic of)", ()),
    "FSM": ("Micronesia (Federated States of)", ()),
    "KOR": ("Republic of Korea", ()),
    "PRK": ("Democratic People's Republic of Korea", ()),
    "MDA": ("Republic of Moldova", ()),
    "TZA": ("United Republic of Tanzania", ()),
    "USA": ("United States of America", ()),
    "GBR": ("United Kingdom of Great Britain and Northern Ireland", ()),
    "KNA": ("Saint Kitts and Nevis", ("St. Kitts and Nevis",)),
    "LCA": ("Saint Lucia", ("St. Lucia",)),
    "VCT": ("Saint Vincent and the Grenadines", ("St. Vincent and the Grenadines",)),
    "PSE": ("State of Palestine", ()),
    "SWZ": ("Eswatini", ("Swaziland",)),
    "MKD": ("North Macedonia", ("The former Yugoslav Republic of Macedonia",)),
    "TUR": ("Türkiye", ("Turkey",)),
    "VEN": ("Venezuela (Bolivarian Republic of)", ()),
    # UNTC is inconsistent across treaties: XVIII-16 (2025) shows "Czech Republic".
    "CZE": ("Czech Republic", ("Czechia",)),
    "NLD": ("Netherlands (Kingdom of the)", ("Netherlands",)),
    "CPV": ("Cabo Verde", ("Cape Verde",)),
    "CIV": ("Côte d'Ivoire", ()),
    "LAO": ("Lao People's Democratic Republic", ()),
    "SYR": ("Syrian Arab Republic", ()),
    "VNM": ("Viet Nam", ()),
    "RUS": ("Russian Federation", ()),
    "BRN": ("Brunei Darussalam", ()),
    "TLS": ("Timor-Leste", ()),
    "COK": ("Cook Islands", ()),
    "NIU": ("Niue", ()),
}

# The 193 UN Member States plus the non-member participants of UN treaties, by ISO alpha-3.
UN_PARTICIPANTS = """
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA
BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP CZE PRK COD DNK
DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB
GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO
LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU
NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR MDA ROU RUS RWA
KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE
SYR TJK THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB
ZWE VAT PSE COK NIU EUU
""".split()

TARGET = Path(__file__).resolve().parent.parent / "ratification" / "data" / "participants.tsv"


def untc_name(code: str) -> tuple[str, tuple[str, ...]]:
    if code in SPECIAL:
        return SPECIAL[code]
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise SystemExit(f"{code} is neither in SPECIAL nor in ISO 3166")
    return country.name, ()


def main() -> None:
    rows = []
    for code in UN_PARTICIPANTS:
        name, aliases = untc_name(code)
        rows.append((code, name, "yes" if code == "EUU" else "no", "|".join(aliases)))
    rows.sort(key=lambda row: row[1])
    with TARGET.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(("code", "name", "reio", "aliases"))
        writer.writerows(rows)
    print(f"wrote {len(rows)} participants to {TARGET}")


if __name__ == "__main__":
    main()
