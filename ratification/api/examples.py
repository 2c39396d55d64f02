"""Example values shown in the API documentation, drawn from XVIII-16 (the UN Convention against Cybercrime).

The schema test checks each example against its own schema, so they cannot drift from the API.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample

SITE = "https://tracker.example"
TREATY_STATUS_NOW = {
    "signatories": 72,
    "parties": 13,
    "counted": 12,
    "threshold": 40,
    "needed": 28,
    "reio_parties_not_counted": 1,
    "threshold_reached_on": None,
    "entry_into_force": None,
    "entry_into_force_source": None,
    "provisional_entry_into_force": None,
}
TREATY = {
    "mtdsg": "XVIII-16",
    "chapter": "XVIII",
    "title": "United Nations Convention against Cybercrime; Strengthening International Cooperation for "
    "Combating Certain Crimes Committed by Means of Information and Communications Technology Systems and "
    "for the Sharing of Evidence in Electronic Form of Serious Crimes",
    "short_title": "UN Convention against Cybercrime",
    "conclusion_place": "New York",
    "conclusion_date": "2024-12-24",
    "signature_deadline": "2026-12-31",
    "rule": {
        "known": True,
        "basis": "confirmed",
        "kind": "count",
        "text": "It enters into force 90 days after the deposit of the instrument that brings the count of "
        "ratifications, acceptances, approvals and accessions to 40. An instrument deposited by a regional "
        "economic integration organization, such as the European Union, does not count toward the 40. For a "
        "State that deposits later, it enters into force 30 days after that deposit, or on the general date if "
        "that is later. Confirmed by the tracker's staff from the treaty's final clauses.",
        "threshold": 40,
        "delay_days": 90,
        "delay_months": 0,
        "reio_counts": False,
        "later_party_delay_days": 30,
        "later_party_delay_months": 0,
        "group": None,
        "weight": None,
        "date_override": None,
    },
    "status": TREATY_STATUS_NOW,
    "last_checked_at": "2026-02-10T09:50:02.114000Z",
    "last_success_at": "2026-02-10T09:50:02.114000Z",
    "last_change_at": "2026-02-10T09:50:01.873000Z",
    "source_url": "https://treaties.un.org/doc/Publication/MTDSG/Volume%20II/Chapter%20XVIII/XVIII-16.en.xml",
    "participants_url": f"{SITE}/api/v1/treaties/XVIII-16/participants/",
    "page_url": f"{SITE}/treaties/XVIII-16/",
}
TREATY_IN_FORCE = {
    **TREATY,
    "status": {
        **TREATY_STATUS_NOW,
        "parties": 41,
        "counted": 40,
        "needed": 0,
        "threshold_reached_on": "2027-01-20",
        "entry_into_force": "2027-04-20",
        "entry_into_force_source": "rule",
    },
}
TREATY_RULE_NOT_KNOWN = {
    **TREATY,
    "mtdsg": "XXVII-7-d",
    "chapter": "XXVII",
    "title": "Paris Agreement",
    "short_title": "",
    "conclusion_place": "Paris",
    "conclusion_date": "2015-12-12",
    "signature_deadline": None,
    "rule": {
        "known": False,
        "basis": None,
        "kind": None,
        "text": "The tracker has not confirmed this treaty's entry-into-force rule, so it counts nothing toward a "
        "threshold: the figures and dates here are those of the UN Treaty Collection.",
        "threshold": None,
        "delay_days": None,
        "delay_months": None,
        "reio_counts": None,
        "later_party_delay_days": None,
        "later_party_delay_months": None,
        "group": None,
        "weight": None,
        "date_override": None,
    },
    "status": {
        "signatories": 195,
        "parties": 173,
        "counted": None,
        "threshold": None,
        "needed": None,
        "reio_parties_not_counted": 0,
        "threshold_reached_on": None,
        "entry_into_force": "2016-11-04",
        "entry_into_force_source": "untc",
        "provisional_entry_into_force": None,
    },
    "source_url": "https://treaties.un.org/doc/Publication/MTDSG/Volume%20II/Chapter%20XXVII/XXVII-7-d.en.xml",
    "participants_url": f"{SITE}/api/v1/treaties/XXVII-7-d/participants/",
    "page_url": f"{SITE}/treaties/XXVII-7-d/",
}

TREATY_EXAMPLES = [
    OpenApiExample("Counting instruments", value=TREATY, summary="12 of the 40 needed instruments counted"),
    OpenApiExample(
        "Threshold reached",
        value=TREATY_IN_FORCE,
        summary="Illustration: the 40th counted instrument deposited, entry into force computed",
    ),
    OpenApiExample(
        "Rule not known",
        value=TREATY_RULE_NOT_KNOWN,
        summary="A treaty whose rule nobody confirmed: UNTC's figures and declared date, no counts",
    ),
]


def _brief(kind: str, date: str, **extra) -> dict:
    return {
        "kind": kind,
        "date": date,
        "marker": "",
        "label": kind.capitalize(),
        "footnotes": [],
        "withdrawn": False,
        "origin": "source",
        "updated_at": "2026-02-10T09:50:01.873000Z",
        **extra,
    }


FRANCE_SIGNATURE = _brief("signature", "2025-10-25")
FRANCE_RATIFICATION = _brief("ratification", "2026-02-10")
PARTICIPANT_EXAMPLES = [
    OpenApiExample(
        "Counted party",
        value={
            "code": "FRA",
            "name": "France",
            "is_reio": False,
            "status": "counted",
            "entry_into_force": None,
            "footnotes": [],
            "signature": FRANCE_SIGNATURE,
            "instrument": FRANCE_RATIFICATION,
            "actions": [FRANCE_SIGNATURE, FRANCE_RATIFICATION],
            "reported_stages": [
                {
                    "stage": "approved",
                    "label": "",
                    "date": "2026-01-20",
                    "source_url": "https://www.assemblee-nationale.fr/dyn/17/dossiers/cybercriminalite",
                    "source_host": "assemblee-nationale.fr",
                    "note": "",
                    "pending": False,
                }
            ],
        },
        summary="France, whose ratification counts toward the 40",
    ),
    OpenApiExample(
        "Party not counted",
        value={
            "code": "EUU",
            "name": "European Union",
            "is_reio": True,
            "status": "party",
            "entry_into_force": None,
            "footnotes": [2],
            "signature": _brief("signature", "2025-10-25"),
            "instrument": _brief("approval", "2026-01-15", marker="AA"),
            "actions": [_brief("signature", "2025-10-25"), _brief("approval", "2026-01-15", marker="AA")],
            "reported_stages": [],
        },
        summary="The European Union: a party whose instrument does not count (article 65(1))",
    ),
    OpenApiExample(
        "Signatory reporting parliamentary approval",
        value={
            "code": "AUT",
            "name": "Austria",
            "is_reio": False,
            "status": "signatory",
            "entry_into_force": None,
            "footnotes": [],
            "signature": _brief("signature", "2025-10-25"),
            "instrument": None,
            "actions": [_brief("signature", "2025-10-25")],
            "reported_stages": [
                {
                    "stage": "approved",
                    "label": "",
                    "date": "2026-03-12",
                    "source_url": "https://www.parlament.gv.at/gegenstand/XXVIII/I/123",
                    "source_host": "parlament.gv.at",
                    "note": "Nationalrat, unanimous",
                    "pending": True,
                }
            ],
        },
        summary="Austria: its parliament approved, reported by parlament.gv.at; not yet deposited with the UN",
    ),
]

ACTION_EXAMPLES = [
    OpenApiExample(
        "Ratification",
        value={
            "treaty": "XVIII-16",
            "participant": "FRA",
            "participant_name": "France",
            "kind": "ratification",
            "date": "2026-02-10",
            "marker": "",
            "label": "Ratification",
            "footnotes": [],
            "withdrawn": False,
            "is_instrument": True,
            "counts_toward_threshold": True,
            "origin": "source",
            "provenance": "",
            "created_at": "2026-02-10T09:50:01.873000Z",
            "updated_at": "2026-02-10T09:50:01.873000Z",
        },
    ),
    OpenApiExample(
        "Signature",
        value={
            "treaty": "XVIII-16",
            "participant": "MLI",
            "participant_name": "Mali",
            "kind": "signature",
            "date": "2025-10-26",
            "marker": "",
            "label": "Signature",
            "footnotes": [],
            "withdrawn": False,
            "is_instrument": False,
            "counts_toward_threshold": False,
            "origin": "seed",
            "provenance": "untc",
            "created_at": "2025-11-02T12:00:00Z",
            "updated_at": "2025-11-02T12:00:00Z",
        },
    ),
]


def _event(number: int, kind: str, occurred_on: str, data: dict, **extra) -> dict:
    return {
        "id": number,
        "treaty": "XVIII-16",
        "kind": kind,
        "occurred_on": occurred_on,
        "recorded_at": "2026-02-10T09:50:01.873000Z",
        "public": True,
        "participant": None,
        "participant_name": None,
        "action": None,
        "data": data,
        **extra,
    }


FRANCE = {"participant": "FRA", "participant_name": "France", "action": {"kind": "ratification", "date": "2026-02-10"}}
EVENT_EXAMPLES = [
    OpenApiExample(
        "New instrument",
        value=_event(
            57,
            "new_action",
            "2026-02-10",
            {
                "action_kind": "ratification",
                "date": "2026-02-10",
                "counted": 12,
                "threshold": 40,
                "counts_toward_threshold": True,
            },
            **FRANCE,
        ),
        summary="new_action: data has the kind, date and the count after it",
    ),
    OpenApiExample(
        "Threshold reached",
        value=_event(
            91, "threshold_reached", "2027-01-20", {"entry_into_force": "2027-04-20", "counted": 40, "threshold": 40}
        ),
        summary="threshold_reached: the instrument that reached it, and the computed date",
    ),
    OpenApiExample(
        "Entered into force",
        value=_event(92, "entered_into_force", "2027-04-20", {"entry_into_force": "2027-04-20"}),
    ),
    OpenApiExample(
        "Withdrawal",
        value=_event(
            60, "withdrawal", "2026-03-01", {"action_kind": "signature"}, participant="MLI", participant_name="Mali"
        ),
    ),
    OpenApiExample(
        "National step reported",
        value=_event(
            70,
            "stage_reported",
            "2026-03-12",
            {
                "stage_id": 4,
                "stage_kind": "approved",
                "stage_label": "",
                "source_url": "https://www.parlament.gv.at/gegenstand/XXVIII/I/123",
                "source_host": "parlament.gv.at",
                "date": "2026-03-12",
            },
            participant="AUT",
            participant_name="Austria",
        ),
        summary="stage_reported: a step a national source reports (not a UN action), with its source",
    ),
    OpenApiExample(
        "Correction (staff only)",
        value=_event(
            61, "correction", "2026-02-10", {"field": "date", "old": "2026-02-09", "new": "2026-02-10"}, public=False
        ),
        summary="correction and rename events are listed for staff only",
    ),
]

POLL_RUN_EXAMPLES = [
    OpenApiExample(
        "A poll that found a new instrument",
        value={
            "id": 812,
            "treaty": "XVIII-16",
            "started_at": "2026-02-10T09:50:00.020000Z",
            "finished_at": "2026-02-10T09:50:02.114000Z",
            "outcome": "changed",
            "slot": "2026-02-10T09:50:00Z",
            "http_status": 200,
            "bytes_received": 48213,
            "content_hash": "9f2c1d0e5b7a4c3e8d6f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d",
            "etag": '"5e1f-64a"',
            "last_modified": "Tue, 10 Feb 2026 09:41:12 GMT",
            "signatories": 72,
            "parties": 13,
            "participants_seen": 73,
            "new_actions": 1,
            "corrections": 0,
            "summary": {"new": [{"participant": "FRA", "kind": "ratification", "date": "2026-02-10"}]},
            "error": "",
        },
    )
]
