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
