"""Every admin screen opens, and every admin action runs, for every registered model."""

from __future__ import annotations

import datetime
import gzip

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, SolarSchedule

from alerts.models import Alert, Bounce, ChatChannel, Delivery, WebhookEndpoint
from ratification.models import (
    Action,
    Event,
    EventKind,
    PollRun,
    ReviewItem,
    ReviewKind,
    SourceSnapshot,
    Stage,
    StageKind,
    Statement,
)
from tests.alerts.world import subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(treaty, staff_user):
    """At least one row of every model the admin shows."""
    action = Action.objects.filter(treaty=treaty).select_related("participant").first()
    snapshot = SourceSnapshot.objects.create(sha256="a" * 64, size=3, compressed=gzip.compress(b"<x>"))
    run = PollRun.objects.create(
        treaty=treaty, started_at=timezone.now(), finished_at=timezone.now(), outcome="changed", snapshot=snapshot,
        summary={"new": ["Mauritius: signature 2025-11-19"], "events": ["new_action"]},
    )  # fmt: skip
    Event.objects.create(
        treaty=treaty, kind=EventKind.NEW_ACTION, participant=action.participant, action=action, poll_run=run,
        occurred_on=action.date, data={"action_kind": "signature"},
    )  # fmt: skip
    for kind in ReviewKind.values:
        ReviewItem.objects.create(treaty=treaty, kind=kind, action=action, participant=action.participant,
                                  description=f"a {kind} item", data={})  # fmt: skip
    Statement.objects.create(
        treaty=treaty, participant=action.participant, section="declarations", kinds=["reservation"],
        articles=["22"], text="The Government reserves the right not to apply article 22.",
    )  # fmt: skip
    Stage.objects.create(
        treaty=treaty, participant=action.participant, kind=StageKind.APPROVED, date=datetime.date(2026, 3, 12),
        source_url="https://www.parlament.gv.at/gegenstand/XXVIII/I/123",
    )  # fmt: skip
    subscription = subscribe("reader@example.org", treaty, codes=("QAT",))
    alert = Alert.objects.create(treaty=treaty, poll_run=run, recipients=1)
    alert.events.set(Event.objects.all())
    Delivery.objects.create(alert=alert, subscription=subscription, status="failed", error="550 no such user")
    webhook = WebhookEndpoint.objects.create(treaty=treaty, url="https://93.184.215.14/hook")
    chat = ChatChannel.objects.create(treaty=treaty, apprise_url="json://127.0.0.1:9/chat")
    Delivery.objects.create(alert=alert, channel="webhook", webhook=webhook, status="failed", error="HTTP 500")
    Delivery.objects.create(alert=alert, channel="chat", chat=chat, status="sent")
    Bounce.objects.create(subscriber=subscription.subscriber, kind="hard", status="5.1.1")
    Group.objects.create(name="editors")
    CrontabSchedule.objects.get_or_create(minute="0", hour="1")
    SolarSchedule.objects.create(event="sunrise", latitude=21.03, longitude=105.85)
    ClockedSchedule.objects.create(clocked_time=timezone.now() + datetime.timedelta(days=1))
    AccessAttempt.objects.create(username="mallory", ip_address="203.0.113.9", failures_since_start=1,
                                 get_data="", post_data="", http_accept="*/*", path_info="/admin/login/")  # fmt: skip
    AccessLog.objects.create(username="ada", ip_address="127.0.0.1", http_accept="*/*", path_info="/admin/login/")
    AccessFailureLog.objects.create(username="mallory", ip_address="203.0.113.9", http_accept="*/*",
                                    path_info="/admin/login/", locked_out=False)  # fmt: skip
    return treaty


def registered():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


class EveryScreenTests:
    def test_it_registers_every_model_of_the_domain(self):
        labels = {model._meta.label for model, _ in registered()}
        assert {
            "ratification.Treaty", "ratification.Participant", "ratification.Action", "ratification.PollRun",
            "ratification.Event", "ratification.ReviewItem", "ratification.SourceSnapshot", "ratification.Stage",
            "ratification.Statement",
            "django_celery_beat.PeriodicTask", "axes.AccessAttempt", "auth.User", "alerts.Subscriber",
            "alerts.Subscription", "alerts.Alert", "alerts.Delivery", "alerts.Bounce",
        } <= labels  # fmt: skip

    @pytest.mark.slow(reason="four admin pages for each of the 25 registered models, each rendered whole")
    def test_it_opens_every_list_add_form_change_form_and_history(self, staff, world):
        opened = []
        for model, model_admin in registered():
            assert staff.get(url(model, "changelist")).status_code == 200, model
            add = staff.get(url(model, "add"))
            assert add.status_code == (200 if model_admin.has_add_permission(add.wsgi_request) else 403), model
            obj = model.objects.order_by("pk").first()
            assert obj is not None, f"the world has no {model._meta.label}"
            assert staff.get(url(model, "change", obj.pk)).status_code == 200, model
            assert staff.get(url(model, "history", obj.pk)).status_code == 200, model
            opened.append(model._meta.label)
        assert len(opened) == len(admin.site._registry)

    def test_it_searches_and_filters_every_list_that_offers_it(self, staff, world):
        for model, model_admin in registered():
            if model_admin.search_fields:
                assert staff.get(url(model, "changelist"), {"q": "a"}).status_code == 200, model

    def test_it_runs_every_admin_action_on_a_selected_row(self, staff, world, untc, monkeypatch):
        sent = []
        monkeypatch.setattr("django_celery_beat.admin.current_app.send_task", lambda *a, **k: sent.append(a))
        ran = []
        for model, model_admin in registered():
            request = staff.get(url(model, "changelist")).wsgi_request
            for name in model_admin.get_actions(request):
                obj = model.objects.order_by("-pk").first()
                response = staff.post(url(model, "changelist"), {"action": name, ACTION_CHECKBOX_NAME: [obj.pk]})
                assert response.status_code in (200, 302), (model, name)
                ran.append(f"{model._meta.label}.{name}")
        ours = {
            "ratification.Treaty.poll_selected",
            "ratification.Action.release_lock",
            "ratification.ReviewItem.acknowledge",
            "ratification.Stage.remove_stages",
        }
        assert ours | {
            "django_celery_beat.PeriodicTask.run_tasks",
            "axes.AccessAttempt.cleanup_expired_attempts",
        } <= set(ran)
        assert len(sent) == 1  # run_tasks queued the selected periodic task

    @pytest.mark.parametrize(
        "view", ["action_changelist", "participant_changelist", "reviewitem_changelist", "treaty_changelist"]
    )
    def test_a_list_costs_a_few_queries_whatever_its_length(self, staff, world, view, django_assert_max_num_queries):
        staff.get(reverse(f"admin:ratification_{view}"))  # sessions, content types: cached afterwards
        with django_assert_max_num_queries(9):
            assert staff.get(reverse(f"admin:ratification_{view}")).status_code == 200
