"""Staff screens of the alerts app: who is subscribed, what was owed and what was sent.

Rows change only through the app's services: staff resend a confirmation, unsubscribe an
address, or send failed deliveries again, each after a confirmation page. Nothing here
confirms an address on someone's behalf or edits what a subscriber chose.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alerts import channels_admin  # noqa: F401  (registers the webhook and chat channel screens)
from alerts.models import (
    Alert,
    Bounce,
    Delivery,
    DeliveryStatus,
    Subscriber,
    Subscription,
    SubscriptionParticipant,
    SubscriptionStatus,
)
from alerts.services import retries, subscriptions
from ratification.admin.base import ReadOnlyAdmin, confirmed_action


class RowsViewOnlyAdmin(admin.ModelAdmin):
    """Lists whose actions staff may run, and whose rows they may look at but not edit."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return obj is None and super().has_change_permission(request)


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    fields = ["treaty", "status", "scope", "stages", "statements", "requested_at", "confirmed_at", "unsubscribed_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class SuppressedFilter(admin.SimpleListFilter):
    title = _("suppressed")
    parameter_name = "suppressed"

    def lookups(self, request, model_admin):
        return [("yes", _("yes (bounced or complained)")), ("no", _("no"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(suppressed_at__isnull=self.value() == "no")
        return queryset


class SubscriptionActions:
    """Resend a confirmation and unsubscribe, on the subscriptions of the selected rows (each
    admin using it says which, in `subscriptions_of`)."""

    def _split(self, queryset, wanted: str | None):
        chosen = self.subscriptions_of(queryset)
        fitting = [s for s in chosen if (s.status == wanted if wanted else s.status != SubscriptionStatus.UNSUBSCRIBED)]
        if wanted == SubscriptionStatus.PENDING:
            fitting = [s for s in fitting if s.subscriber.suppressed_at is None]
        return fitting, [s for s in chosen if s not in fitting]

    @admin.action(description=_("Resend the confirmation e-mail"), permissions=["change"])
    def resend_confirmation(self, request: HttpRequest, queryset):
        pending, skipped = self._split(queryset, SubscriptionStatus.PENDING)
        form, page = confirmed_action(
            self, request, queryset, template="confirm_action.html", title=_("Resend the confirmation e-mail"),
            submit_label=_("Yes, send it again"), items=pending, skipped=skipped,
            intro=_("A new confirmation link goes to these addresses (at most 3 a day per address):"),
            skipped_intro=_("Left alone (not waiting for confirmation, or suppressed):"),
        )  # fmt: skip
        if form is None:
            return page
        sent = sum(subscriptions.subscription_confirmation_resend(subscription=s) for s in pending)
        queued = ngettext("%(count)d confirmation e-mail queued.", "%(count)d confirmation e-mails queued.", sent)
        self.message_user(request, queued % {"count": sent}, messages.SUCCESS)
        if sent < len(pending):
            held = _("%(count)d not sent: the address had its 3 e-mails of the day.") % {"count": len(pending) - sent}
            self.message_user(request, held, messages.WARNING)
        return None

    @admin.action(description=_("Unsubscribe"), permissions=["change"])
    def unsubscribe(self, request: HttpRequest, queryset):
        active, skipped = self._split(queryset, None)
        form, page = confirmed_action(
            self, request, queryset, template="confirm_action.html", title=_("Unsubscribe"),
            submit_label=_("Yes, unsubscribe"), items=active, skipped=skipped,
            intro=_("These subscriptions stop at once, including alerts already queued for them:"),
            skipped_intro=_("Already unsubscribed:"),
        )  # fmt: skip
        if form is None:
            return page
        done = sum(subscriptions.subscription_unsubscribe(subscription=s) for s in active)
        self.message_user(request, _("Unsubscribed %(count)d.") % {"count": done}, messages.SUCCESS)
        return None


@admin.register(Subscriber)
class SubscriberAdmin(SubscriptionActions, RowsViewOnlyAdmin):
    list_display = ["email", "language", "subscription_summary", "suppressed_at", "created_at"]
    search_fields = ["email"]
    search_help_text = _("E-mail address.")
    list_filter = [SuppressedFilter, "subscriptions__status", "subscriptions__treaty", "language"]
    fields = ["email", "language", "suppressed_at", "suppression_reason", "created_at"]
    readonly_fields = fields
    inlines = [SubscriptionInline]
    actions = ["resend_confirmation", "unsubscribe"]

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related("subscriptions__treaty")

    @admin.display(description=_("subscriptions"))
    def subscription_summary(self, subscriber: Subscriber) -> str:
        return ", ".join(f"{s.treaty.mtdsg}: {s.get_status_display()}" for s in subscriber.subscriptions.all())

    @staticmethod
    def subscriptions_of(queryset) -> list[Subscription]:
        return list(Subscription.objects.filter(subscriber__in=queryset).select_related("subscriber", "treaty"))


class ParticipantFilterInline(admin.TabularInline):
    model = SubscriptionParticipant
    extra = 0
    fields = ["code"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Subscription)
class SubscriptionAdmin(SubscriptionActions, RowsViewOnlyAdmin):
    list_display = [
        "subscriber", "treaty", "status", "scope", "stages", "statements", "requested_at", "confirmed_at",
        "unsubscribed_at",
    ]  # fmt: skip
    list_filter = ["status", "scope", "stages", "statements", "treaty"]
    list_select_related = ["subscriber", "treaty"]
    search_fields = ["subscriber__email"]
    search_help_text = _("E-mail address.")
    fields = [
        "subscriber",
        "treaty",
        "status",
        "scope",
        "stages",
        "statements",
        "requested_at",
        "confirmed_at",
        "unsubscribed_at",
    ]
    readonly_fields = fields
    inlines = [ParticipantFilterInline]
    actions = ["resend_confirmation", "unsubscribe"]

    @staticmethod
    def subscriptions_of(queryset) -> list[Subscription]:
        return list(queryset.select_related("subscriber", "treaty"))


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "treaty", "recipients", "sent", "failed", "created_at", "queued_at", "staff_alerted_at"]
    list_filter = ["treaty"]
    fields = ["treaty", "poll_run", "events", "recipients", "created_at", "queued_at", "staff_alerted_at"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest):
        return (
            super().get_queryset(request).select_related("treaty")
            .annotate(
                sent_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)),
                failed_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
            )
        )  # fmt: skip

    @admin.display(description=_("sent"), ordering="sent_count")
    def sent(self, alert: Alert) -> int:
        return alert.sent_count

    @admin.display(description=_("failed"), ordering="failed_count")
    def failed(self, alert: Alert) -> int:
        return alert.failed_count


@admin.register(Delivery)
class DeliveryAdmin(RowsViewOnlyAdmin):
    list_display = ["pk", "alert", "channel", "recipient", "status", "attempts", "due_at", "sent_at", "short_error"]
    list_filter = ["status", "channel", "alert__treaty", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["alert__treaty", "subscription__subscriber", "subscription__treaty", "webhook", "chat"]
    search_fields = ["subscription__subscriber__email", "webhook__url"]
    search_help_text = _("E-mail address or webhook URL.")
    fields = [
        "alert", "channel", "subscription", "webhook", "chat", "status", "attempts", "due_at", "claimed_at",
        "sent_at", "error", "created_at",
    ]  # fmt: skip
    readonly_fields = fields
    actions = ["retry_failed"]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("to"))
    def recipient(self, delivery: Delivery) -> str:
        return str(delivery.subscription or delivery.webhook or delivery.chat)

    @admin.display(description=_("last error"))
    def short_error(self, delivery: Delivery) -> str:
        return delivery.error[:80]

    @admin.action(description=_("Send the failed ones again"), permissions=["change"])
    def retry_failed(self, request: HttpRequest, queryset):
        chosen = list(queryset.select_related("subscription__subscriber", "alert__treaty"))
        failed = [d for d in chosen if d.status == DeliveryStatus.FAILED]
        form, page = confirmed_action(
            self, request, queryset, template="confirm_action.html", title=_("Send the failed ones again"),
            submit_label=_("Yes, send them again"), items=failed,
            skipped=[d for d in chosen if d not in failed],
            intro=_("These deliveries get a fresh round of attempts, starting now. Fix what made them fail first:"),
            skipped_intro=_("Left alone (not failed):"),
        )  # fmt: skip
        if form is None:
            return page
        count = retries.deliveries_retry(delivery_ids=[d.pk for d in failed])
        self.message_user(request, _("%(count)d deliveries will be sent again.") % {"count": count}, messages.SUCCESS)
        return None


@admin.register(Bounce)
class BounceAdmin(ReadOnlyAdmin):
    list_display = ["subscriber", "kind", "status", "received_at"]
    list_filter = ["kind"]
    list_select_related = ["subscriber"]
    search_fields = ["subscriber__email"]
    fields = ["subscriber", "kind", "status", "detail", "received_at"]
    readonly_fields = fields
