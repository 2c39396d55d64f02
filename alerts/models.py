"""Who wants to hear about which treaty, and every message the tracker owes: the outbox.

A `Subscriber` is an address; a `Subscription` is that address following one treaty, with
what it wants to receive. An `Alert` groups the public events of one recording (one poll, one
staff entry, the daily entry-into-force task). A
`Delivery` is one alert owed to one subscription; the unique constraint lets the database
itself refuse a second one, and its status is claimed with conditional updates so a retried
or duplicated task never sends twice.

Every other message goes through the same outbox: a `WebhookEndpoint` (a signed JSON POST) and a
`ChatChannel` (an Apprise URL: Slack, Teams, Matrix, Mastodon, …) are owed one `Delivery` per
alert, like a subscription; a sign-up e-mail (confirm, or "already subscribed") is a `Delivery`
of its subscription without an alert, and an e-mail to staff one with neither. A delivery's
`channel` says which it is.
"""

from __future__ import annotations

import base64
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ratification.models import Event, PollRun, Treaty


def new_key() -> str:
    """An opaque random key: what signed links carry instead of an address or a row id."""
    return secrets.token_urlsafe(16)


class Subscriber(models.Model):
    """An e-mail address that asked for alerts (stored lower-cased, so one row per address)."""

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    language = models.CharField(_("language"), max_length=8, default=settings.LANGUAGE_CODE)
    suppressed_at = models.DateTimeField(
        _("suppressed"),
        null=True,
        blank=True,
        help_text=_("Set when the address hard-bounces or complains; nothing is sent to it any more."),
    )
    suppression_reason = models.CharField(_("why suppressed"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self) -> str:
        return self.email


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", _("waiting for confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    UNSUBSCRIBED = "unsubscribed", _("unsubscribed")


class Scope(models.TextChoices):
    """What a subscription, a webhook or a chat channel receives (alerts/topics.py says which events
    each scope covers); milestones reach every one. A subscription chooses among SUBSCRIPTION_SCOPES,
    a webhook or a chat channel among ENDPOINT_SCOPES."""

    INSTRUMENTS = "instruments", _("Every new instrument (ratification, acceptance, approval, accession)")
    SIGNATURES = "signatures", _("Every new instrument and every new signature")
    EVERYTHING = (
        "everything",
        _("Everything public: instruments, signatures, withdrawals, reservations and declarations, milestones"),
    )
    MILESTONES = "milestones", _("Milestones only (the last instrument needed, entry into force)")


SUBSCRIPTION_SCOPES = [(scope.value, scope.label) for scope in (Scope.INSTRUMENTS, Scope.SIGNATURES, Scope.MILESTONES)]
# A subscriber's form says elsewhere that milestones come with every scope; staff adding a
# webhook or a chat channel read it in the choice itself.
ENDPOINT_SCOPES = [
    (Scope.INSTRUMENTS.value, _("Every new instrument and the milestones")),
    (Scope.EVERYTHING.value, Scope.EVERYTHING.label),
    (Scope.MILESTONES.value, Scope.MILESTONES.label),
]


class Subscription(models.Model):
    """One address following one treaty, with its preferences."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="subscriptions")
    key = models.CharField(_("link key"), max_length=32, unique=True, default=new_key, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=SubscriptionStatus.choices, default=SubscriptionStatus.PENDING
    )
    scope = models.CharField(_("receives"), max_length=16, choices=SUBSCRIPTION_SCOPES, default=Scope.INSTRUMENTS)
    stages = models.BooleanField(
        _("also reported national steps"),
        default=False,
        help_text=_("Reports of steps such as a parliament's approval, which are not deposits with the UN."),
    )
    statements = models.BooleanField(
        _("also reservations and declarations"),
        default=False,
        help_text=_("Reservations, declarations and objections made, changed or withdrawn."),
    )
    requested_at = models.DateTimeField(_("last requested"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "treaty"], name="one_subscription_per_treaty"),
        ]
        indexes = [models.Index(fields=["treaty", "status"])]

    def __str__(self) -> str:
        return f"{self.subscriber} → {self.treaty.mtdsg} ({self.status})"

    @property
    def participant_codes(self) -> frozenset[str]:
        """The participants this subscription is limited to; empty means all of them."""
        return frozenset(row.code for row in self.participant_filters.all())


class SubscriptionParticipant(models.Model):
    """Limits a subscription to some participants (by code: they need not be stored yet)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="participant_filters")
    code = models.CharField(_("participant code"), max_length=8)

    class Meta:
        ordering = ["code"]
        verbose_name = _("participant filter")
        verbose_name_plural = _("participant filters")
        constraints = [models.UniqueConstraint(fields=["subscription", "code"], name="one_filter_per_code")]

    def __str__(self) -> str:
        return self.code


