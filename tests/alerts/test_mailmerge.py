"""An alert rendered once and merged per recipient reads exactly as one built for them alone."""

from __future__ import annotations

import email
import email.policy

import pytest

from alerts import emails, tokens
from alerts.mailmerge import AlertMessages, MergedEmail
from alerts.models import Alert
from tests.alerts.world import instrument, record, subscribe

pytestmark = pytest.mark.django_db


def parsed(data: bytes):
    return email.message_from_bytes(data, policy=email.policy.default)


def bodies(message) -> tuple[str, str]:
    return (
        message.get_body(preferencelist=("plain",)).get_content(),
        message.get_body(preferencelist=("html",)).get_content(),
    )


class MailMergeTests:
    def test_it_merges_the_same_message_a_full_build_would_give(self, treaty):
        first, second = subscribe("ada@example.org", treaty), subscribe("bo@example.org", treaty)
        record(treaty, instrument("Ghana"))
        alert = Alert.objects.get()
        messages = AlertMessages()
        merged = [messages.message(alert, subscription) for subscription in (first, second)]
        assert all(isinstance(message, MergedEmail) for message in merged)

        for subscription, message in zip((first, second), merged, strict=True):
            got = parsed(message.message().as_bytes(linesep="\r\n"))
            full = emails.build(
                (message.subject, message.body, message.alternatives[0][0]),
                to=[subscription.subscriber.email],
                headers=message.extra_headers,
            )
            want = parsed(full.message().as_bytes(linesep="\r\n"))
            for header in ("Subject", "From", "To", "List-Unsubscribe", "List-Unsubscribe-Post", "List-Id"):
                assert got[header].strip() == want[header].strip(), header  # folding may differ
            assert bodies(got) == bodies(want)
            assert tokens.manage_url(subscription) in bodies(got)[0]
        ids = {parsed(m.message().as_bytes())["Message-ID"] for m in merged}
        assert len(ids) == 2

    def test_it_builds_the_whole_message_for_an_address_it_cannot_merge(self, treaty):
        subscription = subscribe("zoë@example.org", treaty)
        record(treaty, instrument("Ghana"))
        message = AlertMessages().message(Alert.objects.get(), subscription)
        assert not isinstance(message, MergedEmail)
        assert tokens.manage_url(subscription) in message.body
