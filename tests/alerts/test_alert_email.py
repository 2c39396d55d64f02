"""What an alert says: the headline in the subject, every event in the body, the links, the headers."""

from __future__ import annotations

import email

import pytest
from django.core import mail

from alerts.models import Delivery, Scope
from alerts.services.delivery import deliveries_send
from ratification.models import Participant
from tests.alerts.world import (
    entered_into_force,
    instrument,
    record,
    signature,
    subscribe,
    threshold_reached,
    withdrawal,
)
from tests.support.outbox import outbox_send

pytestmark = pytest.mark.django_db


def alert_for(email: str):
    deliveries_send(delivery_ids=list(Delivery.objects.values_list("pk", flat=True)))
    [message] = [m for m in mail.outbox if m.to == [email]]
    return message


def html(message) -> str:
    [(body, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return body


class HeadlineTests:
    @pytest.mark.parametrize(
        ("change", "subject"),
        [
            (instrument("Ghana", counted=12), "Ghana ratified the UN Convention against Cybercrime: 12 of 40"),
            (instrument("Ghana", "accession"), "Ghana acceded to the UN Convention against Cybercrime: 12 of 40"),
            (instrument("Ghana", "acceptance"), "Ghana accepted the UN Convention against Cybercrime: 12 of 40"),
            (instrument("Ghana", "approval"), "Ghana approved the UN Convention against Cybercrime: 12 of 40"),
            (instrument("Ghana", counted=45), "Ghana ratified the UN Convention against Cybercrime: 45 instruments"),
            (
                threshold_reached("Ghana", eif="2027-01-20"),
                "40 of 40: the UN Convention against Cybercrime enters into force on Jan. 20, 2027",
            ),
            (
                entered_into_force(on="2027-01-20"),
                "The UN Convention against Cybercrime entered into force on Jan. 20, 2027",
            ),
            (withdrawal("Ghana"), "Ghana withdrew its ratification of the UN Convention against Cybercrime"),
        ],
        ids=[
            "ratification",
            "accession",
            "acceptance",
            "approval",
            "after-threshold",
            "threshold",
            "in-force",
            "withdrawal",
        ],
    )
    def test_it_puts_the_headline_in_the_subject(self, treaty, change, subject):
        subscribe("ada@example.org", treaty)
        record(treaty, change)
        assert alert_for("ada@example.org").subject == subject

    def test_it_lists_every_instrument_of_one_poll_in_one_email(self, treaty):
        subscribe("ada@example.org", treaty)
        record(
            treaty, instrument("Ghana", counted=12), instrument("France", counted=13), instrument("Chile", counted=14)
        )
        message = alert_for("ada@example.org")
        assert message.subject == "3 new instruments for the UN Convention against Cybercrime: 14 of 40"
        for name in ["Ghana ratified", "France ratified", "Chile ratified"]:
            assert name in message.body
        assert len(mail.outbox) == 1

    def test_it_lets_the_milestone_beat_the_instruments_in_the_subject(self, treaty):
        subscribe("ada@example.org", treaty)
        record(treaty, instrument("France", counted=39), threshold_reached("Ghana"))
        message = alert_for("ada@example.org")
        assert message.subject.endswith("enters into force on Jan. 20, 2027")
        assert "France ratified" in message.body

    def test_it_tells_a_signatures_subscriber_about_a_signature(self, treaty):
        subscribe("ada@example.org", treaty, scope=Scope.SIGNATURES)
        record(treaty, signature("Iceland"))
        assert alert_for("ada@example.org").subject == "Iceland signed the UN Convention against Cybercrime"

    def test_it_says_when_an_instrument_does_not_count(self, treaty):
        subscribe("ada@example.org", treaty)
        record(treaty, instrument("European Union", "approval", counted=12, counts_toward_threshold=False))
        message = alert_for("ada@example.org")
        assert "Not counted toward the threshold" in message.body

    def test_it_shows_a_filtered_subscriber_only_their_participants(self, treaty):
        subscribe("ada@example.org", treaty, codes=("FRA",))
        record(treaty, instrument("Ghana", counted=12), instrument("France", counted=13))
        message = alert_for("ada@example.org")
        assert message.subject == "France ratified the UN Convention against Cybercrime: 13 of 40"
        assert "Ghana" not in message.body


class BodyTests:
    def test_it_links_the_status_page_the_untc_source_and_the_preferences(self, treaty):
        subscription = subscribe("ada@example.org", treaty)
        record(treaty, instrument("Ghana"))
        message = alert_for("ada@example.org")
        for body in (message.body, html(message)):
            assert "http://testserver/treaties/XVIII-16/" in body
            assert "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY" in body
            assert "mtdsg_no=XVIII-16" in body and "chapter=18" in body
            assert f"http://testserver/u/{subscription.key}:" in body
        assert "Feb. 10, 2026" in message.body
        assert "Instruments counted: 12 of 40." in message.body

    def test_it_carries_the_one_click_unsubscribe_headers(self, treaty):
        subscription = subscribe("ada@example.org", treaty)
        record(treaty, instrument("Ghana"))
        message = alert_for("ada@example.org")
        assert message.extra_headers["List-Unsubscribe"].startswith(f"<http://testserver/u/{subscription.key}:")
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    def test_it_gives_each_subscriber_their_own_link(self, treaty):
        first, second = subscribe("ada@example.org", treaty), subscribe("bo@example.org", treaty)
        record(treaty, instrument("Ghana"))
        assert first.key in alert_for("ada@example.org").body
        assert second.key in next(m for m in mail.outbox if m.to == ["bo@example.org"]).body
        assert second.key not in alert_for("ada@example.org").body

    def test_it_escapes_scraped_text_in_the_html_body(self, treaty):
        Participant.objects.create(code="XSS", name="<script>alert(1)</script>")
        subscribe("ada@example.org", treaty)
        record(treaty, instrument("<script>alert(1)</script>"))
        body = html(alert_for("ada@example.org"))
        assert "<script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body

    def test_it_writes_dates_in_the_subscriber_language(self, treaty):
        subscribe("ada@example.org", treaty, language="fr")
        record(treaty, instrument("Ghana", on="2026-02-10"))
        assert "10 février 2026" in alert_for("ada@example.org").body


class LanguageTests:
    """Every e-mail speaks its reader's language, dates included, as the pages do."""

    @pytest.mark.parametrize(
        ("language", "date"),
        [("cs", "16. listopadu 2026"), ("fr", "16 novembre 2026"), ("en", "Nov. 16, 2026")],
    )
    def test_the_alert_declares_its_language_and_writes_dates_as_the_pages_do(self, treaty, language, date):
        subscribe("ada@example.org", treaty, language=language)
        record(treaty, instrument("Ghana", on="2026-11-16"))
        message = alert_for("ada@example.org")
        assert f'<html lang="{language}">' in html(message)
        assert f"{date}: " in message.body
        assert f">{date}</time>" in html(message)

    def test_the_confirmation_declares_its_language(self, treaty):
        from alerts.emails import confirmation_message

        message = confirmation_message(subscribe("ada@example.org", treaty, status="pending", language="cs"))
        assert '<html lang="cs">' in html(message)


class SiteHostTests:
    """Mail headers name this site (SITE_URL's host), not the machine that sent them."""

    def test_an_alert_has_its_message_id_and_list_id_on_the_sites_host(self, treaty, settings):
        settings.SITE_URL = "https://tracker.example.org"
        subscribe("ada@example.org", treaty)
        record(treaty, instrument("Ghana"))
        headers = email.message_from_bytes(alert_for("ada@example.org").message().as_bytes())
        assert headers["Message-ID"].endswith("@tracker.example.org>")
        assert headers["List-Id"] == "<xviii-16.alerts.tracker.example.org>"
        assert headers["List-Unsubscribe"].startswith("<https://tracker.example.org/u/")

    def test_sign_up_and_staff_mail_have_their_message_ids_on_the_sites_host(self, treaty, settings):
        from alerts.emails import confirmation_message
        from ratification.services.staff_alerts import source_recovered

        settings.SITE_URL, settings.STAFF_ALERT_EMAILS = "https://tracker.example.org", ["ops@example.org"]
        confirmation = confirmation_message(subscribe("ada@example.org", treaty, status="pending"))
        source_recovered(treaty=treaty)
        outbox_send()
        [staff_mail] = mail.outbox
        for message in (confirmation, staff_mail):
            headers = email.message_from_bytes(message.message().as_bytes())
            assert headers["Message-ID"].endswith("@tracker.example.org>")
