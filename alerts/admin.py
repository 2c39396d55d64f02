"""Basic admin for the alerts app's rows (read mostly: deliveries are the service's to write)."""

from __future__ import annotations

from django.contrib import admin

from alerts.models import Alert, Bounce, Delivery, Subscriber, Subscription, SubscriptionParticipant


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    fields = ["treaty", "status", "scope", "confirmed_at", "unsubscribed_at"]
    readonly_fields = ["confirmed_at", "unsubscribed_at"]


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "language", "suppressed_at", "created_at"]
    search_fields = ["email"]
    list_filter = ["language"]
    inlines = [SubscriptionInline]


class ParticipantFilterInline(admin.TabularInline):
    model = SubscriptionParticipant
    extra = 0


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["subscriber", "treaty", "status", "scope", "requested_at", "confirmed_at"]
    list_filter = ["status", "scope", "treaty"]
    search_fields = ["subscriber__email"]
    raw_id_fields = ["subscriber"]
    readonly_fields = ["key", "requested_at", "confirmed_at", "unsubscribed_at"]
    inlines = [ParticipantFilterInline]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["__str__", "treaty", "recipients", "created_at", "queued_at", "staff_alerted_at"]
    list_filter = ["treaty"]
    raw_id_fields = ["poll_run", "events"]
    readonly_fields = ["recipients", "created_at", "queued_at", "staff_alerted_at"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["pk", "alert", "subscription", "status", "attempts", "due_at", "sent_at"]
    list_filter = ["status", "alert"]
    search_fields = ["subscription__subscriber__email"]
    raw_id_fields = ["alert", "subscription"]
    readonly_fields = ["claim", "claimed_at", "sent_at", "error", "created_at"]


@admin.register(Bounce)
class BounceAdmin(admin.ModelAdmin):
    list_display = ["subscriber", "kind", "status", "received_at"]
    list_filter = ["kind"]
    search_fields = ["subscriber__email"]
    raw_id_fields = ["subscriber"]
