"""Migration 0014: XVIII-16's rule is kept and marked known; no other treaty keeps the 40 / 90 days /
REIO-not-counted defaults it carried, nor the counts and milestones computed from them."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("ratification", "0013_mtdsg_grammar")]
AFTER = [("ratification", "0014_rule_knowledge_and_declared_dates")]
DEFAULTS = {"eif_threshold": 40, "eif_delay_days": 90, "reio_counts": False, "later_party_delay_days": 30}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_what_was_known_is_kept_and_the_borrowed_rule_is_gone():
    apps = migrate(BEFORE)
    Treaty = apps.get_model("ratification", "Treaty")
    Event = apps.get_model("ratification", "Event")
    Participant = apps.get_model("ratification", "Participant")

    def treaty(mtdsg: str, **fields):
        return Treaty.objects.create(mtdsg=mtdsg, chapter=mtdsg.split("-")[0], title=mtdsg, xml_path="x", **fields)

    try:
        hanoi = treaty("XVIII-16", **DEFAULTS)
        kyoto = treaty(
            "XXVII-7-a",
            **DEFAULTS,
            eif_label="Entry into force",
            eif_text="16 February 2005, in accordance with article 25(1).",
            eif_date_override=datetime.date(2005, 2, 16),
        )
        cocoa = treaty(
            "XIX-38",
            **DEFAULTS,
            eif_label="Entry into force",
            eif_text="provisionally on 22 February 1994, in accordance with article 56.",
        )
        rotterdam = treaty("XXVII-14", **{**DEFAULTS, "eif_threshold": 50}, rule_proposal={"confirmed": "article 26"})
        hague = treaty("X-13", **{**DEFAULTS, "eif_threshold": 5, "eif_rule_kind": "month_following"})
        ghana = Participant.objects.create(code="GHA", name="Ghana")
        counted = {"counted": 41, "threshold": 40, "counts_toward_threshold": True}
        Event.objects.create(treaty=kyoto, kind="new_action", participant=ghana, occurred_on="2002-05-30", data=counted)
        Event.objects.create(treaty=kyoto, kind="threshold_reached", occurred_on="2002-05-30", data=counted)
        Event.objects.create(treaty=hanoi, kind="new_action", participant=ghana, occurred_on="2026-02-10", data=counted)

        apps = migrate(AFTER)
        Treaty = apps.get_model("ratification", "Treaty")
        Event = apps.get_model("ratification", "Event")
        known = {t.mtdsg: t.rule_basis for t in Treaty.objects.all()}
        assert known == {
            "XVIII-16": "confirmed",
            "XXVII-14": "confirmed",
            "X-13": "confirmed",
            "XXVII-7-a": "",
            "XIX-38": "",
        }
        hanoi = Treaty.objects.get(mtdsg="XVIII-16")
        assert (hanoi.eif_threshold, hanoi.eif_delay_days, hanoi.reio_counts, hanoi.later_party_delay_days) == (
            40,
            90,
            False,
            30,
        )
        kyoto = Treaty.objects.get(mtdsg="XXVII-7-a")
        assert (kyoto.eif_threshold, kyoto.eif_delay_days, kyoto.reio_counts, kyoto.later_party_delay_days) == (
            None,
            None,
            None,
            None,
        )
        # UNTC's date, read from the stored text, stands; the copy `track` set by hand is cleared.
        assert (kyoto.declared_entry_into_force, kyoto.eif_date_override) == (datetime.date(2005, 2, 16), None)
        cocoa = Treaty.objects.get(mtdsg="XIX-38")
        assert (cocoa.declared_provisional_entry_into_force, cocoa.declared_entry_into_force) == (
            datetime.date(1994, 2, 22),
            None,
        )
        assert Treaty.objects.get(mtdsg="XXVII-14").eif_threshold == 50
        assert not Event.objects.filter(treaty__mtdsg="XXVII-7-a", kind="threshold_reached").exists()
        [event] = Event.objects.filter(treaty__mtdsg="XXVII-7-a", kind="new_action")
        assert (event.data["counted"], event.data["threshold"], event.data["counts_toward_threshold"]) == (
            None,
            None,
            None,
        )
        assert Event.objects.get(treaty__mtdsg="XVIII-16").data["counted"] == 41
        assert rotterdam.pk and hague.pk and cocoa.pk
    finally:
        migrate(executor_leaves())


def executor_leaves():
    """Every app at its latest migration, as the rest of the suite expects."""
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
