"""Statements in the alerts: only for subscriptions that chose them (off by default), chosen in SQL
as they are filtered in Python; webhooks of scope `everything` and chat channels get them too."""

from __future__ import annotations

import datetime
import json

import pytest

from alerts.models import SUBSCRIPTION_SCOPES, Alert, Scope
from alerts.selectors import alert_recipients
from alerts.services.chat import chat_message
from alerts.services.subscriptions import subscription_preferences_update
from alerts.services.webhooks import webhook_body
from alerts.topics import events_for
from ratification.models import EventKind
from tests.alerts.world import Change, instrument, record, subscribe

pytestmark = pytest.mark.django_db


def objection(name: str = "Germany", other: str = "France", code: str = "FRA") -> Change:
    data = {
        "section": "objections",
        "kinds": ["objection"],
        "articles": ["22"],
        "answers": [{"name": other, "kind": "reservation", "code": code}],
        "statement_kinds": ["objection"],
        "date": "2026-04-02",
    }
    return Change(EventKind.STATEMENT_MADE, name, None, datetime.date(2026, 4, 2), data)


def recipients(alert: Alert) -> set[str]:
    return set(alert.deliveries.values_list("subscription__subscriber__email", flat=True))


class StatementRecipientsTests:
    def test_only_subscriptions_that_chose_statements_hear_of_them(self, treaty):
        subscribe("instruments@example.org", treaty)
        subscribe("milestones@example.org", treaty, scope=Scope.MILESTONES)
        chose = subscribe("statements@example.org", treaty, scope=Scope.MILESTONES)
        chose.statements = True
        chose.save()
        record(treaty, objection())
        assert recipients(Alert.objects.get()) == {"statements@example.org"}

    def test_it_chooses_recipients_in_sql_as_it_filters_events_in_python(self, treaty):
        subscriptions = []
        for scope, _label in SUBSCRIPTION_SCOPES:
            for statements in (False, True):
                for codes in [(), ("DEU",), ("FRA",)]:
                    subscription = subscribe(
                        f"{scope}-{statements}-{'-'.join(codes) or 'all'}@example.org", treaty, scope=scope, codes=codes
                    )
                    subscription.statements = statements
                    subscription.save()
                    subscriptions.append(subscription)
        for changes in ([objection()], [objection(), instrument("France")], [instrument("Ghana")]):
            events = record(treaty, *changes)
            in_sql = set(alert_recipients(treaty=treaty, events=events).values_list("pk", flat=True))
            assert in_sql == {s.pk for s in subscriptions if events_for(s, events)}, changes

    def test_the_preference_is_kept_when_a_reader_changes_what_they_receive(self, treaty):
        subscription = subscribe("ada@example.org", treaty)
        subscription_preferences_update(subscription=subscription, scope=Scope.INSTRUMENTS, participant_codes=(),
                                        statements=True)  # fmt: skip
        subscription.refresh_from_db()
        assert subscription.statements is True


class StatementChannelTests:
    def test_a_webhook_says_what_the_statement_change_is_about(self, treaty):
        [event] = record(treaty, objection())
        alert = Alert.objects.get()
        body = json.loads(webhook_body(alert, [event]))
        assert body["type"] == "treaty.statement.recorded"
        assert body["data"]["headline"] == "Germany objected to France's reservation"
        statement = body["data"]["statement"]
        assert statement["change"] == "made" and statement["kinds"] == ["objection"]
        assert statement["answers"] == [{"name": "France", "kind": "reservation", "code": "FRA"}]
        assert statement["text_url"].endswith(f"/events/{event.pk}/")
        assert statement["source_file_url"] is None  # a poll run with no archived file
        [action] = record(treaty, instrument("Ghana"))
        assert json.loads(webhook_body(Alert.objects.latest("pk"), [action]))["data"]["statement"] is None

    def test_the_scope_everything_receives_statements_and_instruments_does_not(self, treaty):
        [event] = record(treaty, objection())

        class Endpoint:
            participant_codes = frozenset()
            stages = statements = False

            def __init__(self, scope: str) -> None:
                self.scope = scope

        assert events_for(Endpoint(Scope.EVERYTHING), [event]) == [event]
        assert events_for(Endpoint(Scope.INSTRUMENTS), [event]) == []

    def test_a_chat_message_about_one_statement_links_its_full_text(self, treaty):
        [event] = record(treaty, objection())
        title, body = chat_message(Alert.objects.get(), [event], "fr")
        assert title == "Germany a fait objection à la réserve de France"
        assert body.endswith(f"/events/{event.pk}/")