class Alert(models.Model):
    """The public events of one recording for one treaty: one e-mail per subscriber."""

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="alerts")
    poll_run = models.ForeignKey(PollRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="alerts")
    events = models.ManyToManyField(Event, related_name="alerts", verbose_name=_("events"))
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    queued_at = models.DateTimeField(
        _("fan-out queued"),
        null=True,
        blank=True,
        help_text=_("When the fan-out task was published; empty means the broker was unreachable."),
    )
    staff_alerted_at = models.DateTimeField(_("staff told of failures"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self) -> str:
        return f"{self.treaty.mtdsg} alert #{self.pk} ({self.created_at:%Y-%m-%d %H:%M})"


def new_webhook_secret() -> str:
    """A Standard Webhooks signing key: the prefix `whsec_` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class Endpoint(models.Model):
    """What webhooks and chat channels share: a treaty, a scope, and their health."""

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="%(class)ss")
    scope = models.CharField(_("receives"), max_length=16, choices=ENDPOINT_SCOPES, default=Scope.INSTRUMENTS)
    enabled = models.BooleanField(_("enabled"), default=True)
    consecutive_failures = models.PositiveIntegerField(
        _("failed attempts in a row"),
        default=0,
        help_text=_("Reset by every success; the channel is disabled when it reaches the limit."),
    )
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)
    disabled_reason = models.CharField(_("why disabled"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def participant_codes(self) -> frozenset[str]:
        """Channels follow every participant (topics.receives reads this, as for a subscription)."""
        return frozenset()


class WebhookEndpoint(Endpoint):
    """An https URL that receives signed JSON (Standard Webhooks) about one treaty."""

    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=64, default=new_webhook_secret, editable=False)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        ordering = ["treaty", "url"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return f"{self.url} ({self.treaty.mtdsg})"


class ChatChannel(Endpoint):
    """A chat or social account (an Apprise URL) that receives each alert's headline and link."""

    apprise_url = models.TextField(_("Apprise URL"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        ordering = ["treaty", "pk"]
        verbose_name = _("chat channel")
        verbose_name_plural = _("chat channels")

    def __str__(self) -> str:
        return self.description or f"{self.masked_url} ({self.treaty.mtdsg})"

    @property
    def masked_url(self) -> str:
        from alerts.services.chat import apprise_url_mask

        return apprise_url_mask(self.apprise_url)


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    WEBHOOK = "webhook", _("webhook")
    CHAT = "chat", _("chat")
    SIGNUP = "signup", _("sign-up e-mail")
    STAFF = "staff", _("e-mail to staff")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("skipped")


class Delivery(models.Model):
    """One message owed: an alert to one subscription, webhook endpoint or chat channel, a
    subscription's sign-up e-mail, or an e-mail to staff (its `channel` says which).

    pending → sending (claimed by one task, with a claim token) → sent, or back to pending with
    a later `due_at` after a transient failure (SMTP, or a receiver's error or timeout), or
    failed (permanent refusal, or retries exhausted), or skipped (unsubscribed, changed
    preferences or a disabled channel before it went out).
    """

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    # The target `channel` names, and only it (a check constraint holds them together): a
    # subscription for an alert's e-mail and a sign-up e-mail, none for an e-mail to staff.
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    webhook = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    chat = models.ForeignKey(ChatChannel, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries")
    status = models.CharField(_("status"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    due_at = models.DateTimeField(_("due"), default=timezone.now)
    claim = models.CharField(_("claimed by"), max_length=32, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # An e-mail to staff, rendered when it was owed (subject, body, to, message_id): what it says
    # is what happened then, and every attempt carries the same Message-ID.
    payload = models.JSONField(_("message"), default=dict, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            # A subscription is one subscriber for one treaty and an alert is for one treaty:
            # this is UNIQUE(alert, subscriber), the database's own refusal of a double.
            models.UniqueConstraint(fields=["alert", "subscription"], name="one_delivery_per_alert_and_subscriber"),
            models.UniqueConstraint(fields=["alert", "webhook"], name="one_delivery_per_alert_and_webhook"),
            models.UniqueConstraint(fields=["alert", "chat"], name="one_delivery_per_alert_and_chat"),
            models.CheckConstraint(
                condition=(
                    models.Q(channel="email", subscription__isnull=False, webhook__isnull=True, chat__isnull=True)
                    | models.Q(channel="webhook", subscription__isnull=True, webhook__isnull=False, chat__isnull=True)
                    | models.Q(channel="chat", subscription__isnull=True, webhook__isnull=True, chat__isnull=False)
                    | models.Q(channel="signup", subscription__isnull=False, webhook__isnull=True, chat__isnull=True)
                    | models.Q(channel="staff", subscription__isnull=True, webhook__isnull=True, chat__isnull=True)
                ),
                name="delivery_has_the_target_of_its_channel",
            ),
            models.CheckConstraint(
                condition=models.Q(alert__isnull=False) | models.Q(channel__in=["signup", "staff"]),
                name="delivery_of_an_alert_channel_has_its_alert",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["alert", "status"]),
        ]

    def __str__(self) -> str:
        target = {"webhook": self.webhook_id, "chat": self.chat_id}.get(self.channel, self.subscription_id)
        if self.alert_id is None:
            return f"{self.channel} #{target or self.pk}: {self.status}"
        return f"alert #{self.alert_id} → {self.channel} #{target}: {self.status}"


class BounceKind(models.TextChoices):
    HARD = "hard", _("hard bounce")
    SOFT = "soft", _("soft bounce")
    COMPLAINT = "complaint", _("complaint")


class Bounce(models.Model):
    """A bounce or complaint the mail relay reported through the signed webhook."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="bounces")
    kind = models.CharField(_("kind"), max_length=12, choices=BounceKind.choices)
    status = models.CharField(_("SMTP status"), max_length=16, blank=True, help_text=_("For example 5.1.1."))
    detail = models.TextField(_("detail"), blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("bounce")
        verbose_name_plural = _("bounces")

    def __str__(self) -> str:
        return f"{self.subscriber} {self.kind} {self.status}"
