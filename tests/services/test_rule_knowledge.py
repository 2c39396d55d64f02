"""Say only what is known (issue 21): a rule nobody confirmed drives no count, no milestone, no
alert of one; UNTC's dates stand; a known rule that disagrees with them goes to staff."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from alerts import content
from alerts.models import Alert, Delivery
from alerts.services.delivery import deliveries_send
from alerts.services.webhooks import webhook_payload
from ratification import selectors
from ratification.models import EventKind, ReviewItem, ReviewKind, RuleBasis, Treaty
from ratification.services.events import entry_into_force_record
from ratification.services.polling import poll_treaty
from ratification.services.rule_checks import eif_disagreement_check
from tests.alerts.world import subscribe
from tests.support.http_server import ok
from tests.support.untc_files import URL_PATH, hanoi_file, hanoi_rows, with_instruments
from tests.views.conftest import deposit

pytestmark = pytest.mark.django_db
D = datetime.date
UNKNOWN = {"rule_basis": RuleBasis.UNKNOWN, "eif_threshold": None, "eif_delay_days": None, "reio_counts": None}


def unknown_rule(treaty: Treaty) -> Treaty:
    """XVIII-16 as if its rule had never been confirmed: any other treaty followed today."""
    Treaty.objects.filter(pk=treaty.pk).update(**UNKNOWN, later_party_delay_days=None)
    return Treaty.objects.get(pk=treaty.pk)


def forty_one_instruments() -> dict[str, str]:
    return {row.name: "2 Mar 2026" for row in hanoi_rows()[:41]}


class UnknownRuleTests:
    def test_its_summary_has_untcs_figures_and_no_counts(self, treaty):
        treaty = unknown_rule(treaty)
        deposit(treaty, "Ghana", D(2026, 2, 10))
        summary = selectors.treaty_summary(treaty=treaty)
        assert (summary.signatories, summary.parties) == (72, 1)
        assert (summary.counted, summary.threshold, summary.needed, summary.threshold_reached_on) == (None,) * 4
        assert (summary.entry_into_force_on, summary.rule_known, summary.counting) == (None, False, False)
        _, rows = selectors.treaty_overview(treaty=treaty)
        assert {row.status for row in rows if row.instrument} == {"party"}
        assert all(row.entry_into_force_on is None for row in rows)

    def test_a_poll_records_instruments_without_counts_and_no_milestone_however_many(
        self, treaty, untc, django_capture_on_commit_callbacks
    ):
        treaty = unknown_rule(treaty)
        untc.routes[URL_PATH] = [ok(hanoi_file(hanoi_rows()))]
        poll_treaty(treaty=treaty)  # the baseline
        subscribe("ada@example.org", treaty)
        body = hanoi_file(with_instruments(hanoi_rows(), forty_one_instruments()))
        untc.routes[URL_PATH] = [ok(body)]
        with django_capture_on_commit_callbacks(execute=True):
            report = poll_treaty(treaty=Treaty.objects.get(pk=treaty.pk))
        kinds = {event.kind for event in report.reconcile.events}
        assert kinds == {EventKind.NEW_ACTION}  # 41 instruments, and no "threshold reached"
        assert all(event.data["counted"] is None for event in report.reconcile.events)
        alert = Alert.objects.get()
        events = list(alert.events.all())
        subject = content.headline(treaty, events)
        assert subject == "41 new instruments for the UN Convention against Cybercrime"  # no "41 of 40"
        payload = webhook_payload(alert, events)
        assert (payload["data"]["counted"], payload["data"]["threshold"]) == (None, None)
        deliveries_send(delivery_ids=list(Delivery.objects.values_list("pk", flat=True)))
        [message] = mail.outbox
        assert "40" not in message.subject and "counted" not in message.body
        assert entry_into_force_record(treaty=treaty, today=D(2030, 1, 1)) is None

    def test_a_date_staff_set_stands_as_staffs(self, treaty):
        treaty = unknown_rule(treaty)
        Treaty.objects.filter(pk=treaty.pk).update(eif_date_override=D(2027, 3, 1))
        summary = selectors.treaty_summary(treaty=Treaty.objects.get(pk=treaty.pk))
        assert (summary.entry_into_force_on, summary.entry_into_force_source) == (D(2027, 3, 1), "staff")
        assert summary.threshold is None


class DeclaredDateTests:
    def test_untcs_date_is_shown_whatever_the_rule_computes_and_the_difference_goes_to_staff(self, client, treaty):
        states = [row.name for row in hanoi_rows() if row.name != "European Union"][:40]
        for index, name in enumerate(states):
            deposit(treaty, name, D(2026, 1, 5) + datetime.timedelta(days=index))
        computed = selectors.treaty_summary(treaty=treaty).entry_into_force_on
        assert computed == D(2026, 2, 13) + datetime.timedelta(days=90)
        Treaty.objects.filter(pk=treaty.pk).update(
            declared_entry_into_force=D(2026, 6, 1), eif_label="Entry into force", data_version=treaty.data_version + 1
        )
        treaty = Treaty.objects.get(pk=treaty.pk)
        summary = selectors.treaty_summary(treaty=treaty)
        assert (summary.entry_into_force_on, summary.entry_into_force_source) == (D(2026, 6, 1), "untc")
        assert summary.rule_entry_into_force_on == computed
        [item] = eif_disagreement_check(treaty=treaty)
        assert item.kind == ReviewKind.EIF_DISAGREEMENT
        assert "UNTC declares entry into force on 01 June 2026" in item.description
        assert eif_disagreement_check(treaty=treaty) == []  # raised once
        page = client.get("/treaties/XVIII-16/").content.decode()
        assert "(as declared by the UN Treaty Collection)" in page
        assert "The rule as recorded gives May 14, 2026" in page
        assert ReviewItem.objects.filter(kind=ReviewKind.EIF_DISAGREEMENT).count() == 1

    def test_a_date_staff_set_stands_and_asks_nobody_to_check_the_rule(self, treaty):
        states = [row.name for row in hanoi_rows() if row.name != "European Union"][:40]
        for index, name in enumerate(states):
            deposit(treaty, name, D(2026, 1, 5) + datetime.timedelta(days=index))
        Treaty.objects.filter(pk=treaty.pk).update(eif_date_override=D(2026, 7, 1))
        summary = selectors.treaty_summary(treaty=Treaty.objects.get(pk=treaty.pk))
        assert (summary.entry_into_force_on, summary.entry_into_force_source) == (D(2026, 7, 1), "staff")
        assert summary.rule_entry_into_force_on is None  # only UNTC's date is checked against the rule
        assert eif_disagreement_check(treaty=Treaty.objects.get(pk=treaty.pk)) == []

    def test_a_provisional_date_alone_is_no_entry_into_force(self, client, treaty):
        treaty = unknown_rule(treaty)
        Treaty.objects.filter(pk=treaty.pk).update(
            declared_provisional_entry_into_force=D(1997, 1, 1), eif_label="Entry into force"
        )
        summary = selectors.treaty_summary(treaty=Treaty.objects.get(pk=treaty.pk))
        assert summary.entry_into_force_on is None
        assert summary.provisional_entry_into_force_on == D(1997, 1, 1)
        assert summary.as_json()["entry_into_force"] is None
        page = client.get("/treaties/XVIII-16/").content.decode()
        assert "Provisionally in force since Jan. 1, 1997" in page
        assert "Provisional entry into force" in page
        badge = client.get("/treaties/XVIII-16/badge.svg").content.decode()
        assert "provisionally in force since Jan. 1, 1997" in badge
        assert timezone.localdate() > D(1997, 1, 1)
