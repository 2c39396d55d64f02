"""The proposed rule in the admin: shown as "proposed from article 65(1)" until staff confirm it;
the other kinds of rule as staff edit them (a group typed as codes, weights uploaded as CSV)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ratification import rule_selectors, selectors
from ratification.models import Treaty
from ratification.services.rule_proposals import rule_proposal_refresh
from scrapers.untc import parse_status
from tests.admin.test_treaties import change_url, edit
from tests.support.untc_files import PARIS, XVIII_16

pytestmark = pytest.mark.django_db


def propose(treaty: Treaty, path=XVIII_16) -> Treaty:
    """What a poll of this file leaves on the treaty (ratification/services/reconcile.py)."""
    rule_proposal_refresh(treaty=treaty, status=parse_status(path.read_bytes()))
    treaty.save()
    return Treaty.objects.get(pk=treaty.pk)


def confirm_url(treaty: Treaty) -> str:
    return reverse("admin:ratification_treaty_confirm_rule", args=[treaty.pk])


class ProposedRuleTests:
    def test_a_proposal_the_rule_already_follows_says_so(self, staff, treaty):
        propose(treaty)
        page = staff.get(change_url(treaty)).content.decode()
        assert "Proposed from article 65(1)" in page
        assert "The rule in force already says the same." in page
        assert confirm_url(treaty) not in page

    def test_staff_confirm_a_proposal_with_a_reason_and_it_applies(self, staff, staff_user, treaty):
        Treaty.objects.filter(pk=treaty.pk).update(eif_threshold=41, reio_counts=True)
        treaty = propose(Treaty.objects.get(pk=treaty.pk))
        version = treaty.data_version
        assert confirm_url(treaty) in staff.get(change_url(treaty)).content.decode()
        page = staff.get(confirm_url(treaty)).content.decode()
        assert "What confirming changes" in page
        refused = staff.post(confirm_url(treaty), {"reason": ""})
        assert refused.status_code == 200
        assert Treaty.objects.get(pk=treaty.pk).eif_threshold == 41
        response = staff.post(confirm_url(treaty), {"reason": "Article 65(1) re-read against the C.N."})
        assert response.status_code == 302
        treaty = Treaty.objects.get(pk=treaty.pk)
        assert (treaty.eif_threshold, treaty.reio_counts, treaty.later_party_delay_days) == (40, False, 30)
        assert treaty.data_version > version
        record = treaty.history.first()
        assert (record.history_user, record.history_change_reason) == (
            staff_user,
            "Article 65(1) re-read against the C.N. (rule proposed from article 65(1) confirmed)",
        )
        assert "was confirmed" in staff.get(change_url(treaty)).content.decode()

    def test_no_rule_proposed_says_why(self, staff, treaty):
        propose(treaty, PARIS)
        page = staff.get(change_url(treaty)).content.decode()
        assert "No rule proposed: the condition is a share of a weight" in page
        assert staff.post(confirm_url(treaty), {"reason": "why not"}).status_code == 200  # refused, shown
        assert Treaty.objects.get(pk=treaty.pk).eif_rule_kind == "count"


class RuleKindEditTests:
    def test_a_weight_rule_with_its_table_uploaded_and_cited(self, staff, treaty):
        table = SimpleUploadedFile("shares.csv", b"code,share\nCHN,20.09\nUSA,17.89\nEUU,12.10\n", "text/csv")
        response = edit(
            staff,
            treaty,
            eif_rule_kind="weight",
            eif_threshold="55",
            eif_delay_days="30",
            eif_weight_name="global greenhouse gas emissions",
            eif_weight_percent="55",
            eif_weights_source="UNFCCC, information on emissions for the purpose of article 21",
            weights_csv=table,
            reason="Paris rule, article 21(1)",
        )
        assert response.status_code == 302, response.context["adminform"].form.errors
        treaty = Treaty.objects.get(pk=treaty.pk)
        assert treaty.eif_weights == {"CHN": 20.09, "USA": 17.89, "EUU": 12.10}
        assert rule_selectors.treaty_rule(treaty=treaty).weight_percent == 55.0
        assert "3 participants, 50.08% in all" in staff.get(change_url(treaty)).content.decode()

    def test_weights_without_a_source_or_with_a_bad_line_are_refused(self, staff, treaty):
        table = SimpleUploadedFile("shares.csv", b"CHN,20.09\n", "text/csv")
        response = edit(staff, treaty, eif_rule_kind="weight", weights_csv=table, reason="x")
        assert "Cite where the weights come from." in response.content.decode()
        bad = SimpleUploadedFile("shares.csv", b"CHN,20.09\nUSA,lots\n", "text/csv")
        response = edit(staff, treaty, eif_rule_kind="weight", weights_csv=bad, eif_weights_source="s", reason="x")
        assert "Line 2: lots is not a number." in response.content.decode()
        assert Treaty.objects.get(pk=treaty.pk).eif_weights == {}

    def test_a_group_typed_as_codes(self, staff, treaty):
        response = edit(
            staff,
            treaty,
            eif_rule_kind="group",
            eif_group_name="the States of Annex 2",
            eif_group_codes="usa, chn ind",
            eif_group_threshold="3",
            reason="group rule",
        )
        assert response.status_code == 302
        treaty = Treaty.objects.get(pk=treaty.pk)
        assert (treaty.eif_group_codes, treaty.eif_group_threshold) == (["CHN", "IND", "USA"], 3)
        assert edit(staff, treaty, eif_group_codes="US, CHN", reason="x").status_code == 200  # not a code

    def test_a_date_set_by_hand_still_replaces_the_computed_one(self, staff, treaty):
        response = edit(staff, treaty, eif_date_override="2030-01-01", reason="set by hand")
        assert response.status_code == 302
        treaty = Treaty.objects.get(pk=treaty.pk)
        assert selectors.treaty_summary(treaty=treaty).entry_into_force_on == datetime.date(2030, 1, 1)
