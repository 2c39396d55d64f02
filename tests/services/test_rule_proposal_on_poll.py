"""A poll that reads a new entry-into-force text keeps the rule it proposes, for staff."""

from __future__ import annotations

import pytest

from ratification.models import Treaty
from ratification.services.polling import poll_treaty
from tests.support.untc_files import hanoi_file, hanoi_rows

pytestmark = pytest.mark.django_db


class ProposalOnPollTests:
    def test_the_first_read_stores_the_proposal_and_an_unchanged_text_is_not_read_again(self, treaty):
        poll_treaty(treaty=treaty, content=hanoi_file(hanoi_rows()))
        treaty = Treaty.objects.get(pk=treaty.pk)
        proposal = treaty.rule_proposal
        assert proposal["article"] == "article 65(1)"
        assert (proposal["rule"]["threshold"], proposal["rule"]["reio_counts"]) == (40, False)
        assert proposal["declared"] is None and proposal["agrees"] is False
        assert proposal["eif_text"] == treaty.eif_text
        # The rule staff set is untouched: a proposal waits for them.
        assert (treaty.eif_threshold, treaty.later_party_delay_days) == (40, 30)
        history = treaty.history.count()
        poll_treaty(treaty=treaty, content=hanoi_file([*hanoi_rows()[:-1]]))
        assert Treaty.objects.get(pk=treaty.pk).rule_proposal == proposal
        assert treaty.history.count() <= history + 1


class MilestoneUnderEveryKindTests:
    def test_the_threshold_event_waits_for_the_weight_not_only_the_count(self, treaty):
        from ratification.models import Event, EventKind
        from tests.support.untc_files import with_instruments

        Treaty.objects.filter(pk=treaty.pk).update(
            eif_rule_kind="weight", eif_threshold=2, eif_delay_days=30, reio_counts=True,
            eif_weights={"GHA": 30.0, "FRA": 25.0, "NGA": 1.0}, eif_weight_percent=50,
        )  # fmt: skip
        treaty = Treaty.objects.get(pk=treaty.pk)
        rows = hanoi_rows()
        names = {row.name for row in rows}
        assert {"Ghana", "France"} <= names
        # Two instruments, but 31% held: the count is reached, the rule is not.
        poll_treaty(treaty=treaty, content=hanoi_file(with_instruments(rows, {"Ghana": "10 Feb 2026"})))
        first_two = with_instruments(rows, {"Ghana": "10 Feb 2026", "Nigeria": "11 Feb 2026"})
        poll_treaty(treaty=treaty, content=hanoi_file(first_two))
        assert not Event.objects.filter(treaty=treaty, kind=EventKind.THRESHOLD_REACHED).exists()
        all_three = with_instruments(rows, {"Ghana": "10 Feb 2026", "Nigeria": "11 Feb 2026", "France": "1 Mar 2026"})
        poll_treaty(treaty=treaty, content=hanoi_file(all_three))
        milestone = Event.objects.get(treaty=treaty, kind=EventKind.THRESHOLD_REACHED)
        assert milestone.occurred_on.isoformat() == "2026-03-01"
        assert milestone.data["entry_into_force"] == "2026-03-31"
        assert milestone.participant.code == "FRA"
